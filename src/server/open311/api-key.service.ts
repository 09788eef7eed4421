import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { ApiKey } from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { conflict, forbidden, notFound } from "../errors/domain-error";
import { updateReturning } from "../db/sql";
import { requiredText, uuid } from "../validation/validate";

export interface IssueApiKeyCommand {
  name: string;
}

export interface RevokeApiKeyCommand {
  id: string;
}

export interface IssuedApiKey {
  apiKey: ApiKey;
  /** The key itself: returned once, never stored. */
  key: string;
}

/** Enough of a key for an administrator to recognise it; far too little to guess the rest. */
const PREFIX_LENGTH = 12;

/** 192 random bits: a plain SHA-256 of such a key cannot be reversed by guessing. */
export function newApiKey(): string {
  return `o311_${randomBytes(24).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

export async function listApiKeys(ds: DataSource, viewer: Viewer | null): Promise<ApiKey[]> {
  requireRole(viewer, Rules.manageApiKeys);
  // Active keys first, then revoked ones, newest first within each.
  return ds
    .getRepository(ApiKey)
    .createQueryBuilder("k")
    .orderBy("k.revoked_at IS NULL", "DESC")
    .addOrderBy("k.created_at", "DESC")
    .addOrderBy("k.id", "ASC")
    .getMany();
}

/** A new key for an Open311 client; the caller shows it once. */
export async function issueApiKey(
  ds: DataSource,
  viewer: Viewer | null,
  input: IssueApiKeyCommand,
): Promise<IssuedApiKey> {
  const v = requireRole(viewer, Rules.manageApiKeys);
  const name = requiredText("name", input.name, { max: 100 });
  const key = newApiKey();
  return ds.transaction(async (em) => {
    const apiKey = await em.getRepository(ApiKey).save(
      em.create(ApiKey, {
        name,
        keyPrefix: apiKeyPrefix(key),
        keyHash: hashApiKey(key),
        createdById: v.id,
        revokedAt: null,
        revokedById: null,
        lastUsedAt: null,
      }),
    );
    await audit(em, v, {
      action: "api_key.issued",
      entityType: "api_key",
      entityId: apiKey.id,
      after: { name, keyPrefix: apiKey.keyPrefix },
    });
    const { keyHash: _hash, ...shown } = apiKey;
    return { apiKey: Object.assign(new ApiKey(), shown), key };
  });
}

/** From now on the key is refused; requests already made with it keep their record. */
export async function revokeApiKey(
  ds: DataSource,
  viewer: Viewer | null,
  input: RevokeApiKeyCommand,
): Promise<ApiKey> {
  const v = requireRole(viewer, Rules.manageApiKeys);
  const id = uuid("id", input.id);
  return ds.transaction(async (em) => {
    const [row] = await updateReturning<{ id: string }>(
      em,
      `UPDATE api_key SET revoked_at = now(), revoked_by_id = $2 WHERE id = $1 AND revoked_at IS NULL
        RETURNING id`,
      [id, v.id],
    );
    const apiKey = await em.getRepository(ApiKey).findOneBy({ id });
    if (!apiKey) throw notFound("API key");
    if (!row) throw conflict("This API key was already revoked", { revokedAt: apiKey.revokedAt });
    await audit(em, v, {
      action: "api_key.revoked",
      entityType: "api_key",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: apiKey.revokedAt?.toISOString() ?? null },
    });
    return apiKey;
  });
}

export interface ApiKeyHolder {
  id: string;
  name: string;
}

/**
 * The client behind an `api_key`, or FORBIDDEN for a missing, unknown or revoked one (the same answer
 * for all three). Records the use at most once a minute, so a busy client does not write on every call.
 */
export async function authenticateApiKey(
  ds: DataSource,
  key: string | null | undefined,
): Promise<ApiKeyHolder> {
  const given = key?.trim() ?? "";
  if (!given || given.length > 200) throw forbidden("A valid api_key is required to submit a request");
  const [row] = await updateReturning<ApiKeyHolder>(
    ds,
    `UPDATE api_key SET last_used_at = now()
      WHERE key_hash = $1 AND revoked_at IS NULL
        AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
      RETURNING id, name`,
    [hashApiKey(given)],
  );
  if (row) return row;
  const found: ApiKeyHolder[] = await ds.query(
    `SELECT id, name FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
    [hashApiKey(given)],
  );
  if (!found.length) throw forbidden("A valid api_key is required to submit a request");
  return found[0];
}
