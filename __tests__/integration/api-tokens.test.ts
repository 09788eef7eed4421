import type { DataSource } from "typeorm";
import { ApiToken, Role } from "../../entities";
import { viewerFromRequest } from "../../src/server/auth/session";
import { bearerRequest, makeApiToken } from "../factories/analytics.factory";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { dumpAllTables, openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

const tokenViewer = (token: string) =>
  viewerFromRequest(ds, bearerRequest(token), {} as never, { apiTokens: true });

const ME = `{ me { email role } }`;
const RECORD = `mutation($input: RecordContactInput!) { recordContact(input: $input) { referenceNumber } }`;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

describe("personal API tokens", () => {
  it("shows the secret once and stores only its hash", async () => {
    const res = await gql(
      ds,
      city.analyst.viewer,
      `mutation { createApiToken(input: { name: "weekly notebook", expiresInDays: 30 }) { token apiToken { id name prefix expiresAt } } }`,
    );
    expect(res.errors).toBeUndefined();
    const { token, apiToken } = res.data!.createApiToken;
    expect(token).toMatch(/^star_pat_/);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    expect(await dumpAllTables(ds)).not.toContain(token);
    const list = await gql(ds, city.analyst.viewer, `{ apiTokens { id name prefix lastUsedAt revokedAt } }`);
    expect(JSON.stringify(list.data)).not.toContain(token);
    expect(list.data!.apiTokens.map((t: { id: string }) => t.id)).toContain(apiToken.id);
  });

  it("signs a script in as its owner, read-only, and notes when it was last used", async () => {
    const { token, apiToken } = await makeApiToken(ds, city.analyst.viewer);
    const viewer = await tokenViewer(token);
    expect(viewer).toMatchObject({ id: city.analyst.id, role: Role.ANALYST, readOnly: true });
    const res = await gql(ds, viewer, ME);
    expect(res.data!.me).toEqual({ email: city.analyst.email, role: "ANALYST" });
    const after = await ds.getRepository(ApiToken).findOneByOrFail({ id: apiToken.id });
    expect(after.lastUsedAt).not.toBeNull();
  });

  it("refuses an expired token", async () => {
    const { token } = await makeApiToken(ds, city.analyst.viewer, { expiresAt: new Date(Date.now() - 1000) });
    expect(await tokenViewer(token)).toBeNull();
    expect(errorCodes(await gql(ds, await tokenViewer(token), ME))).toEqual(["UNAUTHENTICATED"]);
  });

  it("refuses a revoked token from the next request on", async () => {
    const { token, apiToken } = await makeApiToken(ds, city.analyst.viewer);
    expect(await tokenViewer(token)).not.toBeNull();
    const res = await gql(
      ds,
      city.analyst.viewer,
      `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { revokedAt } }`,
      { id: apiToken.id },
    );
    expect(res.data!.revokeApiToken.revokedAt).not.toBeNull();
    expect(await tokenViewer(token)).toBeNull();
  });

  it("refuses a tampered token, a truncated one and another scheme", async () => {
    const { token } = await makeApiToken(ds, city.analyst.viewer);
    const last = token.at(-1) === "A" ? "B" : "A";
    expect(await tokenViewer(token.slice(0, -1) + last)).toBeNull();
    expect(await tokenViewer(token.slice(0, -2))).toBeNull();
    const basic = { headers: { authorization: `Basic ${token}` }, cookies: {} } as never;
    expect(await viewerFromRequest(ds, basic, {} as never, { apiTokens: true })).toBeNull();
  });

  it("refuses the token of a deactivated account", async () => {
    const leaver = await makeStaff(ds, Role.ANALYST);
    const { token } = await makeApiToken(ds, leaver.viewer);
    await ds.query(`UPDATE staff_user SET active = false WHERE id = $1`, [leaver.id]);
    expect(await tokenViewer(token)).toBeNull();
  });

  it("is not accepted where tokens are not (attachments take sessions only)", async () => {
    const { token } = await makeApiToken(ds, city.analyst.viewer);
    expect(await viewerFromRequest(ds, bearerRequest(token), {} as never)).toBeNull();
  });

  it("cannot reach a mutation even as a role that could with a session, and writes nothing", async () => {
    const { token } = await makeApiToken(ds, city.reviewer.viewer);
    const viewer = await tokenViewer(token);
    expect(viewer?.role).toBe(Role.REVIEWER);
    const input = { channel: "PHONE", categoryId: city.pothole.id, description: "Pothole by the school" };
    const before = await rowCount(ds, "contact");
    // The same mutation works with the reviewer's session...
    const withSession = await gql(ds, city.reviewer.viewer, RECORD, {
      input: { ...input, confidential: true },
    });
    expect(withSession.errors).toBeUndefined();
    // ...and is refused with the token, as is the public form and the token's own management.
    for (const [query, variables] of [
      [RECORD, { input: { ...input, confidential: true } }],
      [
        `mutation { submitServiceRequest(input: { categoryId: "${city.pothole.id}", description: "x", publicRecordNoticeAcknowledged: true }) { __typename } }`,
        {},
      ],
      [`mutation { createApiToken(input: { name: "more", expiresInDays: 1 }) { token } }`, {}],
      [`mutation { saveQuery(input: { name: "q", query: "{ me { id } }" }) { id } }`, {}],
    ] as const) {
      const res = await gql(ds, viewer, query, variables);
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
    }
    expect(await rowCount(ds, "contact")).toBe(before + 1);
  });

  it("refuses a lifetime past the configured maximum and a token for a role without a workspace", async () => {
    const tooLong = await gql(
      ds,
      city.analyst.viewer,
      `mutation { createApiToken(input: { name: "x", expiresInDays: 5000 }) { token } }`,
    );
    expect(errorCodes(tooLong)).toEqual(["BAD_USER_INPUT"]);
    const intake = await gql(
      ds,
      city.intake.viewer,
      `mutation { createApiToken(input: { name: "x", expiresInDays: 5 }) { token } }`,
    );
    expect(errorCodes(intake)).toEqual(["FORBIDDEN"]);
  });

  it("lets nobody revoke another's token", async () => {
    const { apiToken } = await makeApiToken(ds, city.analyst.viewer);
    const res = await gql(
      ds,
      city.reviewer.viewer,
      `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { id } }`,
      { id: apiToken.id },
    );
    expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
  });
});
