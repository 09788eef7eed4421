import { FieldResolver, Resolver, Root } from "type-graphql";
import { Attachment } from "../../entities";
import { attachmentDownloadPath } from "../../src/server/attachments/attachment.service";

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, {
    description: "Where a signed-in viewer who may see the contact downloads the file",
  })
  downloadUrl(@Root() a: Attachment): string {
    return attachmentDownloadPath(a.id);
  }
}
