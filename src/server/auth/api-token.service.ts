import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { ApiToken, StaffUser } from "../../../entities";
import { audit } from "../audit/audit.service";
import { config } from "../config/config";
import { notFound, badInput } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { requiredText, uuid } from "../validation/validate";
import { toViewer } from "./sign-in.service";
import { Rules, requireRole, type Viewer } from "./viewer";

export const TOKEN_PREFIX = "star_pat_";
const TOKEN_SHAPE = /^star_pat_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
// Writing last-used on every request would turn each read into a write; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000;

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export interface CreateApiTokenCommand {
  name: string;
  expiresInDays: number;
}

/** The viewer's own tokens, newest first (never their secrets). */
export function listApiTokens(ds: DataSource, viewer: Viewer | null): Promise<ApiToken[]> {
  const v = requireRole(viewer, Rules.manageApiTokens);
  return ds
    .getRepository(ApiToken)
    .find({ where: { ownerId: v.id }, order: { createdAt: "DESC", id: "DESC" } });
}

/** A new token: the secret is returned this once and only its hash is kept. */
export async function createApiToken(
  ds: DataSource,
  viewer: Viewer | null,
  input: CreateApiTokenCommand,
): Promise<{ token: string; apiToken: ApiToken }> {
  const v = requireRole(viewer, Rules.manageApiTokens);
  const name = requiredText("name", input.name, { max: 100 });
  const maxDays = config().STAR_API_TOKEN_MAX_DAYS;
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > maxDays)
    throw badInput("expiresInDays", `must be between 1 and ${maxDays}`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  return ds.transaction(async (em) => {
    const repo = em.getRepository(ApiToken);
    const saved = await repo.save(
      repo.create({
        ownerId: v.id,
        name,
        prefix: token.slice(0, PREFIX_LENGTH),
        tokenHash: sha256(token),
        expiresAt,
      }),
    );
    await audit(em, v, {
      action: "api_token.created",
      entityType: "api_token",
      entityId: saved.id,
      after: { name, prefix: saved.prefix, expiresAt: expiresAt.toISOString() },
    });
    return { token, apiToken: saved };
  });
}

/** Revoking is immediate: the next request with the token is refused. */
export async function revokeApiToken(ds: DataSource, viewer: Viewer | null, id: string): Promise<ApiToken> {
  const v = requireRole(viewer, Rules.manageApiTokens);
  const tokenId = uuid("id", id);
  return ds.transaction(async (em) => {
    const repo = em.getRepository(ApiToken);
    const mine = await repo.findOneBy({ id: tokenId, ownerId: v.id });
    if (!mine) throw notFound("API token");
    if (!mine.revokedAt) {
      await repo.update({ id: tokenId }, { revokedAt: new Date() });
      await audit(em, v, {
        action: "api_token.revoked",
        entityType: "api_token",
        entityId: tokenId,
        before: { name: mine.name },
      });
    }
    return repo.findOneByOrFail({ id: tokenId });
  });
}

/**
 * The viewer behind `Authorization: Bearer ...`: the owner, read-only, while the token is neither
 * expired nor revoked and the account is active. Anything else is no viewer at all.
 */
export async function viewerFromApiToken(ds: DataSource, token: string): Promise<Viewer | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const rows: (Pick<ApiToken, "id" | "lastUsedAt"> & { ownerId: string })[] = await ds.query(
    `SELECT t.id, t.owner_id AS "ownerId", t.last_used_at AS "lastUsedAt" FROM api_token t
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`,
    [sha256(token)],
  );
  const found = rows[0];
  if (!found) {
    logger.info({ event: "api_token_refused", prefix: token.slice(0, PREFIX_LENGTH) }, "API token refused");
    return null;
  }
  const owner = await ds.getRepository(StaffUser).findOneBy({ id: found.ownerId });
  if (!owner || !owner.active) return null;
  if (!found.lastUsedAt || Date.now() - new Date(found.lastUsedAt).getTime() > LAST_USED_PRECISION_MS) {
    await ds.query(`UPDATE api_token SET last_used_at = now() WHERE id = $1`, [found.id]);
  }
  return { ...toViewer(owner), readOnly: true };
}
