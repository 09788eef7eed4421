import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";

const run = promisify(execFile);

// PGlite loads its WebAssembly through dynamic import, which Jest's module sandbox does not allow:
// each database owner here is a real separate process, as in production.
const opener = (dir: string, hold: boolean) => `
  require("./src/server/db/embedded")
    .startEmbeddedDatabase({ dataDir: ${JSON.stringify(dir)}, port: 0, maxConnections: 4 })
    .then(async (db) => {
      console.log("OPENED " + db.url);
      ${hold ? `process.stdin.resume(); process.stdin.on("end", async () => { await db.stop(); process.exit(0); });` : `await db.stop(); process.exit(0);`}
    }, (e) => { console.log("REFUSED " + e.message); process.exit(3); });`;

const tsxArgs = (script: string) => ["--import", "tsx", "-e", script];

describe("the embedded database", () => {
  it("serves PostgreSQL over the wire and refuses a second process on the same folder", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "star-lock-"));
    const owner = spawn(process.execPath, tsxArgs(opener(dir, true)), { stdio: ["pipe", "pipe", "inherit"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        owner.stdout!.on("data", (b: Buffer) => {
          out += b.toString();
          const m = /OPENED (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        owner.on("exit", (code) => reject(new Error(`owner exited ${code}: ${out}`)));
      });
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("SELECT 40 + 2 AS answer");
      expect(rows[0].answer).toBe(42);
      await client.end();

      const second = await run(process.execPath, tsxArgs(opener(dir, false))).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
      expect(second.code).toBe(3);
      expect(second.out).toContain(`in use by process ${owner.pid}`);
      expect(fs.readFileSync(path.join(dir, "star.lock"), "utf8")).toBe(String(owner.pid));
    } finally {
      const exited = new Promise((r) => owner.once("exit", r));
      owner.stdin!.end();
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes over a lock left by a process that died", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "star-lock-"));
    fs.writeFileSync(path.join(dir, "star.lock"), "999999");
    const r = await run(process.execPath, tsxArgs(opener(dir, false)));
    expect(r.stdout).toContain("OPENED");
    expect(fs.existsSync(path.join(dir, "star.lock"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
