import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ApiToken, AssignmentStatus, Channel, Constituent, Contact } from "../../entities";
import { StatsDimension } from "../../src/server/analytics/contact-stats.service";
import { PageInfo } from "./assignment.inputs";

registerEnumType(StatsDimension, {
  name: "StatsDimension",
  description: "What contact statistics are grouped by; WEEK starts on Monday in the city's time zone",
});

@InputType("ContactFilter", { description: "Every list is any-of; all given conditions must hold" })
export class ContactFilter {
  @Field(() => String, { nullable: true })
  referenceNumber?: string | null;

  @Field(() => [Channel], { nullable: true })
  channel?: Channel[] | null;

  @Field(() => [ID], { nullable: true })
  categoryId?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "The lead department" })
  departmentId?: string[] | null;

  @Field(() => [AssignmentStatus], { nullable: true, description: "The lead assignment's status" })
  status?: AssignmentStatus[] | null;

  @Field(() => Date, { nullable: true, description: "Received at or after" })
  receivedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: "Received before" })
  receivedTo?: Date | null;

  @Field(() => Boolean, { nullable: true, description: "Lead assignment past due and still being worked" })
  overdue?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  confidential?: boolean | null;

  @Field(() => String, { nullable: true, description: "Words in the description (web search syntax)" })
  text?: string | null;
}

@InputType("ConstituentFilter")
export class ConstituentFilter {
  @Field(() => String, { nullable: true, description: "Part of the name or organization, accents ignored" })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the address, accents ignored" })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "The postal code, exactly" })
  zip?: string | null;
}

@ObjectType("ContactEdge")
export class ContactEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Contact)
  node: Contact;
}

@ObjectType("ContactConnection")
export class ContactConnection {
  @Field(() => [ContactEdge])
  edges: ContactEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: "Contacts matching the filter" })
  totalCount: number;
}

@ObjectType("ConstituentEdge")
export class ConstituentEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => Constituent)
  node: Constituent;
}

@ObjectType("ConstituentConnection")
export class ConstituentConnection {
  @Field(() => [ConstituentEdge])
  edges: ConstituentEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: "Constituents matching the filter" })
  totalCount: number;
}

@ObjectType("ContactStats", { description: "One group; the dimensions not grouped by are null" })
export class ContactStats {
  categoryId: string | null;
  departmentId: string | null;

  @Field(() => Channel, { nullable: true })
  channel: Channel | null;

  @Field(() => String, { nullable: true, description: "Monday of the week received, YYYY-MM-DD" })
  week: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The constituent's postal code (none when confidential)",
  })
  zip: string | null;

  @Field(() => Int, { description: "Contacts in the group" })
  count: number;

  @Field(() => Int, { description: "Lead assignment open or in progress" })
  openCount: number;

  @Field(() => Int, { description: "Lead assignment completed" })
  closedCount: number;

  @Field(() => Int, { description: "Lead assignment past due and still being worked" })
  overdueCount: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Median hours from received to the lead assignment's completion; estimated when medianEstimated",
  })
  medianHoursToClose: number | null;

  @Field(() => Boolean, {
    description:
      "The median was estimated from a histogram of times to close (off by less than an hour or 13.2%): " +
      "so it is when the filter narrows by channel, category or department only",
  })
  medianEstimated: boolean;

  @Field(() => Float, { nullable: true })
  avgHoursToClose: number | null;
}

@InputType("SaveQueryInput")
export class SaveQueryInput {
  @Field(() => ID, { nullable: true, description: "One of your saved queries, to replace it" })
  id?: string | null;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: "A GraphQL query (no mutations)" })
  query: string;

  @Field(() => String, { nullable: true, description: "Variables as a JSON object" })
  variables?: string | null;
}

@InputType("DeleteSavedQueryInput")
export class DeleteSavedQueryInput {
  @Field(() => ID)
  id: string;
}

@InputType("CreateApiTokenInput")
export class CreateApiTokenInput {
  @Field(() => String, { description: "What the token is for, e.g. the notebook's name" })
  name: string;

  @Field(() => Int, { description: "Days until it expires" })
  expiresInDays: number;
}

@ObjectType("CreateApiTokenResult")
export class CreateApiTokenResult {
  @Field(() => String, {
    description: "The secret, shown this once: send it as Authorization: Bearer <token>",
  })
  token: string;

  @Field(() => ApiToken)
  apiToken: ApiToken;
}

@InputType("RevokeApiTokenInput")
export class RevokeApiTokenInput {
  @Field(() => ID)
  id: string;
}
