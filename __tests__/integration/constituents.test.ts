import type { DataSource } from "typeorm";
import {
  Assignment,
  AssignmentStatus,
  AuditEvent,
  Constituent,
  Contact,
  Response,
  ResponseChannel,
  ResponseKind,
} from "../../entities";
import { viewLog } from "../../src/server/audit/view-log";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

const CREATE = `mutation($input: CreateConstituentInput!) { createConstituent(input: $input) {
  created constituent { id firstName lastName email phone version }
  duplicates { score reasons constituent { id lastName } } } }`;
const UPDATE = `mutation($input: UpdateConstituentInput!) { updateConstituent(input: $input) {
  id version firstName lastName email phone addressLine1 } }`;
const MERGE = `mutation($input: MergeConstituentsInput!) { mergeConstituents(input: $input) {
  id version email phone contacts { referenceNumber } } }`;
const SCREEN = `query($id: ID!) { constituent(id: $id) { id firstName lastName mergedIntoId
  contacts { referenceNumber receivedAt status description category { name }
    assignments { status dueAt completedAt department { id name } responses { body channel sentAt kind isFinal } } } } }`;

async function counts(...tables: string[]): Promise<number[]> {
  await viewLog(ds).flush(); // buffered "viewed" audit events must not land mid-measurement
  return Promise.all(tables.map((t) => rowCount(ds, t)));
}

const reload = (id: string) => ds.getRepository(Constituent).findOneByOrFail({ id });
const auditOf = (entityId: string, action: string) =>
  ds.getRepository(AuditEvent).find({ where: { entityId, action }, order: { id: "ASC" } });

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

describe("createConstituent", () => {
  let existing: Constituent;
  beforeAll(async () => {
    existing = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Guadalupe",
      lastName: "Ochoa Núñez",
      email: "lupe.ochoa@example.org",
      phone: "602-555-0123",
      addressLine1: "2020 N Central Ave",
      city: "Phoenix",
      postalCode: "85004",
    });
  });

  it.each([
    [
      "the same email, in other case",
      { firstName: "G.", lastName: "Ochoa", email: "Lupe.Ochoa@Example.org" },
    ],
    ["the same phone, typed differently", { firstName: "Lupe", lastName: "O", phone: "(602) 555-0123" }],
    [
      "the same name without accents at the same address",
      {
        firstName: "Guadalupe",
        lastName: "Ochoa Nunez",
        addressLine1: "2020 N. Central Ave",
        city: "Phoenix",
      },
    ],
  ])("returns the likely duplicate instead of creating, for %s", async (_what, input) => {
    const before = await counts("constituent", "audit_event");
    const res = await gql(ds, city.intake.viewer, CREATE, { input });
    expect(res.errors).toBeUndefined();
    const result = res.data!.createConstituent;
    expect(result.created).toBe(false);
    expect(result.constituent).toBeNull();
    expect(result.duplicates[0].constituent.id).toBe(existing.id);
    expect(result.duplicates[0].score).toBeGreaterThanOrEqual(0.6);
    expect(result.duplicates[0].reasons.length).toBeGreaterThan(0);
    expect(await counts("constituent", "audit_event")).toEqual(before);
  });

  it("creates a namesake without asking: a shared name alone is not a duplicate", async () => {
    const res = await gql(ds, city.intake.viewer, CREATE, {
      input: { firstName: "Guadalupe", lastName: "Ochoa Núñez", email: "g.ochoa.tempe@example.org" },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createConstituent.created).toBe(true);
  });

  it("creates despite duplicates with a reason, and keeps the reason in the audit log", async () => {
    const before = await counts("constituent");
    const res = await gql(ds, city.intake.viewer, CREATE, {
      input: {
        firstName: "Guadalupe",
        lastName: "Ochoa",
        phone: "602 555 0123",
        confirmNotDuplicateReason: "Daughter of the same name sharing the family phone",
      },
    });
    expect(res.errors).toBeUndefined();
    const result = res.data!.createConstituent;
    expect(result.created).toBe(true);
    expect(result.duplicates.map((d: { constituent: { id: string } }) => d.constituent.id)).toContain(
      existing.id,
    );
    expect(await counts("constituent")).toEqual([before[0] + 1]);
    const [event] = await auditOf(result.constituent.id, "constituent.created");
    expect(event.actorId).toBe(city.intake.id);
    expect(event.reason).toContain("Daughter of the same name sharing the family phone");
    expect(event.reason).toContain(existing.id);
  });

  it("stores the phone as E.164 and the email in lower case", async () => {
    const res = await gql(ds, city.intake.viewer, CREATE, {
      input: {
        firstName: "Tomasz",
        lastName: "Wiśniewski",
        email: "Tomasz.W@Example.COM",
        phone: "+1 (480) 555-0199",
      },
    });
    expect(res.data!.createConstituent.constituent).toMatchObject({
      email: "tomasz.w@example.com",
      phone: "+14805550199",
      version: 1,
    });
  });
});

