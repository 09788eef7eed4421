import type { NextApiRequest, NextApiResponse } from "next";
import { attachmentDownloadPath, uploadAttachment } from "../../../src/server/attachments/attachment.service";
import { receiveUpload } from "../../../src/server/attachments/multipart-upload";
import { tooLarge } from "../../../src/server/attachments/upload-meter";
import { config as starConfig } from "../../../src/server/config/config";
import { getDataSource } from "../../../src/server/db/data-source";
import { DomainError, ErrorCode, unauthenticated } from "../../../src/server/errors/domain-error";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { viewerFromRequest } from "../../../src/server/auth/session";

// The body is streamed to storage, never buffered by Next.
export const config = { api: { bodyParser: false } };

// Room for the multipart boundaries and the small fields around the file.
const ENVELOPE_BYTES = 64 * 1024;

/** POST multipart/form-data: an optional `contactId` field, then one `file`. Answers 201 with the stored metadata. */
export default async function attachments(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    if (!viewer) throw unauthenticated();
    const max = starConfig().STAR_MAX_UPLOAD_BYTES;
    if (!/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "")) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, "file: send multipart/form-data", "file", {
        reason: "UNSUPPORTED_TYPE",
      });
    }
    if (Number(req.headers["content-length"] ?? 0) > max + ENVELOPE_BYTES) throw tooLarge(max);
    const a = await receiveUpload(req, max, (fileName, stream, contactId) =>
      uploadAttachment(ds, viewer, { fileName, stream, contactId }),
    );
    res.setHeader("Location", attachmentDownloadPath(a.id));
    sendJson(res, 201, {
      id: a.id,
      fileName: a.fileName,
      contentType: a.contentType,
      sizeBytes: a.sizeBytes,
      sha256: a.sha256,
    });
  } catch (err) {
    sendError(res, err);
  }
}
