import { createHmac } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { authSecret } from "../auth/auth-secret";
import { config } from "../config/config";
import { DomainError, ErrorCode } from "../errors/domain-error";

export type RateBucket = "submit" | "status" | "upload";

/** How many of each a client address may do per window (STAR_PUBLIC_RATE_WINDOW_SECONDS). */
export function rateLimitOf(bucket: RateBucket): number {
  const c = config();
  if (bucket === "submit") return c.STAR_PUBLIC_SUBMIT_LIMIT;
  if (bucket === "upload") return c.STAR_PUBLIC_UPLOAD_LIMIT;
  return c.STAR_PUBLIC_STATUS_LIMIT;
}

/** Addresses are kept only as a keyed hash: the table never holds an IP address. */
export function clientAddressHash(address: string): string {
  return createHmac("sha256", authSecret()).update(`client-address:${address}`).digest("hex");
}

export function rateLimited(retryAfterSeconds: number): DomainError {
  return new DomainError(
    ErrorCode.FORBIDDEN,
    "Too many requests from this address; try again later",
    undefined,
    {
      reason: "RATE_LIMITED",
      retryAfterSeconds,
    },
  );
}

/**
 * Counts one hit for the client in the current fixed window, in PostgreSQL so that every app node
 * shares the count, and refuses once the bucket's limit is passed. Old windows are swept now and then
 * by the same statement's caller, so the table stays small without a job.
 */
export async function hitRateLimit(
  db: DataSource | EntityManager,
  bucket: RateBucket,
  clientAddress: string | null | undefined,
  now: Date = new Date(),
): Promise<void> {
  const windowSeconds = config().STAR_PUBLIC_RATE_WINDOW_SECONDS;
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  // No address (a socket already closed) is counted as one shared client rather than let through.
  const key = clientAddressHash(clientAddress || "unknown");
  const rows: { hits: number }[] = await db.query(
    `INSERT INTO public_rate_limit (bucket, client_hash, window_start, hits) VALUES ($1, $2, $3, 1)
     ON CONFLICT (bucket, client_hash, window_start)
     DO UPDATE SET hits = public_rate_limit.hits + 1
     RETURNING hits`,
    [bucket, key, start],
  );
  if (Math.random() < 0.01) {
    await db.query(`DELETE FROM public_rate_limit WHERE window_start < $1`, [
      new Date(start.getTime() - windowMs),
    ]);
  }
  if (rows[0].hits > rateLimitOf(bucket)) {
    throw rateLimited(Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000)));
  }
}
