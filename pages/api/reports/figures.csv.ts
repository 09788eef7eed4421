import type { NextApiRequest, NextApiResponse } from "next";
import { viewerFromRequest } from "../../../src/server/auth/session";
import { getDataSource } from "../../../src/server/db/data-source";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { SlaGroupBy, slaReport, slaReportCsv } from "../../../src/server/review/sla-report.service";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** GET ?groupBy=&from=&to=[&departmentId=][&categoryId=]: the five-day figures as CSV, same rules as the API. */
export default async function figuresCsv(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") {
    res.setHeader("Allow", "GET");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    const report = await slaReport(ds, viewer, {
      groupBy: (one(req.query.groupBy) ?? SlaGroupBy.DEPARTMENT) as SlaGroupBy,
      from: one(req.query.from) ?? "",
      to: one(req.query.to) ?? "",
      departmentId: one(req.query.departmentId) ?? null,
      categoryId: one(req.query.categoryId) ?? null,
    });
    const name = `five-day-${report.groupBy.toLowerCase()}-${report.from}-${report.to}.csv`;
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
    res.setHeader("Cache-Control", "private, no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.end(slaReportCsv(report));
  } catch (err) {
    sendError(res, err);
  }
}
