import type { ServerResponse } from "node:http";
import { logger } from "../logging/logger";
import { DomainError, ErrorCode } from "./domain-error";

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
};

// Input errors that HTTP has a more precise status for.
const REASON_STATUS: Record<string, number> = { TOO_LARGE: 413, UNSUPPORTED_TYPE: 415, RATE_LIMITED: 429 };

export function httpStatus(err: DomainError): number {
  const reason = err.details?.reason;
  return (typeof reason === "string" && REASON_STATUS[reason]) || STATUS[err.code] || 400;
}

/**
 * The JSON error body of the plain HTTP routes, `{ error: { code, message, field } }`: domain errors by
 * their code, anything else logged and masked.
 */
export function sendError(
  res: ServerResponse,
  err: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent) {
    logger.error({ err }, "request failed after the response started");
    res.destroy();
    return;
  }
  let status = 500;
  let error: { code: string; message: string; field?: string } = {
    code: "INTERNAL_SERVER_ERROR",
    message: "Internal server error",
  };
  if (err instanceof DomainError) {
    status = httpStatus(err);
    error = { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
    const retry = err.details?.retryAfterSeconds;
    if (status === 429 && typeof retry === "number") res.setHeader("Retry-After", String(Math.ceil(retry)));
  } else {
    logger.error({ err }, "unexpected error in an HTTP route");
  }
  const body = JSON.stringify({ error });
  res.statusCode = status;
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("Cache-Control", "no-store");
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("Cache-Control", "no-store");
  res.end(body);
}
