import type { DataSource, EntityManager } from "typeorm";
import type { Channel } from "../../../entities/enums";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { analystReads } from "./analyst-reads";
import {
  FACT_COLUMNS,
  Params,
  contactConditions,
  dimensionsOnly,
  needsContactRow,
  type ContactFilterCommand,
} from "./contact-filter";
import { CELL_BUCKETS, cellsZone } from "./contact-stats-cells";

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
  /** The median was estimated from the cells' histogram (see contact-stats-cells.ts), not computed. */
  medianEstimated: boolean;
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
 * When the filter narrows by channel, category or department only and the choke point does not narrow,
 * the answer comes from contact_stats_cell (a few thousand rows however many contacts): counts and the
 * mean exact, the median estimated from the cells' histogram (`medianEstimated`). Otherwise it reads
 * `contact_fact`, one row per contact kept by triggers in the writing transaction, joined to the contact
 * only for a reference number or words in the description: counts and the median exact, the mean summed
 * in double precision. `cells: false` always reads the facts.
 */
export async function contactStats(
  ds: DataSource,
  viewer: Viewer | null,
  args: { groupBy: StatsDimension[]; filter?: ContactFilterCommand | null },
  opts: { cells?: boolean } = {},
): Promise<ContactStatsRow[]> {
  const v = requireRole(viewer, Rules.readAnalytics);
  const dims = [...new Set(args.groupBy ?? [])];
  for (const d of dims) if (!DIMENSIONS[d]) throw badInput("groupBy", `unknown dimension ${String(d)}`);
  const p = new Params();
  const where = contactConditions(v, args.filter, p, FACT_COLUMNS);
  const kind = opts.cells === false || where[0] !== "TRUE" ? null : cellKind(dims, args.filter);
  const rows = await analystReads(
    ds,
    async (db) => {
      if (kind && (await cellsZone(db)) === config().STAR_TIME_ZONE)
        return fromCells(db, dims, kind, args.filter);
      return live(db, dims, where, p, args.filter);
    },
    { workMemMb: STATS_WORK_MEM_MB },
  );
  return rows;
}

/** Both readers fetch one group more than they may answer, and refuse when it came. */
function atMostMaxGroups<T>(rows: T[]): T[] {
  if (rows.length > MAX_STATS_ROWS)
    throw badInput(
      "groupBy",
      `more than ${MAX_STATS_ROWS} groups; group by fewer dimensions or narrow the filter`,
    );
  return rows;
}

/** Which cells answer this question, if any: the filter narrows by their dimensions only. */
function cellKind(dims: StatsDimension[], filter: ContactFilterCommand | null | undefined): 1 | 2 | null {
  const only = dimensionsOnly(filter);
  if (!only) return null;
  if (!dims.includes(StatsDimension.ZIP)) return 1;
  const byZip = dims.every((d) => d === StatsDimension.ZIP || d === StatsDimension.WEEK);
  return byZip && !only.channels && !only.categories && !only.departments ? 2 : null;
}

const CELL_KEYS: Record<StatsDimension, string> = {
  CATEGORY: "c.category_id",
  DEPARTMENT: "c.department_id",
  CHANNEL: "c.channel",
  WEEK: "c.week",
  ZIP: "c.zip",
};

const rowKey = (r: Partial<ContactStatsRow>, dims: StatsDimension[]) =>
  JSON.stringify(dims.map((d) => r[DIMENSIONS[d].as] ?? null));

/**
 * From the cells: counts, the mean and the histogram summed per group, the median estimated from it;
 * overdue counts move with the clock and are read live from the open facts' covering index.
 */
