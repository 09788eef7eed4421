import type { DataSource } from "typeorm";
import { Attachment, Response, ResponseKind } from "../../../entities";
import { findVisibleAssignment } from "../assignments/queue.service";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput, notFound } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { requiredText, uuid } from "../validation/validate";
import { discardStored, storeResponseLetter } from "./letter.service";

export interface ReissueLetterCommand {
  responseId: string;
  reason: string;
}

/**
 * Generates a response's letter again, from its text and the constituent's address as it is now (after a
 * correction, say), dated as the response was sent. The earlier letters stay on the response: what was
 * sent is never replaced. Who may answer on the assignment may reissue its letters; the reason is
 * audited.
 */
export async function reissueResponseLetter(
  ds: DataSource,
  viewer: Viewer | null,
  input: ReissueLetterCommand,
): Promise<Attachment> {
  const v = requireRole(viewer, Rules.workAssignments);
  const responseId = uuid("responseId", input.responseId);
  const reason = requiredText("reason", input.reason, { max: 500 });
  const stored: string[] = [];
  try {
    return await ds.transaction(async (em) => {
      const response = await em.getRepository(Response).findOneBy({ id: responseId });
      const assignment = response && (await findVisibleAssignment(em, v, response.assignmentId));
      // A response on an assignment the viewer may not see does not exist for them.
      if (!response || !assignment) throw notFound("Response");
      if (response.kind !== ResponseKind.RESPONSE)
        throw badInput("responseId", "an internal note is never a letter");
      const earlier: { id: string }[] = await em.query(
        `SELECT id FROM attachment WHERE response_id = $1 AND content_type = 'application/pdf'
          ORDER BY created_at`,
        [response.id],
      );
      const letter = await storeResponseLetter(
        em,
        {
          responseId: response.id,
          contactId: assignment.contactId,
          departmentId: assignment.departmentId,
          body: response.body,
          sentAt: response.sentAt ?? response.createdAt,
          authorId: v.id,
        },
        stored,
      );
      await audit(em, v, {
        action: "letter.reissued",
        entityType: "response",
        entityId: response.id,
        after: { letterAttachmentId: letter.id, earlierPdfIds: earlier.map((e) => e.id), reason },
      });
      return letter;
    });
  } catch (err) {
    await discardStored(stored, (e, key) =>
      logger.error({ err: e, key }, "could not remove an orphaned letter"),
    );
    throw err;
  }
}
