import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import {
  Assignment,
  AssignmentStatus,
  Channel,
  ResponseChannel,
  ResponseKind,
  StaffUser,
} from "../../entities";
import { AssignmentOrder } from "../../src/server/assignments/queue.service";

registerEnumType(AssignmentOrder, { name: "AssignmentOrder", description: "Queue order; ties break on id" });

@InputType("AssignmentFilter")
export class AssignmentFilter {
  @Field(() => ID, {
    nullable: true,
    description: "Reviewers only: a department's own queue is always its own",
  })
  departmentId?: string | null;

  @Field(() => [AssignmentStatus], { nullable: true, description: "Default: OPEN and IN_PROGRESS" })
  status?: AssignmentStatus[] | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => ID, { nullable: true })
  assigneeId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Past due and still being worked" })
  overdue?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  unassigned?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Has a review concern from the City Manager's Office not yet resolved",
  })
  reviewFlagged?: boolean | null;

  @Field(() => String, { nullable: true, description: "The contact's reference number" })
  referenceNumber?: string | null;

  @Field(() => [Channel], { nullable: true, description: "The contact's channel, any of these" })
  channel?: Channel[] | null;

  @Field(() => Date, { nullable: true, description: "Assigned at or after" })
  assignedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Assigned before" })
  assignedTo?: Date | null;

  @Field(() => Date, { nullable: true, description: "Completed at or after" })
  completedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Completed before" })
  completedTo?: Date | null;

  @Field(() => String, { nullable: true, description: "Words in the contact's description" })
  text?: string | null;
}

// The page's wrappers carry no rule of their own (the query's rule and the node's fields hold them):
// plain property reads, without type-graphql's per-field resolver.
@ObjectType("AssignmentEdge", { simpleResolvers: true })
export class AssignmentEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Assignment)
  node: Assignment;
}

@ObjectType("PageInfo", { simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType("AssignmentCounts", {
  description: "The queue's headline figures, whatever the filter",
  simpleResolvers: true,
})
export class AssignmentCounts {
  @Field(() => Int)
  open: number;

  @Field(() => Int)
  inProgress: number;

  @Field(() => Int)
  overdue: number;

  @Field(() => Int, { description: "Open or in progress with no assignee" })
  unassigned: number;

  @Field(() => Int, { description: "Open or in progress, due today in the city's time zone" })
  dueToday: number;
}

@ObjectType("AssignmentConnection", { simpleResolvers: true })
export class AssignmentConnection {
  @Field(() => [AssignmentEdge])
  edges: AssignmentEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: "Assignments matching the filter" })
  totalCount: number;

  @Field(() => AssignmentCounts)
  counts: AssignmentCounts;
}

@ObjectType("TimelineEntry", { description: "One change to a contact, from the audit events" })
export class TimelineEntry {
  @Field(() => Date)
  at: Date;

  @Field(() => StaffUser, { nullable: true })
  actor: StaffUser | null;

  @Field(() => String)
  action: string;

  @Field(() => String)
  summary: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@InputType("ClaimAssignmentInput")
export class ClaimAssignmentInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The version you read" })
  version: number;

  @Field(() => ID, { nullable: true, description: "A colleague in the department; default yourself" })
  assigneeId?: string | null;
}

@InputType("CompleteAssignmentInput")
export class CompleteAssignmentInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The version you read" })
  version: number;
}

@InputType("RespondToAssignmentInput")
export class RespondToAssignmentInput {
  @Field(() => ID)
  assignmentId: string;

  @Field(() => Int, { description: "The version you read" })
  version: number;

  @Field(() => ResponseKind, { description: "RESPONSE reaches the constituent; NOTE never does" })
  kind: ResponseKind;

  @Field(() => String)
  body: string;

  @Field(() => ResponseChannel, { nullable: true, description: "How the response was delivered" })
  channel?: ResponseChannel | null;

  @Field(() => Boolean, { nullable: true, description: "A final response completes the assignment" })
  isFinal?: boolean | null;

  @Field(() => [ID], { nullable: true, description: "Uploads (the response letter) to link" })
  attachmentIds?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: "Required for a second final answer: the earlier final response, shown and acknowledged",
  })
  acknowledgedResponseId?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "RESPONSE only: render the body as a PDF letter on the city letterhead, attached to the response",
  })
  generateLetter?: boolean | null;
}

@InputType("ReopenContactInput")
export class ReopenContactInput {
  @Field(() => ID)
  contactId: string;

  @Field(() => String)
  reason: string;
}
