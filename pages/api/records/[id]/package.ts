import { pipeline } from "node:stream";
import type { NextApiRequest, NextApiResponse } from "next";
import { viewerFromRequest } from "../../../../src/server/auth/session";
import { contentDisposition } from "../../../../src/server/attachments/download-headers";
import { getDataSource } from "../../../../src/server/db/data-source";
import { sendError, sendJson } from "../../../../src/server/errors/http-error";
import { logger } from "../../../../src/server/logging/logger";
import { openRecordsPackage } from "../../../../src/server/records/records-export.service";

// A package is streamed from storage and may be large: no response size warning applies.
export const config = { api: { responseLimit: false } };

/** GET: a records request's produced package (zip), for those who handle records requests. Audited. */
export default async function recordsPackage(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    const id = typeof req.query.id === "string" ? req.query.id : "";
    const pkg = await openRecordsPackage(ds, viewer, id);
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/zip");
    res.setHeader("Content-Length", String(pkg.sizeBytes));
    res.setHeader("Content-Disposition", contentDisposition(pkg.fileName));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "private, no-store");
    res.setHeader("ETag", `"${pkg.sha256}"`);
    pipeline(pkg.stream, res, (err) => {
      if (err) logger.warn({ err, recordsRequestId: id }, "records package download ended early");
    });
  } catch (err) {
    sendError(res, err);
  }
}
