import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { DataSource } from "typeorm";
import { cpuBetween, sampleCpu, type CpuBreakdown, type CpuGroups } from "./cpu-usage";
import type { Open311LoadResult, Open311LoadSpec } from "./open311-load";

/** GET requests.json answers at most this many requests: every page of the pool is a full one. */
export const OPEN311_PAGE = 1000;
/**
 * Like the queue page, the latency target is judged at an offered load: 50 pages of 1,000 requests a
 * second (say 3,000 people a minute opening a 311 app's map of recent requests, none of it cached).
 * The first line is the capacity: 10 connections asking as fast as answered.
 */
export const OPEN311_OFFERED_RATE = 50;
export const OPEN311_LABEL = "Open311 GET requests.json (1,000 rows, capacity)";
export const OPEN311_OFFERED_LABEL = `Open311 GET requests.json (1,000 rows) at ${OPEN311_OFFERED_RATE} req/s`;
// A load the server could not keep up with would leave latencies out: the rate must be held too.
export const OPEN311_OFFERED_TARGET = {
  text: "p99 <= 100 ms",
  met: (f: { p99: number; reqPerSec: number }) => f.p99 <= 100 && f.reqPerSec >= OPEN311_OFFERED_RATE * 0.97,
};

const DAY_MS = 86_400_000;
const REQUESTS = "/open311/v2/requests";

interface PoolPage {
  path: string;
  /** The same page as SQL written apart from the service's: newest first, at most 1,000. */
  where: string;
  params: unknown[];
}

// A contact is closed when it (or, for a duplicate, its first report) has live assignments, all complete.
const CLOSED = `EXISTS (SELECT 1 FROM assignment a WHERE a.contact_id = coalesce(c.duplicate_of_id, c.id)
                  AND a.status NOT IN ('TRANSFERRED','CANCELLED'))
  AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.contact_id = coalesce(c.duplicate_of_id, c.id)
                  AND a.status NOT IN ('TRANSFERRED','CANCELLED','COMPLETED'))`;

/** Default pages, 30-day windows across the dataset, service codes and statuses: all full pages. */
async function poolPages(ds: DataSource): Promise<PoolPage[]> {
  const now = Date.now();
  const since = new Date(now - 90 * DAY_MS);
  const pages: PoolPage[] = [
    { path: `${REQUESTS}.json`, where: `c.received_at >= $1`, params: [since] },
    {
      path: `${REQUESTS}.json?status=open`,
      where: `c.received_at >= $1 AND NOT (${CLOSED})`,
      params: [since],
    },
  ];
  for (let k = 0; k < 6; k++) {
    const end = new Date(now - (5 + k * 25) * DAY_MS);
    const start = new Date(end.getTime() - 30 * DAY_MS);
    pages.push({
      path: `${REQUESTS}.json?start_date=${start.toISOString()}&end_date=${end.toISOString()}`,
      where: `c.received_at >= $1 AND c.received_at <= $2`,
      params: [start, end],
    });
  }
  const codes: { code: string }[] = await ds.query(
    `SELECT cat.open311_service_code AS code FROM contact c JOIN category cat ON cat.id = c.category_id
      WHERE c.received_at >= $1 AND cat.open311_service_code IS NOT NULL
      GROUP BY 1 HAVING count(*) >= $2 ORDER BY count(*) DESC, 1 LIMIT 4`,
    [since, OPEN311_PAGE],
  );
  for (const { code } of codes) {
    pages.push({
      path: `${REQUESTS}.json?service_code=${encodeURIComponent(code)}`,
      where: `c.received_at >= $1 AND cat.open311_service_code = $2`,
      params: [since, code],
    });
  }
  return pages;
}

