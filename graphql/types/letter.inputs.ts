import { Field, ID, InputType } from "type-graphql";

@InputType("ReissueResponseLetterInput")
export class ReissueResponseLetterInput {
  @Field(() => ID)
  responseId: string;

  @Field(() => String, { description: "Why it is generated again, e.g. the address was corrected" })
  reason: string;
}
