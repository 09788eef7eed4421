import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { AssignmentStatus, ReviewCycle, ReviewMarkKind } from "../../entities";
import { AgingBucket } from "../../src/server/review/review.service";
import { PageInfo } from "./assignment.inputs";

registerEnumType(AgingBucket, {
  name: "AgingBucket",
  description: "Calendar days since the assignment was made, on the city's calendar",
});

@InputType("ReviewQueueFilter")
export class ReviewQueueFilter {
  @Field(() => ID, { nullable: true })
  departmentId?: string | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => AgingBucket, { nullable: true })
  agingBucket?: AgingBucket | null;

  @Field(() => Boolean, { nullable: true, description: "Past its due date" })
  overdue?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Has a concern the department has not resolved" })
  flagged?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Not yet marked in the open cycle" })
  notReviewed?: boolean | null;
}

@ObjectType("ReviewItem", {
  description: "One open assignment on the review worklist; no constituent, description or callback",
})
export class ReviewItem {
  @Field(() => ID)
  assignmentId: string;

  @Field(() => Int, { description: "The assignment's version" })
  version: number;

  @Field(() => AssignmentStatus)
  status: AssignmentStatus;

  @Field(() => Boolean)
  isLead: boolean;

  @Field(() => String)
  referenceNumber: string;

  @Field(() => Boolean)
  confidential: boolean;

  @Field(() => ID)
  departmentId: string;

  @Field(() => String)
  departmentName: string;

  @Field(() => ID)
  categoryId: string;

  @Field(() => String)
  categoryName: string;

  @Field(() => String, { nullable: true })
  assigneeName: string | null;

  @Field(() => Date)
  assignedAt: Date;

  @Field(() => Date)
  dueAt: Date;

  @Field(() => Int, { description: "Calendar days since assigned, on the city's calendar" })
  ageDays: number;

  @Field(() => AgingBucket)
  agingBucket: AgingBucket;

  @Field(() => Boolean)
  overdue: boolean;

  @Field(() => Int, { description: "Responses and internal notes so far" })
  responseCount: number;

  @Field(() => Date, { nullable: true, description: "When the last response or note was written" })
  lastActivityAt: Date | null;

  @Field(() => Int, { description: "Concerns from any cycle the department has not resolved" })
  openConcerns: number;

  markId: string | null;
}

@ObjectType("ReviewItemEdge")
export class ReviewItemEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => ReviewItem)
  node: ReviewItem;
}

@ObjectType("AgingBucketCount")
export class AgingBucketCount {
  @Field(() => AgingBucket)
  bucket: AgingBucket;

  @Field(() => Int)
  count: number;
}

@ObjectType("ReviewDepartmentCount")
export class ReviewDepartmentCount {
  @Field(() => ID)
  departmentId: string;

  @Field(() => String)
  departmentName: string;

  @Field(() => Int, { description: "Open assignments matching the filter" })
  count: number;

  @Field(() => Int, { description: "Of all its open assignments, how many are marked in the open cycle" })
  reviewed: number;
}

@ObjectType("ReviewProgress")
export class ReviewProgress {
  @Field(() => Int)
  reviewed: number;

  @Field(() => Int, { description: "Open assignments city-wide" })
  total: number;
}

@ObjectType("ReviewQueueConnection")
export class ReviewQueueConnection {
  @Field(() => ReviewCycle, { nullable: true, description: "The open cycle, if one is started" })
  cycle: ReviewCycle | null;

  @Field(() => [ReviewItemEdge])
  edges: ReviewItemEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: "Open assignments matching the filter" })
  totalCount: number;

  @Field(() => [AgingBucketCount], { description: "Matching the filter" })
  byBucket: AgingBucketCount[];

  @Field(() => [ReviewDepartmentCount], { description: "Departments with matching assignments" })
  byDepartment: ReviewDepartmentCount[];

  @Field(() => ReviewProgress, { description: "The open cycle's progress over all open assignments" })
  progress: ReviewProgress;
}

@InputType("MarkAssignmentInput")
export class MarkAssignmentInput {
  @Field(() => ID)
  cycleId: string;

  @Field(() => ID)
  assignmentId: string;

  @Field(() => ReviewMarkKind)
  kind: ReviewMarkKind;

  @Field(() => String, { nullable: true, description: "Required for anything but OK" })
  note?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "The mark's version you read when changing a mark; omit for the first mark",
  })
  version?: number | null;
}

@InputType("ResolveReviewMarkInput")
export class ResolveReviewMarkInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The mark's version you read" })
  version: number;

  @Field(() => String, { description: "What the department did" })
  resolutionNote: string;
}

@InputType("CloseReviewCycleInput")
export class CloseReviewCycleInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The cycle's version you read" })
  version: number;
}

@ObjectType("ReviewMarkAssignment", { description: "What a mark is about, without personal data" })
export class ReviewMarkAssignment {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  referenceNumber: string;

  @Field(() => String)
  categoryName: string;

  @Field(() => String)
  departmentName: string;

  @Field(() => AssignmentStatus)
  status: AssignmentStatus;
}
