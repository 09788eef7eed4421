import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";
import { decode } from "next-auth/jwt";
import type { DataSource } from "typeorm";
import { viewerFromApiToken } from "./api-token.service";
import { authOptions } from "./auth-options";
import { authSecret } from "./auth-secret";
import { currentStaff } from "./sign-in.service";
import type { Viewer } from "./viewer";

type Request = NextApiRequest | (IncomingMessage & { cookies: Partial<Record<string, string>> });

const COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];
const MAX_CACHED = 10_000;

// Decrypting a session token (key derivation and AES-GCM) costs about half a millisecond; a signed-in
// clerk sends the same token with every request until it expires, so its outcome is kept until then.
const decoded = new Map<string, { staffId: string | null; expiresAt: number }>();

let options: ReturnType<typeof authOptions> | undefined;

async function staffIdOf(token: string): Promise<string | null> {
  const hit = decoded.get(token);
  if (hit && hit.expiresAt > Date.now()) return hit.staffId;
  const jwt = await decode({ token, secret: authSecret() }).catch(() => null);
  const expiresAt = typeof jwt?.exp === "number" ? jwt.exp * 1000 : 0;
  const staffId = jwt && expiresAt > Date.now() ? (jwt.staffId ?? null) : null;
  if (decoded.size >= MAX_CACHED) decoded.delete(decoded.keys().next().value!);
  decoded.set(token, { staffId, expiresAt: staffId ? expiresAt : Date.now() + 60_000 });
  return staffId;
}

/**
 * The signed-in staff member behind a request, re-checked against the account (cached briefly). Sessions
 * are not rolled forward on API calls: a session ends eight hours after sign-in, whatever the activity.
 */
export async function viewerFromRequest(
  ds: DataSource,
  req: Request,
  res: NextApiResponse | ServerResponse,
  opts: { apiTokens?: boolean } = {},
): Promise<Viewer | null> {
  // Personal API tokens are for the GraphQL API only, and a request that sends one is judged by it alone.
  if (opts.apiTokens && req.headers.authorization) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization);
    return bearer ? viewerFromApiToken(ds, bearer[1]) : null;
  }
  const name = COOKIES.find((c) => req.cookies[c]);
  if (name) {
    const id = await staffIdOf(req.cookies[name]!);
    return id ? currentStaff(ds, id) : null;
  }
  // A session cookie split into chunks (.0, .1): let next-auth put it together.
  if (!Object.keys(req.cookies).some((c) => COOKIES.some((n) => c.startsWith(`${n}.`)))) return null;
  options ??= authOptions();
  const session = await getServerSession(req as NextApiRequest, res as NextApiResponse, options);
  return session?.user?.id ? currentStaff(ds, session.user.id) : null;
}
