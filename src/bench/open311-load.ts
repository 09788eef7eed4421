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
  /** Requests per second over all connections; none: each connection asks again as soon as answered. */
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

async function run(spec: Open311LoadSpec): Promise<Open311LoadResult> {
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
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        requests: [
          {
            method: "GET",
            setupRequest: (req) => ({ ...req, path: pick() }),
            onResponse: (status, body) => {
              const good = status === 200 && body.startsWith('[{"service_request_id":');
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
