import type { DataSource } from "typeorm";
import { Role, type Contact } from "../../entities";
import { reportersOf } from "../../src/server/intake/duplicate-contacts.service";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCategory, makeCity, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql, type GqlResult } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const POSSIBLE = `query($categoryId: ID!, $address: String, $lat: Float, $long: Float) {
  possibleDuplicateContacts(categoryId: $categoryId, locationAddress: $address, locationLat: $lat,
    locationLong: $long) { id referenceNumber description } }`;
const LINK = `mutation($input: LinkDuplicateContactInput!) {
  linkDuplicateContact(input: $input) { id status duplicateOf { id } assignments { status } } }`;
const TREE = `query($ref: String!) { contact(referenceNumber: $ref) { id status duplicateOf { id }
  duplicates { id } assignments { isLead status reporterCount } } }`;

interface Place {
  categoryId?: string;
  locationAddress?: string;
  locationLat?: number;
  locationLong?: number;
  confidential?: boolean;
  receivedAt?: Date;
  description?: string;
}

async function report(place: Place): Promise<Contact> {
  const constituentId = place.confidential ? undefined : (await makeConstituent(ds, city.intake.viewer)).id;
  return makeContact(ds, city.intake.viewer, {
    categoryId: city.pothole.id,
    constituentId,
    ...place,
  });
}

const ids = (r: GqlResult): string[] =>
  (r.data!.possibleDuplicateContacts as { id: string }[]).map((c) => c.id);

describe("possibleDuplicateContacts", () => {
  it("offers open contacts in the same category with a similar address, not other places or categories", async () => {
    const first = await report({ locationAddress: "1200 West Washington Street" });
    const elsewhere = await report({ locationAddress: "77 North Central Avenue" });
    const leak = await report({ categoryId: city.leak.id, locationAddress: "1200 West Washington Street" });
    const old = await report({
      locationAddress: "1200 West Washington Street",
      receivedAt: new Date(Date.now() - 90 * 86_400_000),
    });
    const res = await gql(ds, city.intake.viewer, POSSIBLE, {
      categoryId: city.pothole.id,
      address: "1200 W. Washington St.",
    });
    expect(res.errors).toBeUndefined();
    expect(ids(res)).toContain(first.id);
    for (const c of [elsewhere, leak, old]) expect(ids(res)).not.toContain(c.id);
  });

  it("offers contacts within about 150 m of the coordinates, not 400 m away", async () => {
    const near = await report({ locationLat: 33.4484, locationLong: -112.074 });
    const far = await report({ locationLat: 33.452, locationLong: -112.074 });
    // 0.0009 degrees of latitude is about 100 m.
    const res = await gql(ds, city.streetsStaff.viewer, POSSIBLE, {
      categoryId: city.pothole.id,
      lat: 33.4493,
      long: -112.074,
    });
    expect(res.errors).toBeUndefined();
    expect(ids(res)).toContain(near.id);
    expect(ids(res)).not.toContain(far.id);
  });

  it("leaves out closed contacts and confidential ones the viewer may not see", async () => {
    const closed = await report({ locationAddress: "500 South 3rd Avenue" });
    await ds.query(`UPDATE assignment SET status = 'COMPLETED', completed_at = now() WHERE contact_id = $1`, [
      closed.id,
    ]);
    const secret = await report({
      locationAddress: "500 South 3rd Avenue",
      confidential: true,
      description: "Secret: the neighbour at 500 South 3rd",
    });
    const otherClerk = (await makeStaff(ds, Role.INTAKE)).viewer;
    const res = await gql(ds, otherClerk, POSSIBLE, {
      categoryId: city.pothole.id,
      address: "500 South 3rd Avenue",
    });
    expect(res.errors).toBeUndefined();
    expect(ids(res)).toEqual([]);
    expect(JSON.stringify(res)).not.toContain("Secret");
    const reviewer = await gql(ds, city.reviewer.viewer, POSSIBLE, {
      categoryId: city.pothole.id,
      address: "500 South 3rd Avenue",
    });
    expect(ids(reviewer)).toEqual([secret.id]);
  });

  it("refuses ANALYST and ADMIN with FORBIDDEN and no data", async () => {
    for (const who of [city.analyst, city.admin]) {
      const res = await gql(ds, who.viewer, POSSIBLE, { categoryId: city.pothole.id, address: "x" });
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data).toBeNull();
    }
  });
});

