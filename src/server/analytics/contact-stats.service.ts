import type { DataSource } from "typeorm";
import type { Channel } from "../../../entities/enums";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { analystReads } from "./analyst-reads";
import { LEAD_JOIN, Params, contactConditions, type ContactFilterCommand } from "./contact-filter";

export enum StatsDimension {
  CATEGORY = "CATEGORY",
  DEPARTMENT = "DEPARTMENT",
  CHANNEL = "CHANNEL",
  WEEK = "WEEK",
  ZIP = "ZIP",
}

export interface ContactStatsRow {
  categoryId: string | null;
  departmentId: string | null;
  channel: Channel | null;
  /** Monday of the week the contact was received, in the city's time zone (YYYY-MM-DD). */
  week: string | null;
  zip: string | null;
  count: number;
  openCount: number;
  closedCount: number;
  overdueCount: number;
  medianHoursToClose: number | null;
  avgHoursToClose: number | null;
}

export const MAX_STATS_ROWS = 5000;

/** Trusted SQL per dimension; `$tz` is replaced by the time zone's placeholder. */
const DIMENSIONS: Record<StatsDimension, { sql: string; as: keyof ContactStatsRow }> = {
  CATEGORY: { sql: "ct.category_id", as: "categoryId" },
  DEPARTMENT: { sql: "la.department_id", as: "departmentId" },
  CHANNEL: { sql: "ct.channel", as: "channel" },
  WEEK: { sql: "to_char(date_trunc('week', ct.received_at AT TIME ZONE $tz), 'YYYY-MM-DD')", as: "week" },
  // A confidential request has no constituent: it counts under no zip.
  ZIP: { sql: "cn.postal_code", as: "zip" },
};

/**
 * Counts and times to close, grouped as asked, over the contacts the filter and the choke point leave.
 * Time to close runs from when the contact was received to when its lead assignment was completed.
 */
export async function contactStats(
  ds: DataSource,
  viewer: Viewer | null,
  args: { groupBy: StatsDimension[]; filter?: ContactFilterCommand | null },
): Promise<ContactStatsRow[]> {
  const v = requireRole(viewer, Rules.readAnalytics);
  const dims = [...new Set(args.groupBy ?? [])];
  for (const d of dims) if (!DIMENSIONS[d]) throw badInput("groupBy", `unknown dimension ${String(d)}`);
  const p = new Params();
  const where = contactConditions(v, args.filter, p);
  const tz = dims.includes(StatsDimension.WEEK) ? `${p.add(config().STAR_TIME_ZONE)}::text` : "";
  const keys = dims.map((d) => `${DIMENSIONS[d].sql.replace("$tz", tz)} AS "${DIMENSIONS[d].as}"`);
  const hours = `extract(epoch FROM la.completed_at - ct.received_at) / 3600.0`;
  const closed = `la.status = 'COMPLETED'`;
  const sql = `SELECT ${[...keys, ""].join(", ")}
      count(*)::int AS count,
      count(*) FILTER (WHERE la.status IN ('OPEN','IN_PROGRESS'))::int AS "openCount",
      count(*) FILTER (WHERE ${closed})::int AS "closedCount",
      count(*) FILTER (WHERE la.status IN ('OPEN','IN_PROGRESS') AND la.due_at < now())::int AS "overdueCount",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours}) FILTER (WHERE ${closed}) AS "medianHoursToClose",
      avg(${hours}) FILTER (WHERE ${closed}) AS "avgHoursToClose"
    FROM contact ct ${LEAD_JOIN}
    ${dims.includes(StatsDimension.ZIP) ? "LEFT JOIN constituent cn ON cn.id = ct.constituent_id" : ""}
    WHERE ${where.join(" AND ")}
    ${dims.length ? `GROUP BY ${dims.map((_, i) => i + 1).join(", ")} ORDER BY ${dims.map((_, i) => `${i + 1} NULLS LAST`).join(", ")}` : ""}
    LIMIT ${p.add(MAX_STATS_ROWS + 1)}`;
  const rows: ContactStatsRow[] = await analystReads(ds, (db) => db.query(sql, p.values));
  if (rows.length > MAX_STATS_ROWS)
    throw badInput(
      "groupBy",
      `more than ${MAX_STATS_ROWS} groups; group by fewer dimensions or narrow the filter`,
    );
  return rows.map((r) => ({
    categoryId: r.categoryId ?? null,
    departmentId: r.departmentId ?? null,
    channel: r.channel ?? null,
    week: r.week ?? null,
    zip: r.zip ?? null,
    count: r.count,
    openCount: r.openCount,
    closedCount: r.closedCount,
    overdueCount: r.overdueCount,
    medianHoursToClose: r.medianHoursToClose == null ? null : Number(r.medianHoursToClose),
    avgHoursToClose: r.avgHoursToClose == null ? null : Number(r.avgHoursToClose),
  }));
}
