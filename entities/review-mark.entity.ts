import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  VersionColumn,
} from "typeorm";

export enum ReviewMarkKind {
  OK = "OK",
  FOLLOW_UP = "FOLLOW_UP",
  CONSISTENCY = "CONSISTENCY",
  POLICY = "POLICY",
}

registerEnumType(ReviewMarkKind, {
  name: "ReviewMarkKind",
  description: "OK needs nothing; the others ask the department to act and resolve",
});

/** A reviewer's verdict on one assignment in one cycle; re-marking updates it. */
@ObjectType("ReviewMark")
@Entity({ name: "review_mark" })
@Unique("review_mark_cycle_assignment_key", ["cycleId", "assignmentId"])
export class ReviewMark {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  cycleId: string;

  @Index()
  @Column({ type: "uuid" })
  assignmentId: string;

  /** Copied from the assignment so a department's marks are found without a join. */
  @Index()
  @Column({ type: "uuid" })
  departmentId: string;

  @Field(() => ReviewMarkKind)
  @Column({ type: "varchar", length: 20 })
  kind: ReviewMarkKind;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ type: "uuid" })
  markedById: string;

  @Field(() => Date)
  @Column({ type: "timestamptz", default: () => "now()" })
  markedAt: Date;

  @Column({ type: "uuid", nullable: true })
  resolvedById: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  resolutionNote: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Int)
  @VersionColumn({ type: "int", default: 1 })
  version: number;
}