describe("updateConstituent", () => {
  let person: Constituent;
  beforeEach(async () => {
    person = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Adaeze",
      lastName: "Nwosu",
      phone: "602-555-0111",
      addressLine1: "15 W Adams St",
    });
  });

  it("refuses a stale version with CONFLICT and changes nothing", async () => {
    const fresh = await gql(ds, city.intake.viewer, UPDATE, {
      input: { id: person.id, version: person.version, addressLine1: "16 W Adams St" },
    });
    expect(fresh.errors).toBeUndefined();
    const afterFirst = await reload(person.id);
    const [auditBefore] = await counts("audit_event");

    const stale = await gql(ds, city.streetsStaff.viewer, UPDATE, {
      input: { id: person.id, version: person.version, lastName: "Overwritten" },
    });
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    expect(stale.errors![0].extensions!.currentVersion).toBe(afterFirst.version);
    expect(stale.data).toBeNull();
    const now = await reload(person.id);
    expect(now.lastName).toBe("Nwosu");
    expect(now.addressLine1).toBe("16 W Adams St");
    expect(now.version).toBe(afterFirst.version);
    expect(await counts("audit_event")).toEqual([auditBefore]);
  });

  it("updates with the right version, adds 1 to it, and audits before and after", async () => {
    const res = await gql(ds, city.intake.viewer, UPDATE, {
      input: { id: person.id, version: person.version, lastName: "Nwosu-Eze", email: "adaeze@example.org" },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateConstituent).toMatchObject({
      version: person.version + 1,
      lastName: "Nwosu-Eze",
      email: "adaeze@example.org",
    });
    expect((await reload(person.id)).version).toBe(person.version + 1);
    const [event] = await auditOf(person.id, "constituent.updated");
    expect(event.before).toMatchObject({ lastName: "Nwosu", version: person.version });
    expect(event.after).toMatchObject({ lastName: "Nwosu-Eze", version: person.version + 1 });
  });

  it("keeps fields that are left out and clears fields sent as null", async () => {
    const res = await gql(ds, city.intake.viewer, UPDATE, {
      input: { id: person.id, version: person.version, addressLine1: null },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateConstituent).toMatchObject({
      firstName: "Adaeze",
      phone: "+16025550111",
      addressLine1: null,
    });
  });

  it("refuses a malformed phone, naming the field, and changes nothing", async () => {
    const res = await gql(ds, city.intake.viewer, UPDATE, {
      input: { id: person.id, version: person.version, phone: "555-01" },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("phone");
    expect((await reload(person.id)).version).toBe(person.version);
  });

  it("refuses to edit a merged record", async () => {
    const survivor = await makeConstituent(ds, city.intake.viewer);
    await gql(ds, city.reviewer.viewer, MERGE, {
      input: { survivorId: survivor.id, duplicateId: person.id, reason: "same person" },
    });
    const merged = await reload(person.id);
    const res = await gql(ds, city.intake.viewer, UPDATE, {
      input: { id: person.id, version: merged.version, lastName: "Changed" },
    });
    expect(errorCodes(res)).toEqual(["CONFLICT"]);
    expect((await reload(person.id)).lastName).toBe("Nwosu");
  });

  it("answers NOT_FOUND for an unknown record", async () => {
    const res = await gql(ds, city.intake.viewer, UPDATE, {
      input: { id: "00000000-0000-4000-8000-000000000000", version: 1, lastName: "X" },
    });
    expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
  });
});

describe("mergeConstituents", () => {
  it("moves the duplicate's contacts to the survivor, points the duplicate at it, fills blanks, and audits", async () => {
    const survivor = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Bao",
      lastName: "Nguyen",
      email: "bao.nguyen@example.org",
    });
    const duplicate = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Bao",
      lastName: "Nguyen",
      email: "bnguyen@example.net",
      phone: "623-555-0155",
    });
    const kept = await makeContact(ds, city.intake.viewer, {
      constituentId: survivor.id,
      categoryId: city.pothole.id,
    });
    const moved1 = await makeContact(ds, city.intake.viewer, {
      constituentId: duplicate.id,
      categoryId: city.leak.id,
    });
    const moved2 = await makeContact(ds, city.intake.viewer, {
      constituentId: duplicate.id,
      categoryId: city.pothole.id,
    });

    const res = await gql(ds, city.intake.viewer, MERGE, {
      input: {
        survivorId: survivor.id,
        duplicateId: duplicate.id,
        reason: "Same caller, second record by mistake",
      },
    });
    expect(res.errors).toBeUndefined();
    const merged = res.data!.mergeConstituents;
    expect(merged.id).toBe(survivor.id);
    expect(merged.email).toBe("bao.nguyen@example.org"); // the survivor's own value wins
    expect(merged.phone).toBe("+16235550155"); // a blank is filled from the duplicate
    expect(merged.version).toBe(survivor.version + 1);
    expect(merged.contacts.map((c: { referenceNumber: string }) => c.referenceNumber).sort()).toEqual(
      [kept.referenceNumber, moved1.referenceNumber, moved2.referenceNumber].sort(),
    );

    const contacts = await ds.getRepository(Contact).findBy({ constituentId: duplicate.id });
    expect(contacts).toEqual([]);
    expect((await reload(duplicate.id)).mergedIntoId).toBe(survivor.id);

    const [event] = await auditOf(survivor.id, "constituent.merged");
    expect(event.actorId).toBe(city.intake.id);
    expect(event.reason).toBe("Same caller, second record by mistake");
    expect(event.after).toMatchObject({ survivorId: survivor.id, duplicateId: duplicate.id });
    expect((event.after!.movedContactIds as string[]).sort()).toEqual([moved1.id, moved2.id].sort());
  });

  it("refuses to merge a record into itself", async () => {
    const one = await makeConstituent(ds, city.intake.viewer);
    const [before] = await counts("audit_event");
    const res = await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: one.id, duplicateId: one.id, reason: "oops" },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("duplicateId");
    expect(await counts("audit_event")).toEqual([before]);
  });

  it("refuses to merge a record twice, or into a merged record", async () => {
    const a = await makeConstituent(ds, city.intake.viewer);
    const b = await makeConstituent(ds, city.intake.viewer);
    const c = await makeConstituent(ds, city.intake.viewer);
    const first = await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: a.id, duplicateId: b.id, reason: "same person" },
    });
    expect(first.errors).toBeUndefined();
    const [before] = await counts("audit_event");

    const again = await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: c.id, duplicateId: b.id, reason: "same person" },
    });
    expect(errorCodes(again)).toEqual(["CONFLICT"]);
    expect((await reload(b.id)).mergedIntoId).toBe(a.id);

    const intoMerged = await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: b.id, duplicateId: c.id, reason: "same person" },
    });
    expect(errorCodes(intoMerged)).toEqual(["CONFLICT"]);
    expect((await reload(c.id)).mergedIntoId).toBeNull();
    expect(await counts("audit_event")).toEqual([before]);
  });

  it("refuses a new contact for a merged record, pointing at the survivor", async () => {
    const a = await makeConstituent(ds, city.intake.viewer);
    const b = await makeConstituent(ds, city.intake.viewer);
    await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: a.id, duplicateId: b.id, reason: "same" },
    });
    const res = await gql(
      ds,
      city.intake.viewer,
      `mutation($input: RecordContactInput!) { recordContact(input: $input) { referenceNumber } }`,
      { input: { constituentId: b.id, channel: "PHONE", categoryId: city.pothole.id, description: "again" } },
    );
    expect(errorCodes(res)).toEqual(["CONFLICT"]);
    expect(res.errors![0].extensions!.mergedIntoId).toBe(a.id);
  });

  it("answers NOT_FOUND for an unknown record", async () => {
    const a = await makeConstituent(ds, city.intake.viewer);
    const res = await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: a.id, duplicateId: "00000000-0000-4000-8000-000000000000", reason: "x" },
    });
    expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
  });
});

