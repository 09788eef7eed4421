import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { AuditEvent } from "../../entities";
import { RedactionRule } from "../../src/server/records/redaction";
import { PageInfo } from "./assignment.inputs";

registerEnumType(RedactionRule, {
  name: "RedactionRule",
  description: "Why something was held back from a records package",
});

@InputType("RecordsScopeInput", { description: "Which records a package covers; the parts narrow together" })
export class RecordsScopeInput {
  @Field(() => String, { nullable: true, description: "First day of receipt (city time), e.g. 2026-11-01" })
  receivedFrom?: string | null;

  @Field(() => String, { nullable: true, description: "Last day of receipt (city time), included" })
  receivedTo?: string | null;

  @Field(() => [ID], { nullable: true })
  categoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Contacts assigned to any of these departments" })
  departmentIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: "One constituent's contacts (and those merged into them)" })
  constituentId?: string | null;

  @Field(() => String, { nullable: true, description: "Words in the description or a response" })
  text?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "false: the attachments' metadata only; default true",
  })
  includeAttachmentFiles?: boolean | null;
}

@ObjectType("RecordsScope")
export class RecordsScopeType {
  @Field(() => String, { nullable: true })
  receivedFrom: string | null;

  @Field(() => String, { nullable: true })
  receivedTo: string | null;

  @Field(() => [ID])
  categoryIds: string[];

  @Field(() => [ID])
  departmentIds: string[];

  @Field(() => ID, { nullable: true })
  constituentId: string | null;

  @Field(() => String, { nullable: true })
  text: string | null;

  @Field(() => Boolean)
  includeAttachmentFiles: boolean;
}

@InputType("RecordRecordsRequestInput")
export class RecordRecordsRequestInput {
  @Field(() => String)
  requesterName: string;

  @Field(() => String, { nullable: true })
  requesterEmail?: string | null;

  @Field(() => String, { nullable: true })
  requesterOrganization?: string | null;

  @Field(() => Date, { nullable: true, description: "When the request reached the city; default now" })
  receivedAt?: Date | null;

  @Field(() => String, { description: "What is asked" })
  description: string;

  @Field(() => RecordsScopeInput)
  scope: RecordsScopeInput;
}

@InputType("RecordsRequestVersionInput")
export class RecordsRequestVersionInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The version you read; a stale one gets CONFLICT" })
  version: number;
}

@ObjectType("RecordsCounts", { description: "What a records package holds" })
export class RecordsCountsType {
  @Field(() => Int)
  contacts: number;

  @Field(() => Int)
  assignments: number;

  @Field(() => Int)
  responses: number;

  @Field(() => Int, { description: "Attachments listed (metadata)" })
  attachments: number;

  @Field(() => Int, { description: "Attachment files included" })
  attachmentFiles: number;

  @Field(() => Int, { description: "Entries in the redaction log" })
  redactions: number;
}

@ObjectType("RedactionCount")
export class RedactionCount {
  @Field(() => RedactionRule)
  rule: RedactionRule;

  @Field(() => Int)
  count: number;
}

@ObjectType("RecordsPackagePreview", { description: "Counts and redactions, before the package is produced" })
export class RecordsPackagePreview extends RecordsCountsType {
  @Field(() => [RedactionCount])
  redactionsByRule: RedactionCount[];
}

@InputType("AuditEventFilter")
export class AuditEventFilter {
  @Field(() => ID, { nullable: true })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: "Who, by sign-in email" })
  actorEmail?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "An action (contact.recorded), or a prefix ending in a dot (records_request.)",
  })
  action?: string | null;

  @Field(() => String, { nullable: true, description: "e.g. contact, constituent, records_request" })
  entityType?: string | null;

  @Field(() => String, { nullable: true })
  entityId?: string | null;

  @Field(() => String, { nullable: true, description: "First day (city time), e.g. 2026-12-01" })
  from?: string | null;

  @Field(() => String, { nullable: true, description: "Last day (city time), included" })
  to?: string | null;
}

@ObjectType("AuditEventEdge")
export class AuditEventEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => AuditEvent)
  node: AuditEvent;
}

@ObjectType("AuditEventConnection")
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
