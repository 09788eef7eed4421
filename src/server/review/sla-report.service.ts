import type { DataSource } from "typeorm";
import { Role } from "../../../entities/enums";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { addDays, localDate, type PlainDate } from "../routing/business-days";
import { optionalUuid } from "../validation/validate";
import {
  FIVE_DAYS_SECONDS,
  bucketHours,
  bucketSql,
  dayRange,
  dayRanges,
  factsSql,
  rangeValues,
  rollupState,
  type Range,
} from "./sla-rollup.service";

export enum SlaGroupBy {
  CITY = "CITY",
  DEPARTMENT = "DEPARTMENT",
  CATEGORY = "CATEGORY",
  WEEK = "WEEK",
  MONTH = "MONTH",
}

export const FIVE_DAY_GOAL = 0.95;
const MAX_SPAN_DAYS = 800;

/** What the figures count, shown next to them wherever they appear. */
export const SLA_DEFINITIONS: readonly string[] = [
  "Counted: lead assignments completed in the period (by the completion's date in the city's time zone). " +
    "Supporting assignments are not counted: only the lead answers the constituent.",
  "Under five days: completed less than 120 hours after it was assigned (completed minus assigned, from " +
    "when intake entered and routed the contact). Exactly 120 hours is not under five days. Weekends and " +
    "holidays count: the constituent waits through them. Time before entry (a letter on its way, say) is " +
    "not counted.",
  "Transfers: a transferred request counts once, for the department that completed it, and its clock is " +
    "not reset: it runs from the first assignment, because a misrouting is the city's delay.",
  "On time: completed by the assignment's due date, the category's SLA in city business days (weekends " +
    "and holidays excluded); after a transfer, counted from the transfer.",
  "Excluded: cancelled assignments, and the transferred ones (their request counts through the lead that " +
    "completed it). A reopened request counts when it is completed again, with its last completion.",
  "Median and 90th percentile time to complete: from the first assignment to completion, shown as the start of the " +
    "interval they fall in: six hours wide up to five days, twelve hours up to ten days, a day up to thirty " +
    "days, a week up to ninety days.",
  "Open backlog: open and in-progress lead assignments, by time since the request was first assigned.",
];