describe("the constituent screen", () => {
  it("returns contacts newest first, with assignments and responses", async () => {
    const person = await makeConstituent(ds, city.intake.viewer, { firstName: "Imani", lastName: "Okoro" });
    const someoneElse = await makeConstituent(ds, city.intake.viewer);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const oldest = await makeContact(ds, city.intake.viewer, {
      constituentId: person.id,
      categoryId: city.leak.id,
      receivedAt: hoursAgo(72),
      description: "Leak at the meter",
    });
    const newest = await makeContact(ds, city.intake.viewer, {
      constituentId: person.id,
      categoryId: city.pothole.id,
      receivedAt: hoursAgo(2),
      description: "Pothole on Elm",
    });
    const middle = await makeContact(ds, city.intake.viewer, {
      constituentId: person.id,
      categoryId: city.pothole.id,
      receivedAt: hoursAgo(24),
      description: "Another pothole",
    });
    await makeContact(ds, city.intake.viewer, { constituentId: someoneElse.id, categoryId: city.pothole.id });

    // Water answered the oldest contact and completed it.
    const done = await ds.getRepository(Assignment).findOneByOrFail({ contactId: oldest.id });
    const completedAt = hoursAgo(1);
    await ds
      .getRepository(Assignment)
      .update({ id: done.id }, { status: AssignmentStatus.COMPLETED, completedAt });
    const sentAt = hoursAgo(1.5);
    await ds.getRepository(Response).save(
      ds.getRepository(Response).create({
        assignmentId: done.id,
        kind: ResponseKind.RESPONSE,
        body: "We replaced the meter gasket. Thank you for reporting it.",
        channel: ResponseChannel.PHONE,
        sentAt,
        authorId: city.waterStaff.id,
        isFinal: true,
      }),
    );
    await ds.getRepository(Response).save(
      ds.getRepository(Response).create({
        assignmentId: done.id,
        kind: ResponseKind.NOTE,
        body: "Crew dispatched",
        authorId: city.waterStaff.id,
      }),
    );

    const res = await gql(ds, city.streetsStaff.viewer, SCREEN, { id: person.id });
    expect(res.errors).toBeUndefined();
    const screen = res.data!.constituent;
    expect(screen.lastName).toBe("Okoro");
    expect(screen.contacts.map((c: { referenceNumber: string }) => c.referenceNumber)).toEqual([
      newest.referenceNumber,
      middle.referenceNumber,
      oldest.referenceNumber,
    ]);

    const [first, , last] = screen.contacts;
    expect(first.status).toBe("OPEN");
    expect(first.category.name).toBe("Pothole");
    expect(first.assignments).toHaveLength(1);
    expect(first.assignments[0]).toMatchObject({
      status: "OPEN",
      completedAt: null,
      department: { id: city.streets.id, name: "Street Maintenance" },
      responses: [],
    });
    expect(new Date(first.assignments[0].dueAt).getTime()).toBeGreaterThan(
      new Date(first.receivedAt).getTime(),
    );

    expect(last.status).toBe("CLOSED");
    expect(last.assignments[0]).toMatchObject({
      status: "COMPLETED",
      completedAt: completedAt.toISOString(),
      department: { id: city.water.id, name: "Water Services" },
    });
    expect(last.assignments[0].responses).toEqual([
      {
        body: "We replaced the meter gasket. Thank you for reporting it.",
        channel: "PHONE",
        sentAt: sentAt.toISOString(),
        kind: "RESPONSE",
        isFinal: true,
      },
      { body: "Crew dispatched", channel: null, sentAt: null, kind: "NOTE", isFinal: false },
    ]);
  });

  it("shows the record merged away, pointing at the survivor, with no contacts", async () => {
    const a = await makeConstituent(ds, city.intake.viewer);
    const b = await makeConstituent(ds, city.intake.viewer);
    await makeContact(ds, city.intake.viewer, { constituentId: b.id, categoryId: city.pothole.id });
    await gql(ds, city.intake.viewer, MERGE, {
      input: { survivorId: a.id, duplicateId: b.id, reason: "same" },
    });
    const res = await gql(ds, city.intake.viewer, SCREEN, { id: b.id });
    expect(res.data!.constituent).toMatchObject({ mergedIntoId: a.id, contacts: [] });
  });

  it("returns null for an unknown record", async () => {
    const res = await gql(ds, city.intake.viewer, SCREEN, { id: "00000000-0000-4000-8000-000000000000" });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ constituent: null });
  });

  it("records who viewed the record", async () => {
    const person = await makeConstituent(ds, city.intake.viewer);
    await gql(ds, city.analyst.viewer, SCREEN, { id: person.id });
    await viewLog(ds).flush();
    const [event] = await auditOf(person.id, "constituent.viewed");
    expect(event.actorId).toBe(city.analyst.id);
  });
});
