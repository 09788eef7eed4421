import http from "node:http";
import autocannon from "autocannon";

/**
 * The load of the open311Requests scenario, in its own process (forked by open311-bench.ts) so that
 * its CPU is told apart from the app's: GET requests.json pages from the pool, checked to be a list.
 */
export interface Open311LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  paths: string[];
  /**
   * An offered load: this many requests a second, evenly spaced, whether or not earlier ones are answered
   * (up to `connections` at once); none: each connection asks again as soon as answered.
   */
  overallRate?: number;
}

export interface Open311LoadResult {
  seconds: number;
  ok: number;
  latenciesMs: number[];
  non2xx: number;
  notAList: number;
  transportErrors: number;
  timeouts: number;
  firstFailure: string | null;
}

const isList = (status: number, body: string) => status === 200 && body.startsWith('[{"service_request_id":');

/**
 * The offered load, as load-generator.ts sends the queue's: request i is due at start + i / rate and its
 * latency runs from then, so time spent waiting for a free connection counts.
 */
async function runOffered(spec: Open311LoadSpec, rate: number): Promise<Open311LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  const r = { ok: 0, non2xx: 0, notAList: 0, transportErrors: 0, firstFailure: null as string | null };
  const total = Math.round(rate * spec.seconds);
  const start = performance.now() + 50;
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const due = start + (i * 1000) / rate;
      const url = new URL(spec.paths[i % spec.paths.length], spec.url);
      const req = http.request(url, { method: "GET", agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString("utf8");
          if (isList(status, body)) {
            r.ok++;
            latencies.push(performance.now() - due);
          } else {
            if (status === 200) r.notAList++;
            else r.non2xx++;
            r.firstFailure ??= `HTTP ${status}: ${body.slice(0, 400)}`;
          }
          resolve();
        });
      });
      req.on("error", (e) => {
        r.transportErrors++;
        r.firstFailure ??= e.message;
        resolve();
      });
      req.end();
    });
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return {
    seconds: (performance.now() - start) / 1000,
    ok: r.ok,
    latenciesMs: latencies,
    non2xx: r.non2xx,
    notAList: r.notAList,
    transportErrors: r.transportErrors,
    timeouts: 0,
    firstFailure: r.firstFailure,
  };
}

async function run(spec: Open311LoadSpec): Promise<Open311LoadResult> {
  if (spec.overallRate) return runOffered(spec, spec.overallRate);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let notAList = 0;
  let firstFailure: string | null = null;
  const pick = () => spec.paths[Math.floor(Math.random() * spec.paths.length)];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        timeout: 10,
        requests: [
          {
            method: "GET",
            setupRequest: (req) => ({ ...req, path: pick() }),
            onResponse: (status, body) => {
              const good = isList(status, body);
              if (good) ok++;
              else if (status === 200) notAList++;
              else non2xx++;
              if (!good && !firstFailure) firstFailure = `HTTP ${status}: ${body.slice(0, 400)}`;
            },
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) latencies.push(ms);
    });
  });
  return {
    seconds: result.duration,
    ok,
    latenciesMs: latencies,
    non2xx,
    notAList,
    transportErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    firstFailure,
  };
}

process.on("message", async (spec: Open311LoadSpec) => {
  try {
    process.send!({ ok: true, result: await run(spec) });
  } catch (e) {
    process.send!({ ok: false, error: e instanceof Error ? e.stack : String(e) });
  }
});

process.on("disconnect", () => process.exit(0));
