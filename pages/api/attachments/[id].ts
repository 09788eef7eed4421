import { pipeline } from "node:stream";
import type { NextApiRequest, NextApiResponse } from "next";
import { openAttachmentForDownload } from "../../../src/server/attachments/attachment.service";
import { downloadHeaders } from "../../../src/server/attachments/download-headers";
import { viewerFromRequest } from "../../../src/server/auth/session";
import { getDataSource } from "../../../src/server/db/data-source";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { logger } from "../../../src/server/logging/logger";

/** GET: the stored bytes, for a viewer who may see the attachment's contact. */
export default async function attachment(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    const id = typeof req.query.id === "string" ? req.query.id : "";
    const { attachment: a, stream } = await openAttachmentForDownload(ds, viewer, id);
    res.statusCode = 200;
    for (const [k, v] of Object.entries(downloadHeaders(a))) res.setHeader(k, v);
    pipeline(stream, res, (err) => {
      if (err) logger.warn({ err, attachmentId: a.id }, "attachment download ended early");
    });
  } catch (err) {
    sendError(res, err);
  }
}
