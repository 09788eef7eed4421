import { createHmac } from "node:crypto";
import type { DataSource } from "typeorm";
import { authSecret } from "../auth/auth-secret";
import { config } from "../config/config";
import { preparedQuery } from "../db/data-source";
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

export interface RateHit {
  /** Parameters of RATE_HIT_CTE, from $1. */
  values: unknown[];
  /** Refuses once the count the statement returned is past the bucket's limit. */
  check(hits: number): void;
  limit: number;
}

/**
 * One hit as a CTE named `hit` (returning `hits`) that a caller may put in front of its own statement, so
 * that the count costs no statement of its own. Now and then the same statement sweeps windows older than
 * the previous one, so the table stays small without a job.
 */
export const RATE_HIT_CTE = `swept AS (
    DELETE FROM public_rate_limit WHERE $4::boolean AND window_start < $5),
  hit AS (
    INSERT INTO public_rate_limit (bucket, client_hash, window_start, hits) VALUES ($1, $2, $3, 1)
    ON CONFLICT (bucket, client_hash, window_start) DO UPDATE SET hits = public_rate_limit.hits + 1
    RETURNING hits)`;

export function rateHit(
  bucket: RateBucket,
  clientAddress: string | null | undefined,
  now: Date = new Date(),
): RateHit {
  const windowMs = config().STAR_PUBLIC_RATE_WINDOW_SECONDS * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  // No address (a socket already closed) is counted as one shared client rather than let through.
  const key = clientAddressHash(clientAddress || "unknown");
  const limit = rateLimitOf(bucket);
  return {
    values: [bucket, key, start, Math.random() < 0.01, new Date(start.getTime() - windowMs)],
    limit,
    check(hits) {
      if (hits > limit) {
        throw rateLimited(Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000)));
      }
    },
  };
}

/**
 * Counts one hit for the client in the current fixed window, in PostgreSQL so that every app node
 * shares the count, and refuses once the bucket's limit is passed.
 */
export async function hitRateLimit(
  ds: DataSource,
  bucket: RateBucket,
  clientAddress: string | null | undefined,
  now: Date = new Date(),
): Promise<void> {
  const hit = rateHit(bucket, clientAddress, now);
  const { rows } = await preparedQuery<{ hits: number }>(ds, {
    name: "public_rate_hit",
    text: `WITH ${RATE_HIT_CTE} SELECT hits FROM hit`,
    values: hit.values,
  });
  hit.check(rows[0].hits);
}
