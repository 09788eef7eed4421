import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { DataSource } from "typeorm";
import { loadConfig } from "../../src/server/config/config";
import { dataSourceOptions } from "../../src/server/db/data-source";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../src/server/db/embedded";

const state = globalThis as unknown as {
  __starTest?: { embedded?: EmbeddedDatabase; dropUrl?: string; dbName?: string; dir?: string };
};

/**
 * With DATABASE_URL: a fresh database on that server for this run (dropped at the end).
 * Without: the embedded default, PGlite over the wire protocol, in a temporary folder.
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.DATABASE_URL;
  let url: string;
  if (base) {
    const dbName = `star_test_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    url = u.toString();
    state.__starTest = { dropUrl: base, dbName };
    process.env.STAR_TEST_TARGET = "postgresql";
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "star-test-"));
    const embedded = await startEmbeddedDatabase({ dataDir: dir, port: 0, maxConnections: 40 });
    url = embedded.url;
    state.__starTest = { embedded, dir };
    process.env.STAR_TEST_TARGET = "embedded";
  }
  process.env.DATABASE_URL = url;
  process.env.STAR_TEST_DATABASE_URL = url;
  const ds = new DataSource(dataSourceOptions(url, loadConfig({ ...process.env, DATABASE_URL: url })));
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  await ds.destroy();
  process.stderr.write(
    `\nTests run on ${process.env.STAR_TEST_TARGET} (${url.replace(/\/\/[^@]*@/, "//")})\n`,
  );
}
