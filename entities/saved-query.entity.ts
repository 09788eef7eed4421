import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/** A GraphQL query an analyst keeps for later; each staff member sees only their own. */
@ObjectType("SavedQuery")
@Entity({ name: "saved_query" })
@Index(["ownerId", "name"], { unique: true })
export class SavedQuery {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  ownerId: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field(() => String)
  @Column({ type: "text" })
  query: string;

  @Field(() => String, { nullable: true, description: "Variables as JSON text" })
  @Column({ type: "text", nullable: true })
  variables: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}
