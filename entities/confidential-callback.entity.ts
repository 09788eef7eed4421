import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/**
 * A phone or email volunteered with a confidential request. Kept apart from the contact so that search,
 * exports and public records never join to it; purged after the contact closes plus the retention period.
 */
@ObjectType("ConfidentialCallback")
@Entity({ name: "confidential_callback" })
export class ConfidentialCallback {
  @PrimaryColumn({ type: "uuid" })
  contactId: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 20, nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  email: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  purgeAfter: Date | null;
}
