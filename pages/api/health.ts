import type { NextApiRequest, NextApiResponse } from "next";
import { getDataSource } from "../../src/server/db/data-source";
import { sendJson } from "../../src/server/errors/http-error";
import { logger } from "../../src/server/logging/logger";

/** GET: 200 when the app can reach its database, else 503; for load balancers and uptime checks. */
export default async function health(req: NextApiRequest, res: NextApiResponse) {
  res.setHeader("Cache-Control", "no-store");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    await ds.query(`SELECT 1`);
    return sendJson(res, 200, { status: "ok" });
  } catch (err) {
    logger.error({ err }, "health check: the database is not reachable");
    return sendJson(res, 503, { status: "unavailable" });
  }
}
