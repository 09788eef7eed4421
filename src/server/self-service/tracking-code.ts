import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Crockford's base32: no I, L, O or U, so a code read aloud or retyped from paper survives.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH = 16;

/** 80 random bits, shown once on the receipt as XXXX-XXXX-XXXX-XXXX; only its hash is stored. */
export function newTrackingCode(): string {
  const bytes = randomBytes(LENGTH);
  let code = "";
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[bytes[i] & 31];
  return code.match(/.{4}/g)!.join("-");
}

/** Upper-case, separators dropped, and the letters people confuse with digits read as those digits. */
export function normalizeTrackingCode(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

/** The codes carry 80 random bits, so a plain SHA-256 cannot be reversed by guessing. */
export function hashTrackingCode(code: string): string {
  return createHash("sha256").update(normalizeTrackingCode(code)).digest("hex");
}

/** Constant-time comparison of a given code with a stored hash (hex of equal length, or a miss). */
export function trackingCodeMatches(given: string, storedHash: string | null): boolean {
  const a = Buffer.from(hashTrackingCode(given), "hex");
  // An unknown reference is compared with a hash of nothing, so both refusals take the same time.
  const b = Buffer.from(storedHash ?? hashTrackingCode(""), "hex");
  return b.length === a.length && timingSafeEqual(a, b) && storedHash !== null;
}
