import type { Readable } from "node:stream";
import { config } from "../config/config";
import { LocalDiskStorage } from "./local-disk.storage";

export { ObjectMissingError, assertValidKey, newStorageKey } from "./object-key";

/**
 * Where attachment bytes live. Keys are opaque, made by `newStorageKey`; the database row holds the key.
 * A local folder by default; an S3-compatible store implements the same four calls.
 */
export interface ObjectStorage {
  /** Stores the whole stream under `key`. If the stream fails, nothing remains under `key`. */
  put(key: string, body: Readable): Promise<void>;
  /** Opens the object for reading; rejects with `ObjectMissingError` when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

let cached: { dir: string; storage: ObjectStorage } | undefined;

/** The configured store; made again when the configured folder changes (tests switch folders). */
export function storage(): ObjectStorage {
  const dir = config().attachmentsDir;
  if (cached?.dir !== dir) cached = { dir, storage: new LocalDiskStorage(dir) };
  return cached.storage;
}
