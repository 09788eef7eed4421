import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Attachment, Response } from "../../entities";
import { attachmentDownloadPath } from "../../src/server/attachments/attachment.service";
import { mayReadConfidentialDocuments } from "../../src/server/confidentiality/visibility";
import type { GraphQLContext } from "../context";

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, {
    description: "Where a signed-in viewer who may see the contact downloads the file",
  })
  downloadUrl(@Root() a: Attachment): string {
    return attachmentDownloadPath(a.id);
  }
}

@Resolver(() => Response)
export class ResponseAttachmentResolver {
  @FieldResolver(() => [Attachment], { description: "The response letter: uploaded, or generated as a PDF" })
  async attachments(@Root() r: Response, @Ctx() ctx: GraphQLContext): Promise<Attachment[]> {
    const rows = await ctx.loaders.attachmentsByResponse.load(r.id);
    if (!rows.length || mayReadConfidentialDocuments(ctx.viewer!)) return rows;
    // The same rule as Contact.attachments: a confidential request's letters name the requester.
    const contacts = await ctx.loaders.contact.loadMany(
      rows.map((a) => a.contactId).filter((id) => id !== null),
    );
    const confidential = new Set(
      contacts.flatMap((c) => (c && !(c instanceof Error) && c.confidential ? [c.id] : [])),
    );
    return rows.filter((a) => a.contactId !== null && !confidential.has(a.contactId));
  }
}
