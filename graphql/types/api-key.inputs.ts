import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ApiKey } from "../../entities";

@InputType("IssueApiKeyInput")
export class IssueApiKeyInput {
  @Field(() => String, { description: "Who the key is for, e.g. the app or vendor" })
  name: string;
}

@InputType("RevokeApiKeyInput")
export class RevokeApiKeyInput {
  @Field(() => ID)
  id: string;
}

@ObjectType("IssuedApiKey", { description: "A new Open311 API key; the key itself is shown only here" })
export class IssuedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field(() => String, { description: "Give this to the client now: STAR keeps only its hash" })
  key: string;
}
