import type { DataSource } from "typeorm";
import { ApiToken } from "../../entities";
import { createApiToken } from "../../src/server/auth/api-token.service";
import type { Viewer } from "../../src/server/auth/viewer";

let n = 0;

/** A personal API token made through the service; its columns overridden as given (e.g. expired). */
export async function makeApiToken(
  ds: DataSource,
  viewer: Viewer,
  overrides: Partial<Pick<ApiToken, "expiresAt" | "revokedAt">> = {},
): Promise<{ token: string; apiToken: ApiToken }> {
  n++;
  const made = await createApiToken(ds, viewer, { name: `notebook ${n}`, expiresInDays: 30 });
  if (Object.keys(overrides).length)
    await ds.getRepository(ApiToken).update({ id: made.apiToken.id }, overrides);
  return {
    token: made.token,
    apiToken: await ds.getRepository(ApiToken).findOneByOrFail({ id: made.apiToken.id }),
  };
}

/** A request as the GraphQL route sees it, with only an Authorization header. */
export function bearerRequest(token: string) {
  return { headers: { authorization: `Bearer ${token}` }, cookies: {} } as never;
}
