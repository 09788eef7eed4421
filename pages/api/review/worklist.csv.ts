import type { NextApiRequest, NextApiResponse } from "next";
import { viewerFromRequest } from "../../../src/server/auth/session";
import { config } from "../../../src/server/config/config";
import { getDataSource } from "../../../src/server/db/data-source";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { logger } from "../../../src/server/logging/logger";
import { reviewFilterFromQuery } from "../../../src/server/review/review-filter";
import { worklistCsv } from "../../../src/server/review/review-packet.service";
import { localDate } from "../../../src/server/routing/business-days";

/** GET: the review worklist as CSV, with the page's filters (department, category, age, ...). */
export default async function worklistCsvRoute(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    const lines = worklistCsv(ds, viewer, reviewFilterFromQuery(req.query));
    // The first chunk checks the role and the filter before any header is sent.
    const head = await lines.next();
    const day = localDate(new Date(), config().STAR_TIME_ZONE);
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="review-worklist-${day}.csv"`);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    // A byte order mark, so spreadsheet programs read the accents right.
    res.write("\uFEFF");
    if (!head.done) res.write(head.value);
    for await (const chunk of lines) res.write(chunk);
    res.end();
  } catch (err) {
    if (res.headersSent) logger.error({ err }, "worklist export ended early");
    sendError(res, err);
  }
}
