import type { DataSource, EntityManager } from "typeorm";
import { config } from "../config/config";
import { logger } from "../logging/logger";
import { progress } from "../logging/progress";
import { addDays, localDate, zonedInstant, type PlainDate } from "../routing/business-days";

/** Completed in under five days: strictly less than 120 hours from the first assignment (the contact's entry). */
export const FIVE_DAYS_SECONDS = 120 * 3600;

/*
 * Time to complete is kept as a histogram with few buckets, so a period's medians and percentiles read a
 * few rows per day: six hours wide up to five days (120 hours is a bucket edge), twelve hours up to ten
 * days, a day up to thirty days, a week up to ninety days, then one bucket for everything longer.
 */
const STEPS: { from: number; width: number; first: number }[] = [
  { from: 720, width: 168, first: 50 },
  { from: 240, width: 24, first: 30 },
  { from: 120, width: 12, first: 20 },
  { from: 0, width: 6, first: 0 },
];
const LAST_HOUR = 2160;
export const LAST_BUCKET = 59;

/** The histogram bucket of a duration in seconds (the same rule as bucketSql). */
export function bucketOf(seconds: number): number {
  const hours = Math.max(0, seconds) / 3600;
  if (hours >= LAST_HOUR) return LAST_BUCKET;
  const step = STEPS.find((s) => hours >= s.from)!;
  return step.first + Math.floor((hours - step.from) / step.width);
}

/** The first hour a bucket covers. */
export function bucketHours(bucket: number): number {
  if (bucket >= LAST_BUCKET) return LAST_HOUR;
  const step = STEPS.find((s) => bucket >= s.first)!;
  return step.from + (bucket - step.first) * step.width;
}

/** `secs` is a column of seconds. */
export function bucketSql(secs: string): string {
  const steps = STEPS.map(
    (s) =>
      `WHEN ${secs} >= ${s.from * 3600} THEN ${s.first} + floor((${secs} - ${s.from * 3600}) / ${s.width * 3600})::int`,
  ).join(" ");
  return `(CASE WHEN ${secs} >= ${LAST_HOUR * 3600} THEN ${LAST_BUCKET} ${steps} ELSE 0 END)`;
}

/**
 * One row per completed lead assignment whose completion falls in one of the (disjoint) ranges; $1 is the
 * city's time zone, the ranges' instants are the parameters from `$first` on (see rangeValues), so the
 * planner sees the actual instants. Transferred, cancelled and supporting assignments are not facts: a
 * transferred request counts once, through the lead that completed it, on the clock that started when the
 * request was first assigned (the contact's entry, when intake routed it).
 */
export function factsSql(ranges: Range[], first: number): string {
  const within = ranges.length
    ? ranges
        .map((_, i) => `(a.completed_at >= $${first + 2 * i} AND a.completed_at < $${first + 2 * i + 1})`)
        .join(" OR ")
    : "FALSE";
  return `
  SELECT (a.completed_at AT TIME ZONE $1)::date AS day, a.department_id, k.category_id,
         extract(epoch FROM a.completed_at - k.entered_at)::float8 AS secs,
         a.completed_at <= a.due_at AS on_time
    FROM assignment a JOIN contact k ON k.id = a.contact_id
   WHERE a.is_lead AND a.status = 'COMPLETED' AND (${within})`;
}

export const rangeValues = (ranges: Range[]): Date[] => ranges.flatMap((r) => [r.start, r.end]);

export interface Range {
  start: Date;
  end: Date;
}

/**
 * Writers that change a rolled day hold this advisory lock shared until they commit (the triggers take it);
 * a refresh takes it exclusively, so it rolls a day either with a change or before it.
 */
export const SLA_ROLLUP_LOCK = 5_305_117_001;

export interface RollupState {
  timeZone: string;
  /** Days before this one are rolled up (unless dirty); null when nothing is. */
  rolledThrough: PlainDate | null;
  refreshedAt: Date | null;
  /** The refresh's time to the microsecond: tells one rollup from the next. */
  stamp: string | null;
  /** Bumped by every change the triggers make to rolled days. */
  version: string;
  /** Rolled days changed since: read live until the next refresh. */
  dirty: PlainDate[];
}

