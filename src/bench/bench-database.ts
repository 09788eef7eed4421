import "reflect-metadata";
import { Client } from "pg";
import { DataSource } from "typeorm";
import { config } from "../server/config/config";
import { dataSourceOptions } from "../server/db/data-source";
import { seedDemoData } from "../server/db/seed/demo-seed";
import { bulkSeed, BULK_TARGET, verifyTextKeys, type BulkSeedResult } from "./bulk-seed";

export interface BenchDatabase {
  ds: DataSource;
  seeded: BulkSeedResult | null;
  counts: Record<"constituents" | "contacts" | "assignments" | "responses", number>;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function adminUrl(url: string): { admin: string; name: string } {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!/^[\w-]+$/.test(name)) throw new Error(`unexpected database name in STAR_BENCH_DATABASE_URL: ${name}`);
  u.pathname = "/postgres";
  return { admin: u.toString(), name };
}

async function withAdmin<T>(url: string, fn: (c: Client, name: string) => Promise<T>): Promise<T> {
  const { admin, name } = adminUrl(url);
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    return await fn(client, name);
  } finally {
    await client.end();
  }
}

async function createIfMissing(url: string, drop: boolean): Promise<void> {
  await withAdmin(url, async (c, name) => {
    if (drop) {
      log(`bench: dropping database ${name}`);
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
    const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) {
      log(`bench: creating database ${name}`);
      await c.query(`CREATE DATABASE "${name}"`);
    }
  });
}

async function open(url: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, config()));
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: "each" });
  if (ran.length) log(`bench: migrations applied: ${ran.map((m) => m.name).join(", ")}`);
  return ds;
}

async function count(ds: DataSource): Promise<BenchDatabase["counts"]> {
  const [row] = await ds.query(`SELECT
      (SELECT count(*) FROM constituent)::int AS constituents,
      (SELECT count(*) FROM contact)::int AS contacts,
      (SELECT count(*) FROM assignment)::int AS assignments,
      (SELECT count(*) FROM response)::int AS responses`);
  return row;
}

/**
 * The benchmark's database: created and migrated when missing, seeded once and reused after. A database
 * that holds something other than a complete bulk seed (an interrupted run, other data) is dropped and
 * seeded again, so figures always come from the same shape of data.
 */
export async function prepareBenchDatabase(url: string, opts: { reseed: boolean }): Promise<BenchDatabase> {
  await createIfMissing(url, opts.reseed);
  let ds = await open(url);
  let counts = await count(ds);
  const complete =
    counts.constituents >= BULK_TARGET.constituents && counts.contacts >= BULK_TARGET.contacts * 0.9;
  if (complete) {
    log(
      `bench: reusing ${url.replace(/\/\/[^@]*@/, "//")} (${counts.constituents.toLocaleString("en-US")} constituents, ` +
        `${counts.contacts.toLocaleString("en-US")} contacts); --reseed to start over`,
    );
    return { ds, seeded: null, counts };
  }
  if (counts.constituents > 0 || counts.contacts > 0) {
    await ds.destroy();
    await createIfMissing(url, true);
    ds = await open(url);
  }
  const started = Date.now();
  await seedDemoData(ds, { password: config().STAR_DEMO_PASSWORD, constituents: 0 });
  const seeded = await bulkSeed(ds);
  await verifyTextKeys(ds);
  seeded.seconds = (Date.now() - started) / 1000;
  counts = await count(ds);
  return { ds, seeded, counts };
}
