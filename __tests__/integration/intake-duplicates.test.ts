import type { DataSource } from "typeorm";
import { Role } from "../../entities";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const STAFF = `query($departmentId: ID!) { departmentStaff(departmentId: $departmentId) {
  id name email role department { id } } }`;
const RECORD = `mutation($input: RecordContactInput!) { recordContact(input: $input) {
  id referenceNumber duplicateOf { id referenceNumber reporterCount } assignments { status } } }`;

describe("departmentStaff", () => {
  let colleague: Awaited<ReturnType<typeof makeStaff>>;
  let retired: Awaited<ReturnType<typeof makeStaff>>;

  beforeAll(async () => {
    colleague = await makeStaff(ds, Role.DEPARTMENT, { departmentId: city.streets.id, name: "Aa Colleague" });
    retired = await makeStaff(ds, Role.DEPARTMENT, { departmentId: city.streets.id, active: false });
  });

  const names = (data: { departmentStaff: { id: string }[] } | null | undefined) =>
    (data?.departmentStaff ?? []).map((s) => s.id);

  it("lists the active department staff of the viewer's own department, by name", async () => {
    const res = await gql(ds, city.streetsStaff.viewer, STAFF, { departmentId: city.streets.id });
    expect(res.errors).toBeUndefined();
    expect(names(res.data as never)).toEqual([colleague.id, city.streetsStaff.id]);
    expect(names(res.data as never)).not.toContain(retired.id);
    expect(names(res.data as never)).not.toContain(city.waterStaff.id);
  });

  it("refuses department staff asking for another department with FORBIDDEN and no data", async () => {
    const res = await gql(ds, city.waterStaff.viewer, STAFF, { departmentId: city.streets.id });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.data).toBeNull();
    expect(JSON.stringify(res)).not.toContain(colleague.email);
  });

  it("lets the City Manager's Office list any department", async () => {
    const res = await gql(ds, city.reviewer.viewer, STAFF, { departmentId: city.water.id });
    expect(res.errors).toBeUndefined();
    expect(names(res.data as never)).toEqual([city.waterStaff.id]);
  });

  it("refuses INTAKE, ANALYST, ADMIN and anonymous callers with no data", async () => {
    for (const who of [city.intake.viewer, city.analyst.viewer, city.admin.viewer, null]) {
      const res = await gql(ds, who, STAFF, { departmentId: city.streets.id });
      expect(errorCodes(res)).toEqual([who ? "FORBIDDEN" : "UNAUTHENTICATED"]);
      expect(res.data).toBeNull();
      expect(JSON.stringify(res)).not.toContain(colleague.email);
    }
  });
});

describe("recordContact with duplicateOfId", () => {
  async function first(locationAddress: string) {
    const constituent = await makeConstituent(ds, city.intake.viewer);
    return makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: constituent.id,
      locationAddress,
    });
  }

  async function input(duplicateOfId: string, categoryId = city.pothole.id) {
    const constituent = await makeConstituent(ds, city.intake.viewer);
    return {
      constituentId: constituent.id,
      channel: "PHONE",
      categoryId,
      description: "Same pothole, still there.",
      locationAddress: "1200 West Washington Street",
      duplicateOfId,
    };
  }

  async function writes() {
    const [contacts, assignments, audits, mails] = await Promise.all(
      ["contact", "assignment", "audit_event", "mail_outbox"].map((t) => rowCount(ds, t)),
    );
    return { contacts, assignments, audits, mails };
  }

  it("records the contact already linked to the first report, its own lead cancelled and unannounced", async () => {
    const mailsBefore = await rowCount(ds, "mail_outbox");
    const root = await first("1200 West Washington Street");
    // The first report's new assignment is announced to its department; the duplicate's is not.
    expect(await rowCount(ds, "mail_outbox")).toBe(mailsBefore + 1);
    const res = await gql(ds, city.intake.viewer, RECORD, { input: await input(root.id) });
    expect(res.errors).toBeUndefined();
    const recorded = res.data!.recordContact;
    expect(recorded.duplicateOf).toEqual({
      id: root.id,
      referenceNumber: root.referenceNumber,
      reporterCount: 2,
    });
    expect(recorded.assignments).toEqual([{ status: "CANCELLED" }]);
    const [row] = await ds.query(`SELECT duplicate_of_id FROM contact WHERE id = $1`, [recorded.id]);
    expect(row.duplicate_of_id).toBe(root.id);
    const actions: { action: string; xid: string }[] = await ds.query(
      `SELECT action, xmin::text AS xid FROM audit_event WHERE entity_id = $1 ORDER BY action`,
      [recorded.id],
    );
    expect(actions.map((a) => a.action)).toEqual(["contact.linked_duplicate", "contact.recorded"]);
    // One transaction: both audit rows were written by the same transaction id.
    expect(actions[0].xid).toBe(actions[1].xid);
    expect(await rowCount(ds, "mail_outbox")).toBe(mailsBefore + 1);
  });

  it("links to the first report when given a later duplicate of it", async () => {
    const root = await first("9 Elm Street");
    const second = await gql(ds, city.intake.viewer, RECORD, { input: await input(root.id) });
    const third = await gql(ds, city.intake.viewer, RECORD, {
      input: await input(second.data!.recordContact.id),
    });
    expect(third.errors).toBeUndefined();
    expect(third.data!.recordContact.duplicateOf).toMatchObject({ id: root.id, reporterCount: 3 });
  });

  it("writes nothing and names duplicateOfId when the target is in another category", async () => {
    const root = await first("44 Oak Street");
    const body = await input(root.id, city.leak.id);
    const before = await writes();
    const res = await gql(ds, city.intake.viewer, RECORD, { input: body });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions?.field).toBe("duplicateOfId");
    expect(res.data).toBeNull();
    expect(await writes()).toEqual(before);
  });

  it("writes nothing and names duplicateOfId for an unknown, closed or hidden contact", async () => {
    const closed = await first("3 Pine Street");
    await ds.query(`UPDATE assignment SET status = 'COMPLETED', completed_at = now() WHERE contact_id = $1`, [
      closed.id,
    ]);
    const otherClerk = await makeStaff(ds, Role.INTAKE);
    const secret = await makeContact(ds, otherClerk.viewer, {
      categoryId: city.pothole.id,
      confidential: true,
      description: "Secret neighbour dispute",
    });
    for (const target of [closed.id, secret.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const body = await input(target);
      const before = await writes();
      const res = await gql(ds, city.intake.viewer, RECORD, { input: body });
      expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(res.errors![0].extensions?.field).toBe("duplicateOfId");
      expect(res.data).toBeNull();
      expect(JSON.stringify(res)).not.toContain("Secret");
      expect(await writes()).toEqual(before);
    }
  });
});
