import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const ROOT = process.cwd();
const DIST = ".next-bench";
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
// What the production build is made from (the benchmark itself is not part of the app).
const SOURCES = [
  "pages",
  "graphql",
  "entities",
  "migrations",
  "src/server",
  "src/client",
  "instrumentation.ts",
  "next.config.js",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

const log = (line: string) => process.stderr.write(`${line}\n`);

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (b: Buffer) =>
      process.stderr.write(
        b
          .toString()
          .split("\n")
          .filter(Boolean)
          .map((l) => `build: ${l}\n`)
          .join(""),
      );
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

/** Builds the app into .next-bench when it is missing or older than its sources; returns seconds spent. */
export async function ensureBuild(force: boolean): Promise<{ built: boolean; seconds: number }> {
  const buildId = path.join(ROOT, DIST, "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (!force && builtAt > sourcesAt) {
    log(`bench: ${DIST} is newer than the sources; not rebuilding (--rebuild forces)`);
    return { built: false, seconds: 0 };
  }
  log(`bench: building the app into ${DIST}`);
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, STAR_NEXT_DIST_DIR: DIST, NODE_ENV: "production" };
  delete env.DATABASE_URL;
  await run(process.execPath, [NEXT_BIN, "build"], env);
  const seconds = (Date.now() - started) / 1000;
  log(`bench: build done in ${seconds.toFixed(1)}s`);
  return { built: true, seconds };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

let running: ChildProcess | undefined;

/** Kills the app's process group; safe to call from an exit handler. */
export function killAppNow(): void {
  if (running?.pid && running.exitCode === null && running.signalCode === null) {
    try {
      process.kill(-running.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** `next start` on a free loopback port against the benchmark database; `nodeArgs` e.g. --cpu-prof. */
export async function startApp(
  databaseUrl: string,
  poolSize: number,
  nodeArgs: string[] = [],
): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    STAR_NEXT_DIST_DIR: DIST,
    NODE_ENV: "production",
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXTAUTH_URL: url,
    LOG_LEVEL: "warn",
    STAR_DEMO_SEED: "never",
    DATABASE_POOL_SIZE: String(poolSize),
    // Every benchmark request comes from one address: the public form's per-address limit is raised.
    STAR_PUBLIC_SUBMIT_LIMIT: "1000000000",
    STAR_PUBLIC_STATUS_LIMIT: "1000000000",
  };
  // Its own process group, so that stopping it also stops anything it started.
  const child = spawn(
    process.execPath,
    [...nodeArgs, NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running = child;
  const forward = (b: Buffer) =>
    process.stderr.write(
      b
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((l) => `app: ${l}\n`)
        .join(""),
    );
  child.stdout!.on("data", forward);
  child.stderr!.on("data", forward);
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`the app exited early (${code ?? signal})`))),
  );
  exited.catch(() => undefined);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => killAppNow(), 5000);
    await gone;
    clearTimeout(timer);
    log("bench: app stopped");
  };

  const deadline = Date.now() + 90_000;
  try {
    for (;;) {
      const ready = fetch(`${url}/api/auth/csrf`).then(
        (r) => r.ok,
        () => false,
      );
      if (await Promise.race([ready, exited])) break;
      if (Date.now() > deadline) throw new Error("the app did not answer within 90 s");
      await Promise.race([new Promise((r) => setTimeout(r, 250)), exited]);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  log(`bench: app ready at ${url} (pid ${child.pid})`);
  return { url, pid: child.pid!, stop };
}

function cookiesOf(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return jar;
}

/** Signs in through next-auth's credentials flow; returns the Cookie header for later requests. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = [...cookiesOf(csrfRes)].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  const session = cookiesOf(res).get("next-auth.session-token");
  if (!session) throw new Error(`sign-in as ${email} failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = `next-auth.session-token=${session}`;
  const check = await fetch(`${url}/api/auth/session`, { headers: { cookie } });
  const body = (await check.json()) as { user?: { email?: string } };
  if (body.user?.email !== email) throw new Error(`no session for ${email} after sign-in`);
  return cookie;
}