async function getText(url: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

/**
 * Before measuring: every page of the pool is 1,000 requests in the order SQL gives, and the XML of the
 * first one is well-formed and lists the same requests.
 */
export async function prepareOpen311(
  ds: DataSource,
  appUrl: string,
): Promise<{ paths: string[]; checked: number }> {
  const pages = await poolPages(ds);
  // Checked, not measured: the newest closed requests lie days back, behind thousands of open ones.
  const closed: PoolPage = {
    path: `${REQUESTS}.json?status=closed`,
    where: `c.received_at >= $1 AND ${CLOSED}`,
    params: [new Date(Date.now() - 90 * DAY_MS)],
  };
  for (const page of [...pages, closed]) {
    const want: { ref: string }[] = await ds.query(
      `SELECT c.reference_number AS ref FROM contact c JOIN category cat ON cat.id = c.category_id
        WHERE ${page.where} ORDER BY c.received_at DESC, c.id DESC LIMIT ${OPEN311_PAGE}`,
      page.params,
    );
    const res = await getText(`${appUrl}${page.path}`);
    if (res.status !== 200)
      throw new Error(`open311: ${page.path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    const got = (JSON.parse(res.text) as { service_request_id: string }[]).map((r) => r.service_request_id);
    if (got.length !== OPEN311_PAGE)
      throw new Error(`open311: ${page.path} gave ${got.length} rows, want ${OPEN311_PAGE}`);
    if (
      !isDeepStrictEqual(
        got,
        want.map((w) => w.ref),
      )
    ) {
      throw new Error(`open311: ${page.path} differs from SQL's requests or order`);
    }
  }
  const xml = await getText(`${appUrl}${pages[0].path.replace("requests.json", "requests.xml")}`);
  if (xml.status !== 200 || !xml.type.startsWith("text/xml") || XMLValidator.validate(xml.text) !== true) {
    throw new Error(`open311: requests.xml is not a well-formed XML answer (HTTP ${xml.status})`);
  }
  const parsed = new XMLParser({ parseTagValue: false, isArray: (n) => n === "request" }).parse(xml.text) as {
    service_requests: { request: { service_request_id: string }[] };
  };
  const json = await getText(`${appUrl}${pages[0].path}`);
  const jsonIds = (JSON.parse(json.text) as { service_request_id: string }[]).map(
    (r) => r.service_request_id,
  );
  if (
    !isDeepStrictEqual(
      parsed.service_requests.request.map((r) => r.service_request_id),
      jsonIds,
    )
  ) {
    throw new Error("open311: requests.xml and requests.json list different requests");
  }
  return { paths: pages.map((p) => p.path), checked: pages.length + 1 };
}

function runLoad(child: ChildProcess, spec: Open311LoadSpec): Promise<Open311LoadResult> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the Open311 load generator exited (${code})`));
    child.once("exit", onExit);
    child.once("message", (m: { ok: boolean; result?: Open311LoadResult; error?: string }) => {
      child.off("exit", onExit);
      if (m.ok) resolve(m.result!);
      else reject(new Error(`Open311 load generator: ${m.error}`));
    });
    child.send(spec);
  });
}

export interface Open311Measure {
  result: Open311LoadResult;
  detail: Record<string, number>;
  cpu: CpuBreakdown;
}

export interface Open311Run {
  capacity: Open311Measure;
  offered: Open311Measure;
  checked: number;
}

/** The open311Requests scenario: checks the pages, warms up, then measures GETs of 1,000-row pages. */
export async function runOpen311Requests(
  ds: DataSource,
  appUrl: string,
  opts: {
    connections: number;
    warmupSeconds: number;
    seconds: number;
    groups: CpuGroups;
    log: (line: string) => void;
  },
): Promise<Open311Run> {
  const { paths, checked } = await prepareOpen311(ds, appUrl);
  opts.log(
    `bench: check: ${checked} Open311 requests.json pages of ${OPEN311_PAGE} equal SQL's; XML lists the same`,
  );
  const child = fork(path.join(__dirname, "open311-load.ts"), [], {
    execArgv: process.execArgv,
    stdio: ["ignore", 2, 2, "ipc"],
  });
  try {
    const spec = { url: appUrl, connections: opts.connections, paths };
    await runLoad(child, { ...spec, seconds: opts.warmupSeconds });
    const groups = { ...opts.groups, loadgenPid: child.pid };
    const measure = async (overallRate?: number): Promise<Open311Measure> => {
      const before = sampleCpu(groups);
      const result = await runLoad(child, { ...spec, seconds: opts.seconds, overallRate });
      const cpu = cpuBetween(before, sampleCpu(groups));
      const detail = {
        non2xx: result.non2xx,
        notAList: result.notAList,
        transportErrors: result.transportErrors,
        timeouts: result.timeouts,
      };
      return { result, detail, cpu };
    };
    const capacity = await measure();
    opts.log(`bench: ${OPEN311_OFFERED_LABEL}: ${opts.seconds}s`);
    const offered = await measure(OPEN311_OFFERED_RATE);
    return { capacity, offered, checked };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
}
