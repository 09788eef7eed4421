import http from "node:http";
import autocannon from "autocannon";
import { requestBody, type HttpScenario, type PoolItem, type RespondItem } from "./scenarios";

/**
 * Runs autocannon for one scenario in its own process (forked by run.ts), so that the load generator's
 * CPU can be told apart from the app's and the floor's.
 */
export interface LoadSpec {
  scenario: HttpScenario;
  url: string;
  cookie: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  pool: PoolItem[];
  /** Sent with every request, e.g. the public form's CSRF header. */
  headers?: Record<string, string>;
  /**
   * An offered load: requests sent at this many a second, evenly spaced, whether or not earlier ones are
   * answered (up to `connections` at once), instead of each connection asking again as soon as answered.
   */
  overallRate?: number;
}

export interface LoadResult {
  scenario: HttpScenario;
  seconds: number;
  ok: number;
  latenciesMs: number[];
  non2xx: number;
  graphqlErrors: number;
  /** respond: stale versions (CONFLICT), counted apart from the other GraphQL errors. */
  conflicts: number;
  transportErrors: number;
  timeouts: number;
  firstFailure: string | null;
  loadgenCpuSeconds: number;
}

/**
 * The offered load: request i is due at start + i / rate and its latency runs from then, so time spent
 * waiting for a free connection counts (no coordinated omission). Read-only scenarios only.
 */
async function runOffered(spec: LoadSpec, measure: boolean): Promise<LoadResult> {
  if (spec.scenario === "respond") throw new Error("an offered load is for read-only scenarios");
  const rate = spec.overallRate!;
  const seconds = measure ? spec.seconds : spec.warmupSeconds;
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const target = new URL(`${spec.url}/api/graphql`);
  const headers = { "content-type": "application/json", cookie: spec.cookie, ...spec.headers };
  const latencies: number[] = [];
  const result = {
    ok: 0,
    non2xx: 0,
    graphqlErrors: 0,
    transportErrors: 0,
    firstFailure: null as string | null,
  };
  const cpu = process.cpuUsage();
  const total = Math.round(rate * seconds);
  const start = performance.now() + 50;
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const due = start + (i * 1000) / rate;
      const body = requestBody(spec.scenario, spec.pool[i % spec.pool.length], i);
      const req = http.request(target, { method: "POST", agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          const failed = status < 200 || status >= 300 || text.includes('"errors":[');
          if (!failed) {
            result.ok++;
            latencies.push(performance.now() - due);
          } else if (status >= 200 && status < 300) result.graphqlErrors++;
          else result.non2xx++;
          if (failed) result.firstFailure ??= `HTTP ${status}: ${text.slice(0, 400)}`;
          resolve();
        });
      });
      req.on("error", (e) => {
        result.transportErrors++;
        result.firstFailure ??= e.message;
        resolve();
      });
      req.end(body);
    });
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const used = process.cpuUsage(cpu);
  return {
    scenario: spec.scenario,
    seconds: (performance.now() - start) / 1000,
    ok: result.ok,
    latenciesMs: latencies,
    non2xx: result.non2xx,
    graphqlErrors: result.graphqlErrors,
    conflicts: 0,
    transportErrors: result.transportErrors,
    timeouts: 0,
    firstFailure: result.firstFailure,
    loadgenCpuSeconds: (used.user + used.system) / 1e6,
  };
}

async function run(spec: LoadSpec, measure: boolean): Promise<LoadResult> {
  if (spec.overallRate) return runOffered(spec, measure);
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let conflicts = 0;
  let non2xx = 0;
  let ok = 0;
  let firstFailure: string | null = null;
  let n = 0;
  const cpu = process.cpuUsage();
  const pick = () => spec.pool[Math.floor(Math.random() * spec.pool.length)];
  // respond: the assignments in turn, each with the version its last answer left, so that no two
  // requests in flight write the same assignment (the pool is far larger than the connections).
  const versions = new Map<string, number>();
  let turn = 0;
  const nextNote = (): RespondItem => {
    const { assignmentId } = spec.pool[turn++ % spec.pool.length] as RespondItem;
    return { assignmentId, version: versions.get(assignmentId)! };
  };
  if (spec.scenario === "respond") {
    for (const item of spec.pool as RespondItem[]) versions.set(item.assignmentId, item.version);
  }
  type Ctx = { item?: RespondItem };
  let settle!: (err: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    settle = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon(
    {
      url: `${spec.url}/api/graphql`,
      connections: spec.connections,
      duration: measure ? spec.seconds : spec.warmupSeconds,
      timeout: 10,
      headers: { "content-type": "application/json", cookie: spec.cookie, ...spec.headers },
      requests: [
        {
          method: "POST",
          setupRequest: (req, context: Ctx) => {
            if (spec.scenario !== "respond") return { ...req, body: requestBody(spec.scenario, pick(), n++) };
            context.item = nextNote();
            return { ...req, body: requestBody(spec.scenario, context.item, n++) };
          },
          onResponse: (status, body, context: Ctx) => {
            // An escaped quote cannot produce this: it is only ever the top-level "errors" key.
            const failed = status < 200 || status >= 300 || body.includes('"errors":[');
            const item = context.item;
            if (!failed) {
              ok++;
              if (item) versions.set(item.assignmentId, item.version + 1);
            } else if (status >= 200 && status < 300 && body.includes('"code":"CONFLICT"')) {
              conflicts++;
              // Carry on from the version that won.
              const current = (JSON.parse(body) as { errors: { extensions?: { version?: number } }[] })
                .errors[0]?.extensions?.version;
              if (item && typeof current === "number") versions.set(item.assignmentId, current);
            } else if (status >= 200 && status < 300) graphqlErrors++;
            else non2xx++;
            if (failed && !firstFailure) firstFailure = `HTTP ${status}: ${body.slice(0, 400)}`;
          },
        },
      ],
    },
    (err, result) => settle(err, result),
  );
  // Full-resolution latencies (autocannon's own histogram keeps whole milliseconds).
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await finished;
  const used = process.cpuUsage(cpu);
  return {
    scenario: spec.scenario,
    seconds: result.duration,
    ok,
    latenciesMs: latencies,
    non2xx,
    graphqlErrors,
    conflicts,
    transportErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    firstFailure,
    loadgenCpuSeconds: (used.user + used.system) / 1e6,
  };
}

process.on("message", async (msg: { spec: LoadSpec; phase: "warmup" | "measure" }) => {
  try {
    const result = await run(msg.spec, msg.phase === "measure");
    process.send!({ ok: true, result });
  } catch (e) {
    process.send!({ ok: false, error: e instanceof Error ? e.stack : String(e) });
  }
});

// The benchmark is gone (stopped or crashed): stop too.
process.on("disconnect", () => process.exit(0));
