import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ObjectMissingError, assertValidKey } from "./object-key";
import type { ObjectStorage } from "./storage";

const TMP = ".tmp";

/**
 * Objects as files under one folder. A put writes to a temporary file in the same folder tree and renames
 * it into place only when the stream has ended well, so a reader never sees half a file and a failed
 * upload leaves nothing behind.
 */
export class LocalDiskStorage implements ObjectStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    assertValidKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    // Belt and braces: the key check already forbids anything that could leave the root.
    if (!file.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`invalid storage key: ${key}`);
    return file;
  }

  async put(key: string, body: Readable): Promise<void> {
    const file = this.pathOf(key);
    const tmpDir = path.join(this.root, TMP);
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    // Opened before streaming: a stream that opens lazily could create the file after a failure's cleanup.
    const handle = await fs.open(tmp, "wx", 0o600);
    try {
      // `flush` syncs the file before it closes, so a rename never publishes unwritten bytes.
      await pipeline(body, handle.createWriteStream({ flush: true }));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.rename(tmp, file);
    } catch (err) {
      body.destroy();
      await handle.close().catch(() => undefined);
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      const handle = await fs.open(file, "r");
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new ObjectMissingError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.pathOf(key))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw err;
    }
  }
}
