import { Field, ID, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from "typeorm";
import { Assignment } from "./assignment.entity";
import { ResponseChannel, ResponseKind } from "./enums";

@ObjectType("Response", { description: "An answer to the constituent, or an internal note" })
@Entity({ name: "response" })
export class Response {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Index()
  @Column({ type: "uuid" })
  assignmentId: string;

  @ManyToOne(() => Assignment, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "assignment_id" })
  assignment?: Assignment;

  @Field(() => ResponseKind)
  @Column({ type: "varchar", length: 10, default: ResponseKind.RESPONSE })
  kind: ResponseKind;

  @Field(() => String)
  @Column({ type: "text" })
  body: string;

  @Field(() => ResponseChannel, { nullable: true })
  @Column({ type: "varchar", length: 20, nullable: true })
  channel: ResponseChannel | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  sentAt: Date | null;

  @Index()
  @Column({ type: "uuid", nullable: true })
  authorId: string | null;

  @Field(() => Boolean)
  @Column({ type: "boolean", default: false })
  isFinal: boolean;

  @Field(() => ID, {
    nullable: true,
    description: "The earlier final answer that was shown and acknowledged before this one was sent",
  })
  @Column({ type: "uuid", nullable: true })
  acknowledgedResponseId: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