export async function rollupState(db: DataSource | EntityManager): Promise<RollupState> {
  const tz = config().STAR_TIME_ZONE;
  const rows: {
    time_zone: string;
    rolled_through: string | null;
    refreshed_at: Date | null;
    stamp: string | null;
    version: string;
  }[] = await db.query(
    `SELECT time_zone, rolled_through::text AS rolled_through, refreshed_at, refreshed_at::text AS stamp,
            version::text AS version
       FROM sla_rollup_state WHERE id = 1`,
  );
  const s = rows[0];
  // A rollup made in another zone has other day boundaries: nothing of it is used.
  if (!s || s.time_zone !== tz || !s.rolled_through) {
    return {
      timeZone: tz,
      rolledThrough: null,
      refreshedAt: s?.refreshed_at ?? null,
      stamp: null,
      version: s?.version ?? "0",
      dirty: [],
    };
  }
  const dirty: { day: string }[] = await db.query(
    `SELECT day::text AS day FROM sla_rollup_dirty WHERE day < $1::date ORDER BY day`,
    [s.rolled_through],
  );
  return {
    timeZone: tz,
    rolledThrough: s.rolled_through,
    refreshedAt: s.refreshed_at,
    stamp: s.stamp,
    version: s.version,
    dirty: dirty.map((d) => d.day),
  };
}

/** The instants a run of city days covers: [first day's midnight, the midnight after the last). */
export function dayRange(first: PlainDate, afterLast: PlainDate, timeZone: string): Range {
  return { start: zonedInstant(first, 0, timeZone), end: zonedInstant(afterLast, 0, timeZone) };
}

/** Collapses sorted days into runs of consecutive days, as instant ranges. */
export function dayRanges(days: PlainDate[], timeZone: string): Range[] {
  const sorted = [...new Set(days)].sort();
  const out: Range[] = [];
  let runStart: PlainDate | null = null;
  let prev: PlainDate | null = null;
  for (const d of sorted) {
    if (prev && addDays(prev, 1) === d) {
      prev = d;
      continue;
    }
    if (runStart && prev) out.push(dayRange(runStart, addDays(prev, 1), timeZone));
    runStart = d;
    prev = d;
  }
  if (runStart && prev) out.push(dayRange(runStart, addDays(prev, 1), timeZone));
  return out;
}

/** Recomputes the rollup rows of the days the ranges cover (whole city days). */
async function rollRanges(em: EntityManager, timeZone: string, ranges: Range[]): Promise<number> {
  if (!ranges.length) return 0;
  const values = rangeValues(ranges);
  const days = ranges
    .map(
      (_, i) =>
        `(t.day >= ($${2 + 2 * i}::timestamptz AT TIME ZONE $1)::date ` +
        `AND t.day < ($${3 + 2 * i}::timestamptz AT TIME ZONE $1)::date)`,
    )
    .join(" OR ");
  for (const table of ["sla_rollup", "sla_rollup_bucket", "sla_rollup_department_bucket"]) {
    await em.query(`DELETE FROM ${table} t WHERE ${days}`, [timeZone, ...values]);
  }
  const inserted: { n: number }[] = await em.query(
    `WITH f AS MATERIALIZED (${factsSql(ranges, 2)}),
     ins AS (
       INSERT INTO sla_rollup (day, department_id, category_id, completed, under_five_days, on_time)
       SELECT day, department_id, category_id, count(*),
              count(*) FILTER (WHERE secs < ${FIVE_DAYS_SECONDS}), count(*) FILTER (WHERE on_time)
         FROM f GROUP BY day, department_id, category_id
       RETURNING completed),
     hist AS (
       INSERT INTO sla_rollup_bucket (day, department_id, category_id, bucket, n)
       SELECT day, department_id, category_id, ${bucketSql("secs")}, count(*)
         FROM f GROUP BY 1, 2, 3, 4
       RETURNING n),
     dept AS (
       INSERT INTO sla_rollup_department_bucket (day, department_id, bucket, n)
       SELECT day, department_id, ${bucketSql("secs")}, count(*)
         FROM f GROUP BY 1, 2, 3
       RETURNING n)
     SELECT coalesce((SELECT sum(completed) FROM ins), 0)::int AS n,
            (SELECT count(*) FROM hist) + (SELECT count(*) FROM dept) AS buckets`,
    [timeZone, ...values],
  );
  return inserted[0].n;
}