export interface SlaFigures {
  key: string;
  label: string;
  completed: number;
  underFiveDays: number;
  /** null when nothing was completed. */
  underFiveDaysShare: number | null;
  onTime: number;
  onTimeShare: number | null;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface BacklogBucket {
  label: string;
  minDays: number;
  maxDays: number | null;
  count: number;
}

export interface SlaReport {
  groupBy: SlaGroupBy;
  from: PlainDate;
  to: PlainDate;
  departmentId: string | null;
  categoryId: string | null;
  rows: SlaFigures[];
  total: SlaFigures;
  backlog: BacklogBucket[];
  goal: number;
  definitions: readonly string[];
  /** Days before this one came from the rollup; the rest were computed from the assignments. */
  rolledThrough: PlainDate | null;
  computedAt: Date;
}

export interface SlaReportQuery {
  groupBy: SlaGroupBy;
  from: string;
  to: string;
  departmentId?: string | null;
  categoryId?: string | null;
  /** Shares the live part between groupings of one request: a Map that lives as long as the request. */
  liveMemo?: Map<string, Promise<LiveRow[]>>;
  /** Leave the backlog out (the API reads it only when asked for). */
  includeBacklog?: boolean;
  /** For tests: the instant the backlog is aged at. */
  now?: Date;
}

const BACKLOG: { label: string; minDays: number; maxDays: number | null }[] = [
  { label: "Under 1 day", minDays: 0, maxDays: 1 },
  { label: "1 to 3 days", minDays: 1, maxDays: 3 },
  { label: "3 to 5 days", minDays: 3, maxDays: 5 },
  { label: "5 to 10 days", minDays: 5, maxDays: 10 },
  { label: "10 to 30 days", minDays: 10, maxDays: 30 },
  { label: "30 days or more", minDays: 30, maxDays: null },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function cityDate(field: string, value: string): PlainDate {
  if (typeof value !== "string" || !DATE.test(value) || addDays(value, 0) !== value) {
    throw badInput(field, "must be a date as YYYY-MM-DD");
  }
  return value;
}

const KEY_SQL: Record<SlaGroupBy, string> = {
  [SlaGroupBy.CITY]: `'city'`,
  [SlaGroupBy.DEPARTMENT]: `department_id::text`,
  [SlaGroupBy.CATEGORY]: `category_id::text`,
  [SlaGroupBy.WEEK]: `date_trunc('week', day)::date::text`,
  [SlaGroupBy.MONTH]: `to_char(day, 'YYYY-MM')`,
};

export interface LiveRow {
  day: PlainDate;
  department: string;
  category: string;
  bucket: number;
  n: number;
  under: number;
  on_time: number;
}

const monday = (d: PlainDate) => addDays(d, -((new Date(`${d}T12:00:00Z`).getUTCDay() + 6) % 7));

/** The same keys as KEY_SQL, for rows computed live. */
const LIVE_KEY: Record<SlaGroupBy, (r: LiveRow) => string> = {
  [SlaGroupBy.CITY]: () => "city",
  [SlaGroupBy.DEPARTMENT]: (r) => r.department,
  [SlaGroupBy.CATEGORY]: (r) => r.category,
  [SlaGroupBy.WEEK]: (r) => monday(r.day),
  [SlaGroupBy.MONTH]: (r) => r.day.slice(0, 7),
};

/** percentile_disc over a histogram: the first bucket whose running count reaches ceil(f * n). */
export function histogramPercentile(hist: Map<number, number>, f: number): number | null {
  let total = 0;
  for (const n of hist.values()) total += n;
  if (!total) return null;
  const target = Math.max(1, Math.ceil(f * total));
  let running = 0;
  for (const b of [...hist.keys()].sort((x, y) => x - y)) {
    running += hist.get(b)!;
    if (running >= target) return bucketHours(b);
  }
  return null;
}

const share = (n: number, of: number) => (of ? n / of : null);

function figures(
  key: string,
  label: string,
  c: { completed: number; under: number; onTime: number },
  hist: Map<number, number>,
) {
  return {
    key,
    label,
    completed: c.completed,
    underFiveDays: c.under,
    underFiveDaysShare: share(c.under, c.completed),
    onTime: c.onTime,
    onTimeShare: share(c.onTime, c.completed),
    medianHours: histogramPercentile(hist, 0.5),
    p90Hours: histogramPercentile(hist, 0.9),
  };
}

const MONTHS = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

async function labels(ds: DataSource, groupBy: SlaGroupBy, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (groupBy === SlaGroupBy.DEPARTMENT || groupBy === SlaGroupBy.CATEGORY) {
    const table = groupBy === SlaGroupBy.DEPARTMENT ? "department" : "category";
    const rows: { id: string; name: string }[] = await ds.query(
      `SELECT id::text AS id, name FROM ${table} WHERE id = ANY($1::uuid[])`,
      [keys],
    );
    for (const r of rows) out.set(r.id, r.name);
  }
  for (const k of keys) {
    if (out.has(k)) continue;
    if (groupBy === SlaGroupBy.CITY) out.set(k, "City-wide");
    else if (groupBy === SlaGroupBy.WEEK) out.set(k, `Week of ${k}`);
    else if (groupBy === SlaGroupBy.MONTH) out.set(k, MONTHS.format(new Date(`${k}-01T12:00:00Z`)));
    else out.set(k, k);
  }
  return out;
}

interface Rolled {
  counts: { key: string; completed: number; under: number; on_time: number }[];
  buckets: { key: string; bucket: number; n: number }[];
}

// Rolled days change only when the rollup is refreshed or a day is marked dirty, and both are part of the
// key: the same figures are not summed again on every page view.
const ROLLED_CACHE_SIZE = 500;
const rolledCaches = new WeakMap<DataSource, Map<string, Promise<Rolled>>>();

function cachedRolled(ds: DataSource, key: string, load: () => Promise<Rolled>): Promise<Rolled> {
  let rolledCache = rolledCaches.get(ds);
  if (!rolledCache) rolledCaches.set(ds, (rolledCache = new Map()));
  const cache = rolledCache;
  let hit = rolledCache.get(key);
  if (hit) {
    rolledCache.delete(key);
    rolledCache.set(key, hit);
    return hit;
  }
  hit = load();
  rolledCache.set(key, hit);
  hit.catch(() => cache.delete(key));
  if (rolledCache.size > ROLLED_CACHE_SIZE) rolledCache.delete(rolledCache.keys().next().value!);
  return hit;
}

/** The rolled days' sums per group: `p` is [from, rolled until, dirty days, department, category]. */
async function rolledFigures(
  ds: DataSource,
  key: string,
  p: unknown[],
  groupBy: SlaGroupBy,
  categoryId: string | null,
): Promise<Rolled> {
  const byDept = `($4::uuid IS NULL OR department_id = $4::uuid)`;
  const narrow = `${byDept} AND ($5::uuid IS NULL OR category_id = $5::uuid)`;
  const days = `day >= $1::date AND day < $2::date AND day <> ALL($3::date[])`;
  const counts: Rolled["counts"] = await ds.query(
    `SELECT ${key} AS key, sum(completed)::int AS completed, sum(under_five_days)::int AS under,
            sum(on_time)::int AS on_time
       FROM sla_rollup WHERE ${days} AND ${narrow} GROUP BY 1`,
    p,
  );
  // Without categories in the grouping or the filter, the smaller per-department histogram will do.
  const perCategory = groupBy === SlaGroupBy.CATEGORY || !!categoryId;
  const buckets: Rolled["buckets"] = await ds.query(
    perCategory
      ? `SELECT ${key} AS key, bucket::int AS bucket, sum(n)::int AS n FROM sla_rollup_bucket
          WHERE ${days} AND ${narrow} GROUP BY 1, 2`
      : `SELECT ${key} AS key, bucket::int AS bucket, sum(n)::int AS n FROM sla_rollup_department_bucket
          WHERE ${days} AND ${byDept} AND $5::uuid IS NULL GROUP BY 1, 2`,
    p,
  );
  return { counts, buckets };
}

/**
 * The five-day figure, on-time share, median and 90th percentile time to complete, grouped as asked, for
 * completions from `from` to `to` (city dates, both included), and the open backlog by age now. Rolled days
 * come from the rollup; dirty days and the days not rolled yet are computed from the assignments, so the
 * figures are exact whenever they are read. DEPARTMENT staff get their own department's figures only.
 */
export async function slaReport(
  ds: DataSource,
  viewer: Viewer | null,
  q: SlaReportQuery,
): Promise<SlaReport> {
  const v = requireRole(viewer, Rules.readSlaReport);
  const groupBy = q.groupBy;
  if (!Object.values(SlaGroupBy).includes(groupBy)) throw badInput("groupBy", "is not a grouping");
  const from = cityDate("from", q.from);
  const to = cityDate("to", q.to);
  if (to < from) throw badInput("to", "must not be before from");
  if (addDays(from, MAX_SPAN_DAYS) <= to) throw badInput("to", `spans at most ${MAX_SPAN_DAYS} days`);
  const departmentId =
    v.role === Role.DEPARTMENT ? v.departmentId : optionalUuid("departmentId", q.departmentId);
  const categoryId = optionalUuid("categoryId", q.categoryId);
  const tz = config().STAR_TIME_ZONE;
  const end = addDays(to, 1);

  const state = await rollupState(ds);
  const through = state.rolledThrough;
  let live: Range[];
  let rolledUntil: PlainDate;
  if (!through) {
    live = [dayRange(from, end, tz)];
    rolledUntil = from;
  } else {
    rolledUntil = through < end ? through : end;
    live = dayRanges(
      state.dirty.filter((d) => d >= from && d < rolledUntil),
      tz,
    );
    if (through < end) live.push(dayRange(through > from ? through : from, end, tz));
  }
  const key = KEY_SQL[groupBy];
  const rolledKey = JSON.stringify([
    groupBy,
    from,
    rolledUntil,
    state.dirty,
    state.stamp,
    state.version,
    tz,
    departmentId,
    categoryId,
  ]);
  const rolled = await cachedRolled(ds, rolledKey, () =>
    rolledFigures(ds, key, [from, rolledUntil, state.dirty, departmentId, categoryId], groupBy, categoryId),
  );
  // Without categories in the grouping or the filter, one row per day, department and bucket will do.
  const perCategory = groupBy === SlaGroupBy.CATEGORY || !!categoryId;
  const liveArgs = [tz, departmentId, categoryId, ...rangeValues(live)];
  const loadLive = (): Promise<LiveRow[]> =>
    live.length
      ? ds.query(
          `WITH live AS (${factsSql(live, 4)})
           SELECT day::text AS day, department_id::text AS department,
                  ${perCategory ? "category_id::text" : "''"} AS category,
                  ${bucketSql("secs")} AS bucket, count(*)::int AS n,
                  count(*) FILTER (WHERE secs < ${FIVE_DAYS_SECONDS})::int AS under,
                  count(*) FILTER (WHERE on_time)::int AS on_time
             FROM live
            WHERE ($2::uuid IS NULL OR department_id = $2::uuid) AND ($3::uuid IS NULL OR category_id = $3::uuid)
            GROUP BY 1, 2, 3, 4`,
          liveArgs,
        )
      : Promise.resolve([]);
  // Groupings of one period asked for in one request share the live rows (the memo lives as long as it).
  const memoKey = JSON.stringify([perCategory, ...liveArgs]);
  let liveRows = q.liveMemo?.get(memoKey);
  if (!liveRows) {
    liveRows = loadLive();
    q.liveMemo?.set(memoKey, liveRows);
  }
  const keyOf = LIVE_KEY[groupBy];

  const counts = new Map<string, { completed: number; under: number; onTime: number }>();
  const hists = new Map<string, Map<number, number>>();
  const city = new Map<number, number>();
  const addCounts = (k: string, completed: number, under: number, onTime: number) => {
    const c = counts.get(k) ?? { completed: 0, under: 0, onTime: 0 };
    counts.set(k, { completed: c.completed + completed, under: c.under + under, onTime: c.onTime + onTime });
  };
  const addBucket = (k: string, bucket: number, n: number) => {
    let h = hists.get(k);
    if (!h) hists.set(k, (h = new Map()));
    h.set(bucket, (h.get(bucket) ?? 0) + n);
    city.set(bucket, (city.get(bucket) ?? 0) + n);
  };
  for (const c of rolled.counts) addCounts(c.key, c.completed, c.under, c.on_time);
  for (const b of rolled.buckets) addBucket(b.key, b.bucket, b.n);
  for (const l of await liveRows) {
    addCounts(keyOf(l), l.n, l.under, l.on_time);
    addBucket(keyOf(l), l.bucket, l.n);
  }
  const names = await labels(ds, groupBy, [...counts.keys()]);
  const rows = [...counts].map(([k, c]) => figures(k, names.get(k) ?? k, c, hists.get(k) ?? new Map()));
  rows.sort((a, b) =>
    groupBy === SlaGroupBy.WEEK || groupBy === SlaGroupBy.MONTH
      ? a.key.localeCompare(b.key)
      : a.label.localeCompare(b.label) || a.key.localeCompare(b.key),
  );
  const sum = (f: (c: { completed: number; under: number; onTime: number }) => number) =>
    [...counts.values()].reduce((n, c) => n + f(c), 0);
  const total = figures(
    "total",
    departmentId ? "Department total" : "City-wide",
    { completed: sum((c) => c.completed), under: sum((c) => c.under), onTime: sum((c) => c.onTime) },
    city,
  );

  const now = q.now ?? new Date();
  const backlog = q.includeBacklog === false ? [] : await backlogOf(ds, departmentId, categoryId, now);

  return {
    groupBy,
    from,
    to,
    departmentId,
    categoryId,
    rows,
    total,
    backlog,
    goal: FIVE_DAY_GOAL,
    definitions: SLA_DEFINITIONS,
    rolledThrough: through,
    computedAt: now,
  };
}

/** Open and in-progress lead assignments now, by time since the request was first assigned. */
export async function slaBacklog(
  ds: DataSource,
  viewer: Viewer | null,
  q: { departmentId?: string | null; categoryId?: string | null; now?: Date },
): Promise<BacklogBucket[]> {
  const v = requireRole(viewer, Rules.readSlaReport);
  const departmentId =
    v.role === Role.DEPARTMENT ? v.departmentId : optionalUuid("departmentId", q.departmentId);
  return backlogOf(ds, departmentId, optionalUuid("categoryId", q.categoryId), q.now ?? new Date());
}

async function backlogOf(
  ds: DataSource,
  departmentId: string | null,
  categoryId: string | null,
  now: Date,
): Promise<BacklogBucket[]> {
  const backlogRows: { b: number; n: number }[] = await ds.query(
    `SELECT CASE ${BACKLOG.map((b, i) => (b.maxDays === null ? "" : `WHEN age < interval '${b.maxDays} days' THEN ${i} `)).join("")}ELSE ${BACKLOG.length - 1} END AS b,
            count(*)::int AS n
       FROM (SELECT $1::timestamptz - started_at AS age FROM sla_open_lead
              WHERE ($2::uuid IS NULL OR department_id = $2::uuid)
                AND ($3::uuid IS NULL OR category_id = $3::uuid)) x
      GROUP BY 1`,
    [now, departmentId, categoryId],
  );
  return BACKLOG.map((b, i) => ({ ...b, count: backlogRows.find((r) => r.b === i)?.n ?? 0 }));
}

/** The city date `days` before today, and today: a default period. */
export function lastDays(days: number, now = new Date()): { from: PlainDate; to: PlainDate } {
  const today = localDate(now, config().STAR_TIME_ZONE);
  return { from: addDays(today, -(days - 1)), to: today };
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const pct = (x: number | null) => (x === null ? null : (Math.round(x * 10000) / 100).toFixed(2));

/** The figures as CSV (RFC 4180, CRLF), the definitions as trailing comment lines. */
export function slaReportCsv(r: SlaReport): string {
  const head = [
    "group",
    "key",
    "label",
    "from",
    "to",
    "completed",
    "under_five_days",
    "under_five_days_pct",
    "on_time",
    "on_time_pct",
    "median_hours",
    "p90_hours",
  ];
  const line = (group: string, f: SlaFigures) =>
    [
      group,
      f.key,
      f.label,
      r.from,
      r.to,
      f.completed,
      f.underFiveDays,
      pct(f.underFiveDaysShare),
      f.onTime,
      pct(f.onTimeShare),
      f.medianHours,
      f.p90Hours,
    ]
      .map(csvCell)
      .join(",");
  const lines = [head.join(","), ...r.rows.map((f) => line(r.groupBy, f)), line("TOTAL", r.total)];
  lines.push("", "backlog_age,count");
  for (const b of r.backlog) lines.push([csvCell(b.label), b.count].join(","));
  lines.push("", "definition");
  for (const d of r.definitions) lines.push(csvCell(d));
  return `${lines.join("\r\n")}\r\n`;
}
