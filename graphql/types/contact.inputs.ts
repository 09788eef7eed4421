import { Field, Float, ID, InputType } from "type-graphql";
import { Channel, Language } from "../../entities";
import { CreateConstituentInput } from "./constituent.inputs";

@InputType("RecordContactInput")
export class RecordContactInput {
  @Field(() => ID, { nullable: true, description: "An existing constituent" })
  constituentId?: string | null;

  @Field(() => CreateConstituentInput, {
    nullable: true,
    description: "Or a new constituent, created with the contact",
  })
  newConstituent?: CreateConstituentInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Or a confidential request: no name or address is stored",
  })
  confidential?: boolean | null;

  @Field(() => String, { nullable: true, description: "Confidential requests only, if volunteered" })
  callbackPhone?: string | null;

  @Field(() => String, { nullable: true, description: "Confidential requests only, if volunteered" })
  callbackEmail?: string | null;

  @Field(() => Channel)
  channel: Channel;

  @Field(() => Date, {
    nullable: true,
    description: "When the call was made or the letter arrived; default now",
  })
  receivedAt?: Date | null;

  @Field(() => ID)
  categoryId: string;

  @Field(() => String, { description: "Plain text, at most 4,000 characters" })
  description: string;

  @Field(() => String, { nullable: true })
  locationAddress?: string | null;

  @Field(() => Float, { nullable: true })
  locationLat?: number | null;

  @Field(() => Float, { nullable: true })
  locationLong?: number | null;

  @Field(() => Language, { nullable: true, description: "Default: the constituent's preferred language" })
  language?: Language | null;

  @Field(() => Boolean, { nullable: true })
  publicRecordNoticeGiven?: boolean | null;

  @Field(() => [ID], {
    nullable: true,
    description: "Uploads (POST /api/attachments) to link to the contact",
  })
  attachmentIds?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: "An open contact reporting the same issue: the new one is linked as its duplicate",
  })
  duplicateOfId?: string | null;
}
