import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { FindingKind } from "../../src/server/review/consistency.service";
import { SlaGroupBy } from "../../src/server/review/sla-report.service";

registerEnumType(SlaGroupBy, { name: "SlaGroupBy", description: "How the five-day figures are grouped" });
registerEnumType(FindingKind, { name: "FindingKind", description: "What a consistency finding is about" });

@ObjectType("SlaFigures", { description: "The five-day figure and time to complete for one group" })
export class SlaFigures {
  @Field(() => String, { description: "A department or category id, a week's Monday, a month (YYYY-MM)" })
  key: string;

  @Field(() => String)
  label: string;

  @Field(() => Int, { description: "Lead assignments completed in the period" })
  completed: number;

  @Field(() => Int, { description: "Completed less than 120 hours after the contact was received" })
  underFiveDays: number;

  @Field(() => Float, { nullable: true, description: "underFiveDays / completed; null when none" })
  underFiveDaysShare: number | null;

  @Field(() => Int, { description: "Completed by the due date (the category's SLA in business days)" })
  onTime: number;

  @Field(() => Float, { nullable: true })
  onTimeShare: number | null;

  @Field(() => Float, { nullable: true, description: "Median hours from receipt to completion" })
  medianHours: number | null;

  @Field(() => Float, { nullable: true, description: "90th percentile hours from receipt to completion" })
  p90Hours: number | null;
}

@ObjectType("BacklogBucket", { description: "Open lead assignments by time since the contact was received" })
export class BacklogBucket {
  @Field(() => String)
  label: string;

  @Field(() => Int)
  minDays: number;

  @Field(() => Int, { nullable: true, description: "Exclusive; null for the last bucket" })
  maxDays: number | null;

  @Field(() => Int)
  count: number;
}

@ObjectType("SlaReport")
export class SlaReport {
  @Field(() => SlaGroupBy)
  groupBy: SlaGroupBy;

  @Field(() => String, { description: "First city date of the period" })
  from: string;

  @Field(() => String, { description: "Last city date of the period (included)" })
  to: string;

  @Field(() => ID, { nullable: true, description: "Set when the figures are one department's" })
  departmentId: string | null;

  @Field(() => ID, { nullable: true })
  categoryId: string | null;

  @Field(() => [SlaFigures])
  rows: SlaFigures[];

  @Field(() => SlaFigures, { description: "All the rows together" })
  total: SlaFigures;

  /** Resolved only when asked for. */
  backlog: BacklogBucket[];

  @Field(() => Float, { description: "The city's goal for the under-five-days share" })
  goal: number;

  @Field(() => [String], { description: "What counts, what is excluded, how transfers count" })
  definitions: string[];

  @Field(() => String, { nullable: true, description: "Days before this came from the rollup" })
  rolledThrough: string | null;

  @Field(() => Date)
  computedAt: Date;
}

@ObjectType("ConsistencyFinding", { description: "Something the weekly review should look at" })
export class ConsistencyFinding {
  @Field(() => FindingKind)
  kind: FindingKind;

  @Field(() => ID)
  contactId: string;

  @Field(() => String)
  referenceNumber: string;

  @Field(() => ID, { nullable: true })
  assignmentId: string | null;

  @Field(() => [String])
  departmentNames: string[];

  @Field(() => String)
  categoryName: string;

  @Field(() => String)
  detail: string;

  @Field(() => Float, {
    nullable: true,
    description: "Similarity to the standard response (0..1), final answers, transfers or idle days",
  })
  score: number | null;

  @Field(() => String, { nullable: true, description: "The earlier contact of a repeat contact" })
  relatedReferenceNumber: string | null;

  @Field(() => Date)
  at: Date;
}

@InputType("ConsistencyFindingsFilter")
export class ConsistencyFindingsFilter {
  @Field(() => String, { nullable: true, description: "First city date (YYYY-MM-DD); default a week ago" })
  from?: string | null;

  @Field(() => String, { nullable: true, description: "Last city date, included; default today" })
  to?: string | null;

  @Field(() => [FindingKind], { nullable: true, description: "Default: every kind" })
  kinds?: FindingKind[] | null;

  @Field(() => Int, { nullable: true, description: "At most this many per kind (1..1000)" })
  limit?: number | null;
}
