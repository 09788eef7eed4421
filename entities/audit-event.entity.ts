import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** Append-only: who did what to which record, with the state before and after. */
@ObjectType("AuditEvent")
@Entity({ name: "audit_event" })
@Index(["entityType", "entityId"])
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn("increment", { type: "bigint" })
  id: string;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  at: Date;

  @Index()
  @Column({ type: "uuid", nullable: true })
  actorId: string | null;

  @Field(() => String)
  @Column({ type: "varchar", length: 60 })
  action: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 40 })
  entityType: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 60 })
  entityId: string;

  @Column({ type: "jsonb", nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: "jsonb", nullable: true })
  after: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  reason: string | null;
}
