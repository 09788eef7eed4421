import type { DataSource } from "typeorm";
import { BAND_RATIO, ensureContactStatsCells } from "../server/analytics/contact-stats-cells";
import { cpuBetween, sampleCpu, type CpuBreakdown, type CpuGroups } from "./cpu-usage";

export const CONTACT_STATS_LABEL = "contactStats over every contact";
export const CONTACT_STATS_TARGET = { text: "p99 <= 200 ms", met: (f: { p99: number }) => f.p99 <= 200 };

/** Analysts are few: a handful of aggregates at once, not a crowd. */
const ANALYSTS_AT_ONCE = 2;

const QUERY = `query Stats($groupBy: [StatsDimension!]!) {
  contactStats(groupBy: $groupBy) { channel week zip count openCount closedCount overdueCount
    medianHoursToClose medianEstimated avgHoursToClose department { code } category { code } } }`;

const GROUPINGS = [["CATEGORY"], ["DEPARTMENT"], ["CHANNEL"], ["WEEK"], ["ZIP"], ["DEPARTMENT", "WEEK"]];

interface StatsRow {
  count: number;
  medianHoursToClose: number | null;
  medianEstimated: boolean;
  department: { code: string } | null;
}

async function post(url: string, cookie: string, groupBy: string[]): Promise<StatsRow[]> {
  const res = await fetch(`${url}/api/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ query: QUERY, variables: { groupBy } }),
  });
  const body = (await res.json()) as { data?: { contactStats: StatsRow[] }; errors?: unknown[] };
  if (!res.ok || body.errors?.length || !body.data)
    throw new Error(
      `contactStats failed (HTTP ${res.status}): ${JSON.stringify(body.errors ?? body).slice(0, 300)}`,
    );
  return body.data.contactStats;
}

/**
 * Before measuring: the counts per department add up to the contacts in the dataset, as SQL counts them
 * from the contacts and their assignments, and each estimated median is within a band of the exact one.
 */
async function check(ds: DataSource, url: string, cookie: string): Promise<number> {
  const rows = await post(url, cookie, ["DEPARTMENT"]);
  const sql: { code: string | null; n: number; median: number | null }[] = await ds.query(
    `SELECT d.code, count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM la.completed_at - ct.received_at) / 3600)
              FILTER (WHERE la.status = 'COMPLETED') AS median
       FROM contact ct
       LEFT JOIN assignment la ON la.contact_id = ct.id AND la.is_lead AND la.status NOT IN ('TRANSFERRED','CANCELLED')
       LEFT JOIN department d ON d.id = la.department_id GROUP BY 1`,
  );
  const got = new Map(rows.map((r) => [r.department?.code ?? null, r]));
  for (const want of sql) {
    const have = got.get(want.code);
    if (have?.count !== want.n)
      throw new Error(`contactStats: department ${want.code} counts ${have?.count}, SQL ${want.n}`);
    if (!have.medianEstimated) throw new Error("contactStats: answered from the facts, not the cells");
    const m = have.medianHoursToClose;
    const off = m == null || want.median == null ? 1 : Math.max(m / want.median, want.median / m);
    if ((m == null) !== (want.median == null) || off >= BAND_RATIO)
      throw new Error(`contactStats: department ${want.code} median ${m}, exact ${want.median}`);
  }
  return sql.reduce((a, r) => a + r.n, 0);
}

async function load(url: string, cookie: string, seconds: number) {
  const latenciesMs: number[] = [];
  let ok = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ANALYSTS_AT_ONCE }, async () => {
      while (performance.now() < until) {
        const groupBy = GROUPINGS[n++ % GROUPINGS.length];
        const t = performance.now();
        try {
          await post(url, cookie, groupBy);
          latenciesMs.push(performance.now() - t);
          ok++;
        } catch (e) {
          failures++;
          firstFailure ??= (e as Error).message;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, ok, latenciesMs, firstFailure, failures };
}

/** The contactStats scenario: checked against SQL, warmed up, then measured with a few analysts at once. */
export async function runContactStats(
  ds: DataSource,
  appUrl: string,
  analystCookie: string,
  opts: { warmupSeconds: number; seconds: number; groups: CpuGroups; log: (line: string) => void },
): Promise<{
  result: { seconds: number; ok: number; latenciesMs: number[]; firstFailure: string | null };
  detail: Record<string, number>;
  cpu: CpuBreakdown;
}> {
  // As a deploy leaves it: the cells built for the city's zone (the app builds them when it starts) and
  // vacuumed as autovacuum would after a bulk load.
  if (await ensureContactStatsCells(ds)) opts.log("bench: contact stats cells built");
  await ds.query(`VACUUM (ANALYZE) contact_fact, contact_stats_cell`);
  const contacts = await check(ds, appUrl, analystCookie);
  opts.log(`bench: check: contactStats by department adds up to the ${contacts} contacts SQL counts`);
  await load(appUrl, analystCookie, opts.warmupSeconds);
  const groups = { ...opts.groups, loadgenPid: process.pid };
  const before = sampleCpu(groups);
  const r = await load(appUrl, analystCookie, opts.seconds);
  return { result: r, detail: { failures: r.failures }, cpu: cpuBetween(before, sampleCpu(groups)) };
}
