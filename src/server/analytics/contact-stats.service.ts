import type { DataSource } from "typeorm";
import type { Channel } from "../../../entities/enums";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { analystReads } from "./analyst-reads";
import {
  FACT_COLUMNS,
  Params,
  contactConditions,
  needsContactRow,
  type ContactFilterCommand,
} from "./contact-filter";

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

/** The sort under the median holds every contact's row: kept in memory, not spilled to disk. */
const STATS_WORK_MEM_MB = 64;

/** Trusted SQL per dimension over the fact row `f`; `$tz` is replaced by the time zone's placeholder. */
const DIMENSIONS: Record<StatsDimension, { sql: string; as: keyof ContactStatsRow }> = {
  CATEGORY: { sql: "f.category_id", as: "categoryId" },
  DEPARTMENT: { sql: "f.department_id", as: "departmentId" },
  CHANNEL: { sql: "f.channel", as: "channel" },
  // Formatted once per group, not per row.
  WEEK: { sql: "date_trunc('week', f.received_at AT TIME ZONE $tz)", as: "week" },
  // A confidential request has no constituent: it counts under no zip (the fact table holds none for it).
  ZIP: { sql: "f.zip", as: "zip" },
};

/**
 * Counts and times to close, grouped as asked, over the contacts the filter and the choke point leave.
 * Time to close runs from when the contact was received to when its lead assignment was completed.
 * Counts and the median are exact; the mean is summed in double precision. It reads `contact_fact`, one
 * row per contact kept by triggers in the writing transaction, joined to the contact only for a reference
 * number or words in the description.
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
  const where = contactConditions(v, args.filter, p, FACT_COLUMNS);
  // The choke point is written over the contact: join it whenever it narrows (it does not for analysts).
  const contactRow = needsContactRow(args.filter) || where[0] !== "TRUE";
  const tz = dims.includes(StatsDimension.WEEK) ? `${p.add(config().STAR_TIME_ZONE)}::text` : "";
  const keys = dims.map((d) => `${DIMENSIONS[d].sql.replace("$tz", tz)} AS "${DIMENSIONS[d].as}"`);
  const hours = `f.hours_to_close`;
  const closed = `f.status = 'COMPLETED'`;
  const outer = dims.map((d) =>
    d === StatsDimension.WEEK ? `to_char(g."week", 'YYYY-MM-DD') AS "week"` : `g."${DIMENSIONS[d].as}"`,
  );
  const sql = `SELECT ${[...outer, ""].join(", ")}
      g.count, g."openCount", g."closedCount", g."overdueCount", g."medianHoursToClose", g."avgHoursToClose"
    FROM (SELECT ${[...keys, ""].join(", ")}
      count(*)::int AS count,
      count(*) FILTER (WHERE f.status IN ('OPEN','IN_PROGRESS'))::int AS "openCount",
      count(*) FILTER (WHERE ${closed})::int AS "closedCount",
      count(*) FILTER (WHERE f.status IN ('OPEN','IN_PROGRESS') AND f.due_at < now())::int AS "overdueCount",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours}) FILTER (WHERE ${closed}) AS "medianHoursToClose",
      avg(${hours}) FILTER (WHERE ${closed}) AS "avgHoursToClose"
    FROM contact_fact f ${contactRow ? "JOIN contact ct ON ct.id = f.contact_id" : ""}
    WHERE ${where.join(" AND ")}
    ${dims.length ? `GROUP BY ${dims.map((_, i) => i + 1).join(", ")} ORDER BY ${dims.map((_, i) => `${i + 1} NULLS LAST`).join(", ")}` : ""}
    LIMIT ${p.add(MAX_STATS_ROWS + 1)}) g
    ${dims.length ? `ORDER BY ${dims.map((_, i) => `${i + 1} NULLS LAST`).join(", ")}` : ""}`;
  const rows: ContactStatsRow[] = await analystReads(ds, (db) => db.query(sql, p.values), {
    workMemMb: STATS_WORK_MEM_MB,
  });
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
