import type { NextApiRequest, NextApiResponse } from "next";
import { viewerFromRequest } from "../../../src/server/auth/session";
import { getDataSource } from "../../../src/server/db/data-source";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import {
  FindingKind,
  consistencyFindings,
  consistencyFindingsCsv,
} from "../../../src/server/review/consistency.service";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** GET ?from=&to=[&kinds=A,B]: the consistency findings as CSV, same rules as the findings page. */
export default async function findingsCsv(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    const kinds = one(req.query.kinds);
    const from = one(req.query.from) ?? null;
    const to = one(req.query.to) ?? null;
    const findings = await consistencyFindings(ds, viewer, {
      from,
      to,
      kinds: kinds ? (kinds.split(",") as FindingKind[]) : null,
    });
    const name = `consistency-findings-${from ?? "recent"}-${to ?? "today"}.csv`.replace(/[^\w.-]/g, "");
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
    res.setHeader("Cache-Control", "private, no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.end(consistencyFindingsCsv(findings));
  } catch (err) {
    sendError(res, err);
  }
}
