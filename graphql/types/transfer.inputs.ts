import { Field, ID, InputType, Int } from "type-graphql";

@InputType("TransferAssignmentInput")
export class TransferAssignmentInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "The version you read; a stale one gets CONFLICT" })
  version: number;

  @Field(() => ID, { description: "The department that should lead instead" })
  departmentId: string;

  @Field(() => String)
  reason: string;

  @Field(() => ID, { nullable: true, description: "Corrects the contact's category as well" })
  categoryId?: string | null;
}

@InputType("AddSupportingAssignmentInput")
export class AddSupportingAssignmentInput {
  @Field(() => ID)
  contactId: string;

  @Field(() => ID)
  departmentId: string;

  @Field(() => String)
  reason: string;
}

@InputType("LinkDuplicateContactInput")
export class LinkDuplicateContactInput {
  @Field(() => ID, { description: "The later report, marked a duplicate" })
  contactId: string;

  @Field(() => ID, { description: "The first report (or any report linked to it)" })
  duplicateOfId: string;
}
