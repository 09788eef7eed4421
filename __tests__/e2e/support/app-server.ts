import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

const ROOT = path.resolve(__dirname, "../../..");
const READY_TIMEOUT_MS = 120_000;

export interface AppServer {
  url: string;
  /** What the server printed, for a failing test's message. */
  output(): string;
  /** Sends SIGTERM (SIGKILL after 15 s): how the process ended. */
  stop(): Promise<{ exitCode: number | null; killed: boolean }>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A timeout that does not keep the test process alive once everything else is done. */
const deadline = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** With DATABASE_URL: a fresh database on that server, seeded with the demo data, dropped at the end. */
async function freshPostgres(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `star_e2e_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `next start exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`,
      );
    }
    try {
      // The GraphQL route opens the database (migrations and demo data on first start) before it answers.
      const res = await fetch(`${url}/api/graphql?query=${encodeURIComponent("{__typename}")}`, {
        headers: { "apollo-require-preflight": "true" },
        signal: AbortSignal.timeout(30_000),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`next start was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/**
 * Starts the already-built app (`next start`, build folder STAR_NEXT_DIST_DIR, default .next) on a free
 * port, on a fresh embedded database in a temporary folder (demo data loads on first start), or on a
 * fresh database on the PostgreSQL server named by DATABASE_URL.
 */
export async function startAppServer(): Promise<AppServer> {
  const distDir = process.env.STAR_NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) {
    throw new Error(
      `No Next build in ${distDir}. Build first: STAR_NEXT_DIST_DIR=${distDir} npx next build, ` +
        `then run with the same STAR_NEXT_DIST_DIR.`,
    );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "star-e2e-"));
  const pg = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : null;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    STAR_NEXT_DIST_DIR: distDir,
    STAR_DATA_DIR: dataDir,
    STAR_EMBEDDED_PORT: "0",
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: process.env.STAR_E2E_LOG_LEVEL ?? "warn",
    // As `npm start` runs it.
    NEXT_MANUAL_SIG_HANDLE: "true",
  };
  delete env.DATABASE_URL;
  if (pg) Object.assign(env, { DATABASE_URL: pg.url, STAR_DEMO_SEED: "always" });

  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
    { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    // The whole process group: next start and anything it started.
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        // already gone
      }
    };
    let killed = false;
    if (child.exitCode === null && child.signalCode === null) {
      signal("SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), deadline(15_000).then(() => false)]);
      if (!stopped) {
        killed = true;
        signal("SIGKILL");
        await exited;
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
    return { exitCode: child.exitCode, killed };
  };

  try {
    await waitUntilReady(url, child, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, output: () => log, stop };
}
