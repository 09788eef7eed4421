import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VersionColumn } from "typeorm";

export enum ReviewCycleStatus {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}

registerEnumType(ReviewCycleStatus, { name: "ReviewCycleStatus" });

/** One week's review by the City Manager's Office; at most one is open at a time. */
@ObjectType("ReviewCycle", { description: "A weekly review of every open assignment" })
@Entity({ name: "review_cycle" })
export class ReviewCycle {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** The Monday of the reviewed week, in the city's time zone, as "2026-12-07". */
  @Field(() => String, { description: "Monday of the reviewed week in the city's time zone (YYYY-MM-DD)" })
  @Column({ type: "date" })
  weekStart: string;

  @Field(() => ReviewCycleStatus)
  @Column({ type: "varchar", length: 10, default: ReviewCycleStatus.OPEN })
  status: ReviewCycleStatus;

  @Column({ type: "uuid" })
  startedById: string;

  @Field(() => Date)
  @Column({ type: "timestamptz", default: () => "now()" })
  startedAt: Date;

  @Column({ type: "uuid", nullable: true })
  closedById: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  closedAt: Date | null;

  /** Open assignments and how many of them were marked, as they stood when the cycle closed. */
  @Column({ type: "int", nullable: true })
  totalAtClose: number | null;

  @Column({ type: "int", nullable: true })
  reviewedAtClose: number | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Int)
  @VersionColumn({ type: "int", default: 1 })
  version: number;
}