async function fromCells(
  db: EntityManager,
  dims: StatsDimension[],
  kind: 1 | 2,
  filter: ContactFilterCommand | null | undefined,
): Promise<ContactStatsRow[]> {
  const only = dimensionsOnly(filter)!;
  const p = new Params();
  const q = new Params();
  const cellWhere = [`c.kind = ${p.add(kind)}`];
  const factWhere: string[] = [];
  const narrow = (values: string[] | null, cell: string, fact: string, type: string) => {
    if (!values) return;
    cellWhere.push(`${cell} = ANY(${p.add(values)}::${type}[])`);
    factWhere.push(`${fact} = ANY(${q.add(values)}::${type}[])`);
  };
  narrow(only.channels, "c.channel", "f.channel", "varchar");
  narrow(only.categories, "c.category_id", "f.category_id", "uuid");
  narrow(only.departments, "c.department_id", "f.department_id", "uuid");
  const as = (d: StatsDimension) => `"${DIMENSIONS[d].as}"`;
  const keys = dims.map((d) =>
    d === StatsDimension.WEEK ? `to_char(c.week, 'YYYY-MM-DD') AS "week"` : `${CELL_KEYS[d]} AS ${as(d)}`,
  );
  const groupOrder = dims.length
    ? `GROUP BY ${dims.map((_, i) => i + 1).join(", ")} HAVING sum(c.n) > 0
       ORDER BY ${dims.map((_, i) => `${i + 1} NULLS LAST`).join(", ")}`
    : "";
  const buckets = Array.from({ length: CELL_BUCKETS }, (_, i) => `sum(c.h${i})::int`);
  const cells: Record<string, unknown>[] = await db.query(
    `SELECT ${[...keys, ""].join(", ")} coalesce(sum(c.n), 0)::int AS count,
            coalesce(sum(c.open_n), 0)::int AS "openCount", coalesce(sum(c.closed_n), 0)::int AS "closedCount",
            sum(c.hours_sum)::float8 AS hours, contact_stats_median(ARRAY[${buckets.join(", ")}]) AS median
       FROM contact_stats_cell c WHERE ${cellWhere.join(" AND ")}
       ${groupOrder} LIMIT ${p.add(MAX_STATS_ROWS + 1)}`,
    p.values,
  );
  atMostMaxGroups(cells);
  // A week is found by its start's instant among the weeks' starts (a binary search), not by converting
  // every row's time to the zone: that conversion was most of this statement's cost.
  const byWeek = dims.includes(StatsDimension.WEEK);
  const tz = byWeek ? `${q.add(config().STAR_TIME_ZONE)}::text` : "";
  const starts = `ARRAY(SELECT w::timestamp AT TIME ZONE ${tz} FROM generate_series(
      date_trunc('week', (SELECT min(received_at) FROM contact_fact) AT TIME ZONE ${tz}),
      greatest(now(), (SELECT max(received_at) FROM contact_fact)) AT TIME ZONE ${tz}, interval '1 week') w)`;
  const inner = dims.map((d, i) =>
    d === StatsDimension.WEEK
      ? `width_bucket(f.received_at, s.starts) AS k${i}`
      : `${DIMENSIONS[d].sql} AS k${i}`,
  );
  const outer = dims.map((d, i) =>
    d === StatsDimension.WEEK
      ? `to_char(s.starts[g.k${i}] AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS "week"`
      : `g.k${i} AS ${as(d)}`,
  );
  const overdue: Record<string, unknown>[] = await db.query(
    `WITH s AS MATERIALIZED (SELECT ${byWeek ? starts : "NULL::timestamptz[]"} AS starts)
     SELECT ${[...outer, ""].join(", ")} g.n FROM s, (
       SELECT ${[...inner, ""].join(", ")} count(*)::int AS n FROM s, contact_fact f
        WHERE f.status IN ('OPEN','IN_PROGRESS') AND f.due_at < now() ${factWhere.map((w) => `AND ${w}`).join(" ")}
        ${dims.length ? `GROUP BY ${dims.map((_, i) => i + 1).join(", ")}` : ""}) g`,
    q.values,
  );
  const late = new Map(overdue.map((r) => [rowKey(r, dims), r.n as number]));
  return cells.map((r) => {
    const closed = r.closedCount as number;
    return {
      ...keysOf(r),
      count: r.count as number,
      openCount: r.openCount as number,
      closedCount: closed,
      overdueCount: late.get(rowKey(r, dims)) ?? 0,
      medianHoursToClose: r.median as number | null,
      medianEstimated: true,
      avgHoursToClose: closed ? (r.hours as number) / closed : null,
    };
  });
}

function keysOf(r: Record<string, unknown>) {
  return {
    categoryId: (r.categoryId as string | undefined) ?? null,
    departmentId: (r.departmentId as string | undefined) ?? null,
    channel: (r.channel as Channel | undefined) ?? null,
    week: (r.week as string | undefined) ?? null,
    zip: (r.zip as string | undefined) ?? null,
  };
}

/** From the facts themselves: exact counts and median, whatever the filter. */
async function live(
  db: EntityManager,
  dims: StatsDimension[],
  where: string[],
  p: Params,
  filter: ContactFilterCommand | null | undefined,
): Promise<ContactStatsRow[]> {
  // The choke point is written over the contact: join it whenever it narrows (it does not for analysts).
  const contactRow = needsContactRow(filter) || where[0] !== "TRUE";
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
  const rows = atMostMaxGroups<Record<string, unknown>>(await db.query(sql, p.values));
  return rows.map((r) => ({
    ...keysOf(r),
    count: r.count as number,
    openCount: r.openCount as number,
    closedCount: r.closedCount as number,
    overdueCount: r.overdueCount as number,
    medianHoursToClose: r.medianHoursToClose == null ? null : Number(r.medianHoursToClose),
    medianEstimated: false,
    avgHoursToClose: r.avgHoursToClose == null ? null : Number(r.avgHoursToClose),
  }));
}
