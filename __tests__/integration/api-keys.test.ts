import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import { Role } from "../../entities";
import { authenticateApiKey } from "../../src/server/open311/api-key.service";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { dumpAllTables, openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

const ISSUE = `mutation($input: IssueApiKeyInput!) {
  issueApiKey(input: $input) { key apiKey { id name keyPrefix active createdAt revokedAt lastUsedAt createdBy { email } } } }`;
const REVOKE = `mutation($input: RevokeApiKeyInput!) {
  revokeApiKey(input: $input) { id active revokedAt revokedBy { email } } }`;
const LIST = `{ apiKeys { id name keyPrefix active createdBy { email } } }`;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

describe("Open311 API keys", () => {
  it("are issued by an administrator: the key is returned once and only its sha256 is stored", async () => {
    const res = await gql(ds, city.admin.viewer, ISSUE, { input: { name: "  Neighborhood 311 app " } });
    expect(res.errors).toBeUndefined();
    const { key, apiKey } = res.data!.issueApiKey;
    expect(key).toMatch(/^o311_[\w-]{32}$/);
    expect(apiKey).toMatchObject({
      name: "Neighborhood 311 app",
      keyPrefix: key.slice(0, 12),
      active: true,
      revokedAt: null,
      lastUsedAt: null,
      createdBy: { email: city.admin.email },
    });
    const stored = await dumpAllTables(ds);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(12));
    const [{ key_hash }] = await ds.query(`SELECT key_hash FROM api_key WHERE id = $1`, [apiKey.id]);
    expect(key_hash).toBe(createHash("sha256").update(key).digest("hex"));
    const list = await gql(ds, city.admin.viewer, LIST);
    expect(list.data!.apiKeys).toEqual([
      {
        id: apiKey.id,
        name: "Neighborhood 311 app",
        keyPrefix: key.slice(0, 12),
        active: true,
        createdBy: { email: city.admin.email },
      },
    ]);
    expect(JSON.stringify(list)).not.toContain(key.slice(12));
    const [event] = await ds.query(`SELECT actor_id, after FROM audit_event WHERE action = 'api_key.issued'`);
    expect(event).toEqual({
      actor_id: city.admin.id,
      after: { name: "Neighborhood 311 app", keyPrefix: key.slice(0, 12) },
    });
    expect(await authenticateApiKey(ds, key)).toEqual({ id: apiKey.id, name: "Neighborhood 311 app" });
  });

  it("are refused once revoked; revoking again is a CONFLICT and an unknown key NOT_FOUND", async () => {
    const issued = (await gql(ds, city.admin.viewer, ISSUE, { input: { name: "Vendor" } })).data!.issueApiKey;
    const res = await gql(ds, city.admin.viewer, REVOKE, { input: { id: issued.apiKey.id } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.revokeApiKey).toMatchObject({
      active: false,
      revokedAt: expect.any(String),
      revokedBy: { email: city.admin.email },
    });
    await expect(authenticateApiKey(ds, issued.key)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(errorCodes(await gql(ds, city.admin.viewer, REVOKE, { input: { id: issued.apiKey.id } }))).toEqual(
      ["CONFLICT"],
    );
    expect(
      errorCodes(
        await gql(ds, city.admin.viewer, REVOKE, { input: { id: "00000000-0000-4000-8000-000000000000" } }),
      ),
    ).toEqual(["NOT_FOUND"]);
    const list = (await gql(ds, city.admin.viewer, LIST)).data!.apiKeys as {
      name: string;
      active: boolean;
    }[];
    expect(list.map((k) => [k.name, k.active])).toEqual([
      ["Neighborhood 311 app", true],
      ["Vendor", false],
    ]);
    expect(await rowCount(ds, "audit_event")).toBeGreaterThanOrEqual(3);
  });

  it("refuses a blank name, naming the field", async () => {
    const res = await gql(ds, city.admin.viewer, ISSUE, { input: { name: "   " } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
  });

  it.each([Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST])(
    "are FORBIDDEN to %s, who gets no keys and issues or revokes none",
    async (role) => {
      const staff = await makeStaff(ds, role);
      const before = await rowCount(ds, "api_key");
      const list = await gql(ds, staff.viewer, LIST);
      expect(errorCodes(list)).toEqual(["FORBIDDEN"]);
      expect(list.data).toBeNull();
      expect(errorCodes(await gql(ds, staff.viewer, ISSUE, { input: { name: "Mine" } }))).toEqual([
        "FORBIDDEN",
      ]);
      const [{ id }] = await ds.query(`SELECT id FROM api_key WHERE revoked_at IS NULL LIMIT 1`);
      expect(errorCodes(await gql(ds, staff.viewer, REVOKE, { input: { id } }))).toEqual(["FORBIDDEN"]);
      expect(await rowCount(ds, "api_key")).toBe(before);
      expect((await ds.query(`SELECT revoked_at FROM api_key WHERE id = $1`, [id]))[0].revoked_at).toBeNull();
    },
  );

  it("are UNAUTHENTICATED without a session", async () => {
    expect(errorCodes(await gql(ds, null, LIST))).toEqual(["UNAUTHENTICATED"]);
  });
});
