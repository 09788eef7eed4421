import { Field, Float, ID, InputType, ObjectType } from "type-graphql";
import { ContactStatus, Language } from "../../entities";

@InputType("SubmitServiceRequestInput", { description: "The public request form" })
export class SubmitServiceRequestInput {
  @Field(() => ID)
  categoryId: string;

  @Field(() => String, { description: "Plain text, at most 4,000 characters" })
  description: string;

  @Field(() => String, { nullable: true, description: "Where the issue is" })
  locationAddress?: string | null;

  @Field(() => Float, { nullable: true })
  locationLat?: number | null;

  @Field(() => Float, { nullable: true })
  locationLong?: number | null;

  @Field(() => Language, {
    nullable: true,
    description: "The page's language: used for the receipt and answers",
  })
  language?: Language | null;

  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true, description: "A receipt is mailed here" })
  email?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Keep my name and address confidential" })
  confidential?: boolean | null;

  @Field(() => Boolean, { description: "The public-record notice was read and acknowledged" })
  publicRecordNoticeAcknowledged: boolean;

  @Field(() => [ID], { nullable: true, description: "Uploads from POST /api/public/uploads" })
  attachmentIds?: string[] | null;

  @Field(() => String, { nullable: true, description: "Add yourself to this open report instead" })
  duplicateOfReference?: string | null;

  @Field(() => String, { nullable: true, description: "Left empty by people; filled in by form robots" })
  website?: string | null;
}

@ObjectType("PublicRequestReceipt", {
  description: "Shown once after submitting; the tracking code is not kept",
})
export class PublicRequestReceipt {
  @Field(() => String)
  referenceNumber: string;

  @Field(() => String, { description: "Needed with the reference number to see the status" })
  trackingCode: string;

  @Field(() => String, { description: "Relative link to the status page" })
  trackingPath: string;

  @Field(() => ContactStatus)
  status: ContactStatus;

  @Field(() => String)
  departmentName: string;

  @Field(() => String, {
    description: "The department's name in Spanish (its English name when it has none)",
  })
  departmentNameEs: string;

  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  @Field(() => Language)
  language: Language;
}

@ObjectType("PublicAnswer", { description: "A department's answer, as the public status page shows it" })
export class PublicAnswer {
  @Field(() => String)
  body: string;

  @Field(() => Date)
  sentAt: Date;

  @Field(() => Boolean)
  isFinal: boolean;
}

@ObjectType("PublicRequestStatus", {
  description:
    "A request's progress: never a name, address or contact detail. Without the tracking code only what " +
    "Open311 shows for the reference number: no answers, language or completion time",
})
export class PublicRequestStatus {
  @Field(() => String)
  referenceNumber: string;

  @Field(() => ContactStatus)
  status: ContactStatus;

  @Field(() => String)
  categoryName: string;

  @Field(() => String)
  categoryNameEs: string;

  @Field(() => String)
  departmentName: string;

  @Field(() => String, {
    description: "The department's name in Spanish (its English name when it has none)",
  })
  departmentNameEs: string;

  @Field(() => Date)
  receivedAt: Date;

  @Field(() => Date, { description: "The last change, as Open311's updated_datetime" })
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When it was answered; null without the tracking code" })
  completedAt: Date | null;

  @Field(() => Language, {
    nullable: true,
    description: "The request's language; null without the tracking code",
  })
  language: Language | null;

  @Field(() => Boolean, {
    description: "The tracking code was given and matched: only then are answers shown",
  })
  trackingCodeMatched: boolean;

  @Field(() => [PublicAnswer], { description: "Empty without the tracking code" })
  answers: PublicAnswer[];
}

@ObjectType("PublicCategory", { description: "A category as the public sees it, with its standard answer" })
export class PublicCategory {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  code: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  nameEs: string;

  @Field(() => String)
  description: string;

  @Field(() => String)
  descriptionEs: string;

  @Field(() => String, { description: "Categories are grouped by their department on the form" })
  departmentName: string;

  @Field(() => String, {
    description: "The department's name in Spanish (its English name when it has none)",
  })
  departmentNameEs: string;

  @Field(() => String)
  standardResponse: string;

  @Field(() => String)
  standardResponseEs: string;

  @Field(() => [String])
  keywords: string[];
}

@ObjectType("PublicOpenReport", { description: "An open report of the same issue that a submitter may join" })
export class PublicOpenReport {
  @Field(() => String)
  referenceNumber: string;

  @Field(() => Date)
  receivedAt: Date;

  @Field(() => ContactStatus)
  status: ContactStatus;

  @Field(() => String, { nullable: true })
  locationAddress: string | null;
}
