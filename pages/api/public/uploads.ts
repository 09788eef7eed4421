import type { NextApiRequest, NextApiResponse } from "next";
import { receiveUpload } from "../../../src/server/attachments/multipart-upload";
import { tooLarge } from "../../../src/server/attachments/upload-meter";
import { config as starConfig } from "../../../src/server/config/config";
import { getDataSource } from "../../../src/server/db/data-source";
import { DomainError, ErrorCode } from "../../../src/server/errors/domain-error";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { clientAddressOf, requestCsrfValid } from "../../../src/server/self-service/csrf";
import { uploadPublicAttachment } from "../../../src/server/self-service/upload.service";

export const config = { api: { bodyParser: false } };

const ENVELOPE_BYTES = 64 * 1024;

/** POST multipart/form-data with one `file` from the public form (CSRF header required). Answers 201. */
export default async function publicUploads(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST" } });
  }
  try {
    if (!requestCsrfValid(req)) {
      throw new DomainError(ErrorCode.FORBIDDEN, "The form expired: reload the page and try again");
    }
    const max = starConfig().STAR_PUBLIC_MAX_UPLOAD_BYTES;
    if (!/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "")) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, "file: send multipart/form-data", "file", {
        reason: "UNSUPPORTED_TYPE",
      });
    }
    if (Number(req.headers["content-length"] ?? 0) > max + ENVELOPE_BYTES) throw tooLarge(max);
    const ds = await getDataSource();
    const address = clientAddressOf(req);
    const a = await receiveUpload(req, max, (fileName, stream, contactId) =>
      uploadPublicAttachment(ds, { fileName, stream, contactId }, address),
    );
    sendJson(res, 201, {
      id: a.id,
      fileName: a.fileName,
      contentType: a.contentType,
      sizeBytes: a.sizeBytes,
    });
  } catch (err) {
    sendError(res, err);
  }
}
