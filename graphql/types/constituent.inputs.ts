import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { Channel, Constituent, Language } from "../../entities";

// Registered so that the inputs below inherit its fields; never referenced on its own, so never emitted.
@InputType("ConstituentFieldsInput")
export abstract class ConstituentFieldsInput {
  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => String, { nullable: true })
  organization?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "Any format; stored as E.164" })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  addressLine1?: string | null;

  @Field(() => String, { nullable: true })
  addressLine2?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  state?: string | null;

  @Field(() => String, { nullable: true })
  postalCode?: string | null;

  @Field(() => Language, { nullable: true })
  preferredLanguage?: Language | null;

  @Field(() => Channel, { nullable: true })
  preferredChannel?: Channel | null;
}

@InputType("CreateConstituentInput")
export class CreateConstituentInput extends ConstituentFieldsInput {
  @Field(() => String, {
    nullable: true,
    description: "Create even though likely duplicates were found; kept in the audit log",
  })
  confirmNotDuplicateReason?: string | null;
}

@InputType("UpdateConstituentInput")
export class UpdateConstituentInput extends ConstituentFieldsInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The version you read; a stale one is refused with CONFLICT" })
  version: number;
}

@InputType("MergeConstituentsInput")
export class MergeConstituentsInput {
  @Field(() => ID, { description: "The record that stays" })
  survivorId: string;

  @Field(() => ID, { description: "The record merged into the survivor" })
  duplicateId: string;

  @Field(() => String)
  reason: string;
}

@ObjectType("ConstituentMatch")
export class ConstituentMatch {
  @Field(() => Constituent)
  constituent: Constituent;

  @Field(() => Float, { description: "0 to 1" })
  score: number;

  @Field(() => [String], { description: "Why it matched, strongest first" })
  reasons: string[];
}

@ObjectType("CreateConstituentResult")
export class CreateConstituentResult {
  @Field(() => Boolean)
  created: boolean;

  @Field(() => Constituent, { nullable: true })
  constituent: Constituent | null;

  @Field(() => [ConstituentMatch], {
    description: "Likely duplicates; when not created, pick one or confirm",
  })
  duplicates: ConstituentMatch[];
}