describe("linkDuplicateContact", () => {
  it("links a later report to the first: cancels its lead, follows the root's status, counts reporters", async () => {
    const first = await report({ locationAddress: "10 Main Street" });
    const second = await report({ locationAddress: "10 Main St" });
    const res = await gql(ds, city.intake.viewer, LINK, {
      input: { contactId: second.id, duplicateOfId: first.id },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.linkDuplicateContact).toMatchObject({
      id: second.id,
      status: "OPEN",
      duplicateOf: { id: first.id },
      assignments: [{ status: "CANCELLED" }],
    });

    const root = await gql(ds, city.streetsStaff.viewer, TREE, { ref: first.referenceNumber });
    expect(root.data!.contact.duplicates).toEqual([{ id: second.id }]);
    expect(root.data!.contact.assignments).toEqual([{ isLead: true, status: "OPEN", reporterCount: 2 }]);

    // The department's queue holds the pair as one item that counts both reporters.
    const queue = await gql(
      ds,
      city.streetsStaff.viewer,
      `{ assignments(first: 200) { edges { node { reporterCount contact { id } } } } }`,
    );
    const rows = (
      queue.data!.assignments.edges as { node: { reporterCount: number; contact: { id: string } } }[]
    )
      .map((e) => e.node)
      .filter((n) => [first.id, second.id].includes(n.contact.id));
    expect(rows).toEqual([{ reporterCount: 2, contact: { id: first.id } }]);

    const [event] = await ds.query(
      `SELECT action, before, after FROM audit_event WHERE entity_id = $1
      AND action = 'contact.linked_duplicate'`,
      [second.id],
    );
    expect(event.after).toMatchObject({ duplicateOfId: first.id });
    expect(event.after.cancelledAssignmentIds).toHaveLength(1);

    // When the root closes, the duplicate shows closed too.
    await ds.query(`UPDATE assignment SET status = 'COMPLETED', completed_at = now() WHERE contact_id = $1`, [
      first.id,
    ]);
    const dup = await gql(ds, city.reviewer.viewer, TREE, { ref: second.referenceNumber });
    expect(dup.data!.contact.status).toBe("CLOSED");
  });

  it("links to the root when the target is itself a duplicate, and names every reporter", async () => {
    const first = await report({ locationAddress: "20 Main Street" });
    const second = await report({ locationAddress: "20 Main Street" });
    const third = await report({ locationAddress: "20 Main Street", confidential: true });
    await gql(ds, city.reviewer.viewer, LINK, { input: { contactId: second.id, duplicateOfId: first.id } });
    const res = await gql(ds, city.reviewer.viewer, LINK, {
      input: { contactId: third.id, duplicateOfId: second.id },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.linkDuplicateContact.duplicateOf).toEqual({ id: first.id });

    const reporters = await reportersOf(ds, third.id);
    expect(reporters.map((r) => r.contactId)).toEqual([first.id, second.id, third.id]);
    expect(reporters[0]).toEqual({
      contactId: first.id,
      constituentId: first.constituentId,
      referenceNumber: first.referenceNumber,
      language: "en",
    });
    expect(reporters[2].constituentId).toBeNull();
    const root = await gql(ds, city.reviewer.viewer, TREE, { ref: first.referenceNumber });
    expect(root.data!.contact.assignments[0].reporterCount).toBe(3);
  });

  it("refuses a self-link, a cycle and another category, naming the field, and changes nothing", async () => {
    const first = await report({ locationAddress: "30 Main Street" });
    const second = await report({ locationAddress: "30 Main Street" });
    const graffiti = await makeCategory(ds, { departmentId: city.streets.id });
    const other = await report({ categoryId: graffiti.id, locationAddress: "30 Main Street" });

    const self = await gql(ds, city.reviewer.viewer, LINK, {
      input: { contactId: first.id, duplicateOfId: first.id },
    });
    expect(errorCodes(self)).toEqual(["BAD_USER_INPUT"]);
    expect(self.errors![0].extensions!.field).toBe("duplicateOfId");

    await gql(ds, city.reviewer.viewer, LINK, { input: { contactId: second.id, duplicateOfId: first.id } });
    const cycle = await gql(ds, city.reviewer.viewer, LINK, {
      input: { contactId: first.id, duplicateOfId: second.id },
    });
    expect(errorCodes(cycle)).toEqual(["BAD_USER_INPUT"]);
    expect(cycle.errors![0].extensions!.field).toBe("duplicateOfId");

    const category = await gql(ds, city.reviewer.viewer, LINK, {
      input: { contactId: other.id, duplicateOfId: first.id },
    });
    expect(errorCodes(category)).toEqual(["BAD_USER_INPUT"]);
    expect(category.errors![0].message).toMatch(/different category/);

    const rows = await ds.query(
      `SELECT c.id, c.duplicate_of_id, a.status FROM contact c JOIN assignment a ON a.contact_id = c.id
        WHERE c.id = ANY($1::uuid[])`,
      [[first.id, other.id]],
    );
    expect(rows.every((r: { duplicate_of_id: string | null }) => r.duplicate_of_id === null)).toBe(true);
    expect(rows.every((r: { status: string }) => r.status === "OPEN")).toBe(true);
  });

  it("refuses ANALYST with FORBIDDEN, and another department with NOT_FOUND and no data", async () => {
    const first = await report({ locationAddress: "40 Main Street" });
    const second = await report({ locationAddress: "40 Main Street", confidential: true });
    const analyst = await gql(ds, city.analyst.viewer, LINK, {
      input: { contactId: second.id, duplicateOfId: first.id },
    });
    expect(errorCodes(analyst)).toEqual(["FORBIDDEN"]);
    expect(analyst.data ?? null).toBeNull();
    const water = await gql(ds, city.waterStaff.viewer, LINK, {
      input: { contactId: second.id, duplicateOfId: first.id },
    });
    expect(errorCodes(water)).toEqual(["NOT_FOUND"]);
    expect(water.data).toBeNull();
    const [row] = await ds.query(`SELECT duplicate_of_id FROM contact WHERE id = $1`, [second.id]);
    expect(row.duplicate_of_id).toBeNull();
    const streets = await gql(ds, city.streetsStaff.viewer, LINK, {
      input: { contactId: second.id, duplicateOfId: first.id },
    });
    expect(streets.errors).toBeUndefined();
  });

  it("hides a confidential duplicate from a clerk who may not see it", async () => {
    const first = await report({ locationAddress: "50 Main Street" });
    const secret = await report({ locationAddress: "50 Main Street", confidential: true });
    await gql(ds, city.reviewer.viewer, LINK, { input: { contactId: secret.id, duplicateOfId: first.id } });
    const otherClerk = (await makeStaff(ds, Role.INTAKE)).viewer;
    const res = await gql(ds, otherClerk, TREE, { ref: first.referenceNumber });
    expect(res.errors).toBeUndefined();
    expect(res.data!.contact.duplicates).toEqual([]);
    expect(res.data!.contact.assignments[0].reporterCount).toBe(2);
  });

  it("sends the lead's final answer to every linked reporter who left an email, under their own reference", async () => {
    const first = await report({ locationAddress: "90 Main Street" });
    const second = await report({ locationAddress: "90 Main St" });
    await gql(ds, city.intake.viewer, LINK, { input: { contactId: second.id, duplicateOfId: first.id } });
    const [lead] = await ds.query(`SELECT id, version FROM assignment WHERE contact_id = $1 AND is_lead`, [
      first.id,
    ]);
    const res = await gql(
      ds,
      city.streetsStaff.viewer,
      `mutation($input: RespondToAssignmentInput!) { respondToAssignment(input: $input) { id } }`,
      {
        input: {
          assignmentId: lead.id,
          version: lead.version,
          kind: "RESPONSE",
          body: "The pothole was filled this morning.",
          channel: "EMAIL",
          isFinal: true,
        },
      },
    );
    expect(res.errors).toBeUndefined();
    const people = await ds.query(
      `SELECT c.reference_number AS ref, k.email FROM contact c JOIN constituent k ON k.id = c.constituent_id
        WHERE c.id = ANY($1::uuid[])`,
      [[first.id, second.id]],
    );
    const mail: { to_address: string; subject: string; body: string }[] = await ds.query(
      `SELECT to_address, subject, body FROM mail_outbox WHERE response_id = $1 ORDER BY subject`,
      [res.data!.respondToAssignment.id],
    );
    expect(mail.map((m) => [m.to_address, m.subject]).sort()).toEqual(
      people.map((p: { ref: string; email: string }) => [p.email, `Your request ${p.ref}`]).sort(),
    );
    expect(mail.every((m) => m.body === "The pothole was filled this morning.")).toBe(true);
  });
});
