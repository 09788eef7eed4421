import { isDeepStrictEqual } from "node:util";
import type { DataSource } from "typeorm";
import { DASHBOARD_QUERY, type DashboardData } from "../client/operations/reports";
import { config } from "../server/config/config";
import { addDays, localDate } from "../server/routing/business-days";
import {
  FIVE_DAYS_SECONDS,
  bucketHours,
  bucketSql,
  refreshSlaRollup,
} from "../server/review/sla-rollup.service";

/** One dashboard view: twelve weeks ending on a day, city-wide or one department's. */
export interface DashboardItem {
  from: string;
  to: string;
  departmentId: string | null;
}

export const DASHBOARD_WEEKS = 12;

export function dashboardBody(item: DashboardItem): string {
  return JSON.stringify({ query: DASHBOARD_QUERY, variables: item });
}

type Gql = <T>(cookie: string, query: string, variables: object) => Promise<T>;

export interface DashboardPrep {
  pool: DashboardItem[];
  rollup: { daysRolled: number; assignments: number; seconds: number };
  changed: { completions: number; days: number; dirtyDays: number; seconds: number };
  checked: { departments: number; completed: number };
}

interface Direct {
  key: string;
  completed: number;
  under: number;
  on_time: number;
  median: number | null;
  p90: number | null;
}

/** The figures per department straight from the assignment rows: the check the dashboard must meet. */
async function directFigures(ds: DataSource, from: string, to: string): Promise<Direct[]> {
  return ds.query(
    `SELECT department_id::text AS key, count(*)::int AS completed,
            count(*) FILTER (WHERE secs < ${FIVE_DAYS_SECONDS})::int AS under,
            count(*) FILTER (WHERE on_time)::int AS on_time,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY ${bucketSql("secs")}) AS median,
            percentile_disc(0.9) WITHIN GROUP (ORDER BY ${bucketSql("secs")}) AS p90
       FROM (SELECT a.department_id, extract(epoch FROM a.completed_at - k.entered_at)::float8 AS secs,
                    a.completed_at <= a.due_at AS on_time
               FROM assignment a JOIN contact k ON k.id = a.contact_id
              WHERE a.is_lead AND a.status = 'COMPLETED'
                AND (a.completed_at AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date) f
      GROUP BY 1 ORDER BY 1`,
    [config().STAR_TIME_ZONE, from, to],
  );
}

const CHANGED_COMPLETIONS = 3000;

/**
 * The state a city's dashboard is read in: rolled days changed since the last refresh, as reopened requests
 * and late completions change them every day. Completed leads spread over the period are reopened and
 * completed again at the same instant, through the same triggers as any write, leaving the data as it was.
 */
async function changeRolledDays(ds: DataSource, from: string, to: string) {
  const started = Date.now();
  const tz = config().STAR_TIME_ZONE;
  return ds.transaction(async (em) => {
    const picked: { id: string; completed_at: Date }[] = await em.query(
      `SELECT id, completed_at FROM assignment
        WHERE is_lead AND status = 'COMPLETED' AND completed_at >= ($1::date::timestamp AT TIME ZONE $3)
          AND completed_at < ($2::date::timestamp AT TIME ZONE $3)
        ORDER BY md5(id::text) LIMIT ${CHANGED_COMPLETIONS}`,
      [from, to, tz],
    );
    const ids = picked.map((p) => p.id);
    await em.query(
      `UPDATE assignment SET status = 'IN_PROGRESS', completed_at = NULL, version = version + 1
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    await em.query(
      `UPDATE assignment a SET status = 'COMPLETED', completed_at = v.at, version = a.version + 1
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) WHERE a.id = v.id`,
      [ids, picked.map((p) => p.completed_at)],
    );
    const [{ n }]: { n: number }[] = await em.query(
      `SELECT count(*)::int AS n FROM sla_rollup_dirty
        WHERE day < (SELECT rolled_through FROM sla_rollup_state WHERE id = 1)`,
    );
    return {
      completions: picked.length,
      days: new Set(picked.map((p) => localDate(p.completed_at, tz))).size,
      dirtyDays: n,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  });
}

/**
 * Builds the rollup over the bench data (with progress), changes thousands of rolled completions, checks
 * one dashboard answer against the figures computed directly from the assignments, and returns the load's pool: the twelve weeks ending on each of
 * the last 30 days, city-wide, and for each department in turn.
 */
export async function prepareDashboard(
  ds: DataSource,
  gql: Gql,
  cookie: string,
  log: (line: string) => void,
): Promise<DashboardPrep> {
  const started = Date.now();
  const r = await refreshSlaRollup(ds, { showProgress: true });
  const seconds = (Date.now() - started) / 1000;
  log(
    `bench: five-day rollup: ${r.daysRolled} days rolled (${r.assignments.toLocaleString("en-US")} ` +
      `completed assignments) in ${seconds.toFixed(1)}s, through ${r.rolledThrough}`,
  );
  const today = localDate(new Date(), config().STAR_TIME_ZONE);
  const from = addDays(today, -(DASHBOARD_WEEKS * 7 - 1));
  const changed = await changeRolledDays(ds, from, today);
  log(
    `bench: ${changed.completions.toLocaleString("en-US")} completions across ${changed.days} rolled days ` +
      `reopened and completed again after the refresh in ${changed.seconds.toFixed(1)}s; ` +
      `${changed.dirtyDays} days dirty (read live)`,
  );
  const data = await gql<DashboardData>(cookie, DASHBOARD_QUERY, { from, to: today, departmentId: null });
  const want = await directFigures(ds, from, today);
  const got = [...data.departments.rows]
    .map((f) => ({
      key: f.key,
      completed: f.completed,
      under: f.underFiveDays,
      on_time: f.onTime,
      median: f.medianHours,
      p90: f.p90Hours,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const wantHours = want.map((w) => ({
    ...w,
    median: w.median === null ? null : bucketHours(w.median),
    p90: w.p90 === null ? null : bucketHours(w.p90),
  }));
  if (!isDeepStrictEqual(got, wantHours)) {
    throw new Error(
      `dashboard: the figures differ from SQL's: ${JSON.stringify(got).slice(0, 400)} vs ${JSON.stringify(wantHours).slice(0, 400)}`,
    );
  }
  const completed = want.reduce((n, w) => n + w.completed, 0);
  if (data.departments.total.completed !== completed || !completed) {
    throw new Error(
      `dashboard: ${data.departments.total.completed} completed city-wide, SQL has ${completed}`,
    );
  }
  const weekly = data.weekly.rows.reduce((n, w) => n + w.completed, 0);
  if (weekly !== completed) throw new Error(`dashboard: weeks add up to ${weekly}, not ${completed}`);
  log(
    `bench: check: dashboard figures for ${want.length} departments (${completed.toLocaleString("en-US")} ` +
      `completed in ${DASHBOARD_WEEKS} weeks) equal SQL over the assignments`,
  );

  const depts: { id: string }[] = await ds.query(`SELECT id::text AS id FROM department ORDER BY code`);
  const pool: DashboardItem[] = [];
  for (let i = 0; i < 30; i++) {
    const to = addDays(today, -i);
    const item = { from: addDays(to, -(DASHBOARD_WEEKS * 7 - 1)), to };
    pool.push({ ...item, departmentId: null });
    pool.push({ ...item, departmentId: depts[i % depts.length].id });
  }
  return {
    pool,
    rollup: { daysRolled: r.daysRolled, assignments: r.assignments, seconds: Math.round(seconds * 10) / 10 },
    changed,
    checked: { departments: want.length, completed },
  };
}
