import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetConfig } from "../../src/server/config/config";

/** Settings for this test file only: in force from before its first hook, the old values back after. */
export function settingsForThisFile(values: Record<string, string>): void {
  const before: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(values)) {
      before[k] = process.env[k];
      process.env[k] = v;
    }
    resetConfig();
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetConfig();
  });
}

/** A fresh folder for this test file, removed after it. */
export function tempDirForThisFile(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
