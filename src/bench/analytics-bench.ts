import type { DataSource } from "typeorm";
import { cpuBetween, sampleCpu, type CpuBreakdown, type CpuGroups } from "./cpu-usage";

export const CONTACT_STATS_LABEL = "contactStats over every contact";
export const CONTACT_STATS_TARGET = { text: "p99 <= 200 ms", met: (f: { p99: number }) => f.p99 <= 200 };

/** Analysts are few: a handful of aggregates at once, not a crowd. */
const ANALYSTS_AT_ONCE = 2;

const QUERY = `query Stats($groupBy: [StatsDimension!]!) {
  contactStats(groupBy: $groupBy) { channel week zip count openCount closedCount overdueCount
    medianHoursToClose avgHoursToClose department { code } category { code } } }`;

const GROUPINGS = [["CATEGORY"], ["DEPARTMENT"], ["CHANNEL"], ["WEEK"], ["ZIP"], ["DEPARTMENT", "WEEK"]];

interface StatsRow {
  count: number;
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

/** Before measuring: the counts per department add up to the contacts in the dataset, as SQL counts them. */
async function check(ds: DataSource, url: string, cookie: string): Promise<number> {
  const rows = await post(url, cookie, ["DEPARTMENT"]);
  const sql: { code: string | null; n: number }[] = await ds.query(
    `SELECT d.code, count(*)::int AS n FROM contact ct
       LEFT JOIN assignment la ON la.contact_id = ct.id AND la.is_lead AND la.status NOT IN ('TRANSFERRED','CANCELLED')
       LEFT JOIN department d ON d.id = la.department_id GROUP BY 1`,
  );
  const want = new Map(sql.map((r) => [r.code, r.n]));
  const got = new Map(rows.map((r) => [r.department?.code ?? null, r.count]));
  for (const [code, n] of want)
    if (got.get(code) !== n)
      throw new Error(`contactStats: department ${code} counts ${got.get(code)}, SQL ${n}`);
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
  const contacts = await check(ds, appUrl, analystCookie);
  opts.log(`bench: check: contactStats by department adds up to the ${contacts} contacts SQL counts`);
  await load(appUrl, analystCookie, opts.warmupSeconds);
  const groups = { ...opts.groups, loadgenPid: process.pid };
  const before = sampleCpu(groups);
  const r = await load(appUrl, analystCookie, opts.seconds);
  return { result: r, detail: { failures: r.failures }, cpu: cpuBetween(before, sampleCpu(groups)) };
}
