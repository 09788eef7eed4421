import fs from "node:fs";
import { Client } from "pg";
import type { EmbeddedDatabase } from "../../src/server/db/embedded";

const state = globalThis as unknown as {
  __starTest?: { embedded?: EmbeddedDatabase; dropUrl?: string; dbName?: string; dir?: string };
};

export default async function globalTeardown(): Promise<void> {
  const s = state.__starTest;
  if (!s) return;
  if (s.embedded) {
    await s.embedded.stop();
    if (s.dir) fs.rmSync(s.dir, { recursive: true, force: true });
  }
  if (s.dropUrl && s.dbName) {
    const admin = new Client({ connectionString: s.dropUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${s.dbName} WITH (FORCE)`);
    await admin.end();
  }
}
