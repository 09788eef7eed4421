import { randomUUID } from "node:crypto";

export class ObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`no stored object under ${key}`);
    this.name = "ObjectMissingError";
  }
}

// Two levels of fan-out keep any one folder small (and S3 prefixes evenly spread).
export function newStorageKey(): string {
  const id = randomUUID();
  return `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Keys are relative, slash-separated, plain segments: no `..`, no absolute paths, no backslashes. */
export function assertValidKey(key: string): void {
  const segments = typeof key === "string" ? key.split("/") : [];
  const ok =
    typeof key === "string" &&
    key.length <= 300 &&
    segments.length <= 8 &&
    segments.every((s) => SEGMENT.test(s) && !s.includes(".."));
  if (!ok) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}
