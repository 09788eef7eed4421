import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authSecret } from "../auth/auth-secret";
import { config } from "../config/config";

export const CSRF_COOKIE = "star_csrf";
export const CSRF_HEADER = "x-star-csrf";

function sign(nonce: string): string {
  return createHmac("sha256", authSecret()).update(`csrf:${nonce}`).digest("base64url");
}

/** A random nonce with its signature: only this server can make one, so a planted cookie is refused. */
export function newCsrfToken(): string {
  const nonce = randomBytes(18).toString("base64url");
  return `${nonce}.${sign(nonce)}`;
}

function validSignature(token: string): boolean {
  const [nonce, mac, extra] = token.split(".");
  if (!nonce || !mac || extra !== undefined) return false;
  const a = Buffer.from(mac);
  const b = Buffer.from(sign(nonce));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signed double submit: the header (or form field) must equal the cookie, and carry our signature. */
export function csrfTokensMatch(cookie: string | null | undefined, sent: string | null | undefined): boolean {
  if (!cookie || !sent || cookie.length > 200 || sent.length > 200) return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b) && validSignature(sent);
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function requestCsrfValid(req: IncomingMessage): boolean {
  const header = req.headers[CSRF_HEADER];
  return csrfTokensMatch(readCookie(req, CSRF_COOKIE), Array.isArray(header) ? header[0] : header);
}

/** The no-script form's hidden field, checked against the cookie by the same rule as the header. */
export function formCsrfValid(req: IncomingMessage, sent: string | null | undefined): boolean {
  return csrfTokensMatch(readCookie(req, CSRF_COOKIE), sent);
}

/**
 * The token for a server-rendered form: the cookie's own while it is still ours (so a second tab does not
 * void the first tab's form), its lifetime renewed; otherwise a new one.
 */
export function formCsrfToken(req: IncomingMessage, res: ServerResponse): string {
  const current = readCookie(req, CSRF_COOKIE);
  return issueCsrfToken(res, current && csrfTokensMatch(current, current) ? current : undefined);
}

/** Sets the cookie (HttpOnly: the page gets its copy in the response body) and returns the token. */
export function issueCsrfToken(res: ServerResponse, token: string = newCsrfToken()): string {
  const secure = config().NEXTAUTH_URL?.startsWith("https:") ? "; Secure" : "";
  res.setHeader(
    "Set-Cookie",
    `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=7200${secure}`,
  );
  return token;
}

/**
 * The client address for rate limits: the socket's peer, or with STAR_TRUSTED_PROXY_HOPS = n behind that
 * many proxies, the address the outermost trusted proxy saw (from the right of X-Forwarded-For).
 */
export function clientAddressOf(req: IncomingMessage): string | null {
  const hops = config().STAR_TRUSTED_PROXY_HOPS;
  if (hops > 0) {
    const header = req.headers["x-forwarded-for"];
    const chain = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (chain.length >= hops) return chain[chain.length - hops];
  }
  return req.socket?.remoteAddress ?? null;
}