export interface RefreshResult {
  rolledThrough: PlainDate;
  daysRolled: number;
  assignments: number;
  rebuilt: boolean;
}

/**
 * Rolls every finished day (before today in the city's zone) that is not rolled yet, and again every day
 * marked dirty since (the triggers keep rolled days exact; a mark is their fallback). One refresh at a
 * time, and no change to a rolled day while it runs (SLA_ROLLUP_LOCK); readers never wait for it.
 * `showProgress` prints a line per step, for the first build over a large history.
 */
export async function refreshSlaRollup(
  ds: DataSource,
  opts: { now?: Date; showProgress?: boolean } = {},
): Promise<RefreshResult> {
  const tz = config().STAR_TIME_ZONE;
  const through = localDate(opts.now ?? new Date(), tz);
  return ds.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock($1)`, [SLA_ROLLUP_LOCK]);
    await em.query(
      `INSERT INTO sla_rollup_state (id, time_zone) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`,
      [tz],
    );
    const [state]: { time_zone: string; rolled_through: string | null }[] = await em.query(
      `SELECT time_zone, rolled_through::text AS rolled_through FROM sla_rollup_state WHERE id = 1 FOR UPDATE`,
    );
    let old = state.rolled_through;
    let rebuilt = false;
    if (state.time_zone !== tz || !old) {
      await em.query(`UPDATE sla_rollup_state SET time_zone = $1, rolled_through = NULL WHERE id = 1`, [tz]);
      await em.query(`DELETE FROM sla_rollup`);
      await em.query(`DELETE FROM sla_rollup_bucket`);
      await em.query(`DELETE FROM sla_rollup_department_bucket`);
      await em.query(`DELETE FROM sla_rollup_dirty`);
      const [first]: { at: Date | null }[] = await em.query(
        `SELECT min(completed_at) AS at FROM assignment WHERE is_lead AND status = 'COMPLETED'`,
      );
      old = first.at ? localDate(first.at, tz) : through;
      if (old > through) old = through;
      rebuilt = true;
    }
    // Marks made after this statement stay for the next refresh; the rows below see every change marked.
    const [dirtyRows]: [{ day: string }[], number] = await em.query(
      `DELETE FROM sla_rollup_dirty WHERE day < $1::date RETURNING day::text AS day`,
      [through],
    );
    const dirty = dirtyRows.map((d) => d.day).filter((d) => d < old!);
    let assignments = await rollRanges(em, tz, dayRanges(dirty, tz));
    let daysRolled = dirty.length;

    const span: PlainDate[] = [];
    for (let d = old; d < through; d = addDays(d, 1)) span.push(d);
    const bar = opts.showProgress ? progress("sla rollup: days", span.length) : null;
    for (let i = 0; i < span.length; i += 31) {
      const chunk = span.slice(i, i + 31);
      assignments += await rollRanges(em, tz, [dayRange(chunk[0], addDays(chunk[chunk.length - 1], 1), tz)]);
      daysRolled += chunk.length;
      bar?.tick(i + chunk.length);
    }
    bar?.done(`(${assignments.toLocaleString("en-US")} completed assignments)`);
    // The planner's row estimates for the rollup matter once it has grown by more than a few days.
    if (daysRolled > 7) {
      for (const table of ["sla_rollup", "sla_rollup_bucket", "sla_rollup_department_bucket"]) {
        await em.query(`ANALYZE ${table}`);
      }
    }
    await em.query(
      `UPDATE sla_rollup_state SET rolled_through = $1::date, refreshed_at = now() WHERE id = 1`,
      [through],
    );
    logger.info({ rolledThrough: through, daysRolled, assignments, rebuilt }, "sla rollup refreshed");
    return { rolledThrough: through, daysRolled, assignments, rebuilt };
  });
}
