import type { DataSource } from "typeorm";
import { Role } from "../../entities";
import { route } from "../../src/server/routing/routing.service";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity, makeDepartment, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const TRANSFER = `mutation($input: TransferAssignmentInput!) {
  transferAssignment(input: $input) { id status isLead dueAt reason version department { id }
    transferredFrom { id status department { id } } } }`;
const SUPPORT = `mutation($input: AddSupportingAssignmentInput!) {
  addSupportingAssignment(input: $input) { id status isLead dueAt reason department { id } } }`;
const CONTACT = `query($ref: String!) { contact(referenceNumber: $ref) { status category { id }
  assignments { id status isLead department { id } reason transferredFrom { id } } } }`;

const TIMELINE = `query($ref: String!) { contact(referenceNumber: $ref) { timeline { action summary } } }`;

/** A pothole contact routed to Streets; returns it with its lead assignment. */
async function potholeContact(overrides: { confidential?: boolean } = {}) {
  const constituentId = overrides.confidential
    ? undefined
    : (await makeConstituent(ds, city.intake.viewer)).id;
  const contact = await makeContact(ds, city.intake.viewer, {
    categoryId: city.pothole.id,
    constituentId,
    confidential: overrides.confidential,
    description: overrides.confidential ? "Secret: noise from the neighbour at 12 Elm" : "Pothole",
  });
  return { contact, lead: contact.assignments![0] };
}

async function auditOf(entityId: string) {
  return ds.query(`SELECT action, actor_id, before, after, reason FROM audit_event WHERE entity_id = $1`, [
    entityId,
  ]);
}

describe("transferAssignment", () => {
  it("transfers a misrouted lead to another department, audited with before and after", async () => {
    const { contact, lead } = await potholeContact();
    const res = await gql(ds, city.streetsStaff.viewer, TRANSFER, {
      input: {
        id: lead.id,
        version: lead.version,
        departmentId: city.water.id,
        reason: "It is a main break",
      },
    });
    expect(res.errors).toBeUndefined();
    const next = res.data!.transferAssignment;
    expect(next).toMatchObject({
      status: "OPEN",
      isLead: true,
      reason: "It is a main break",
      department: { id: city.water.id },
      transferredFrom: { id: lead.id, status: "TRANSFERRED", department: { id: city.streets.id } },
    });
    expect(next.id).not.toBe(lead.id);

    const seen = await gql(ds, city.reviewer.viewer, CONTACT, { ref: contact.referenceNumber });
    const statuses = seen.data!.contact.assignments.map((a: { status: string }) => a.status).sort();
    expect(statuses).toEqual(["OPEN", "TRANSFERRED"]);
    expect(seen.data!.contact.status).toBe("OPEN");

    const [event] = await auditOf(lead.id);
    expect(event).toMatchObject({
      action: "assignment.transferred",
      actor_id: city.streetsStaff.id,
      reason: "It is a main break",
      before: { departmentId: city.streets.id, status: "OPEN", version: lead.version },
      after: { departmentId: city.water.id, status: "TRANSFERRED", newAssignmentId: next.id },
    });
  });

  it("refuses a stale version with CONFLICT and the current status and version", async () => {
    const { lead } = await potholeContact();
    const first = await gql(ds, city.reviewer.viewer, TRANSFER, {
      input: { id: lead.id, version: lead.version, departmentId: city.water.id, reason: "Water" },
    });
    expect(first.errors).toBeUndefined();
    const again = await gql(ds, city.reviewer.viewer, TRANSFER, {
      input: { id: lead.id, version: lead.version, departmentId: city.water.id, reason: "Again" },
    });
    expect(errorCodes(again)).toEqual(["CONFLICT"]);
    expect(again.errors![0].extensions).toMatchObject({ status: "TRANSFERRED", version: lead.version + 1 });
    expect(again.data).toBeNull();
    const n = await ds.query(`SELECT count(*)::int AS n FROM assignment WHERE contact_id = $1`, [
      lead.contactId,
    ]);
    expect(n[0].n).toBe(2);
  });

  it("lets exactly one of several concurrent transfers of the same version win", async () => {
    const { lead } = await potholeContact();
    const other = await makeDepartment(ds);
    const results = await Promise.all(
      [city.water.id, other.id, city.water.id, other.id].map((departmentId) =>
        gql(ds, city.reviewer.viewer, TRANSFER, {
          input: { id: lead.id, version: lead.version, departmentId, reason: "Race" },
        }),
      ),
    );
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.flatMap(errorCodes).sort()).toEqual(["CONFLICT", "CONFLICT", "CONFLICT"]);
    const rows = await ds.query(`SELECT status FROM assignment WHERE contact_id = $1 ORDER BY status`, [
      lead.contactId,
    ]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(["OPEN", "TRANSFERRED"]);
  });

  it("refuses to transfer a completed assignment", async () => {
    const { lead } = await potholeContact();
    await ds.query(
      `UPDATE assignment SET status = 'COMPLETED', completed_at = now(), version = version + 1 WHERE id = $1`,
      [lead.id],
    );
    const res = await gql(ds, city.reviewer.viewer, TRANSFER, {
      input: { id: lead.id, version: lead.version + 1, departmentId: city.water.id, reason: "Too late" },
    });
    expect(errorCodes(res)).toEqual(["CONFLICT"]);
    expect(res.errors![0].message).toMatch(/COMPLETED assignment cannot be transferred/);
    const [row] = await ds.query(`SELECT status FROM assignment WHERE id = $1`, [lead.id]);
    expect(row.status).toBe("COMPLETED");
    expect(await auditOf(lead.id)).toEqual([]);
  });

  it("refuses a department transferring another department's assignment, with no data", async () => {
    const { contact, lead } = await potholeContact({ confidential: true });
    const res = await gql(ds, city.waterStaff.viewer, TRANSFER, {
      input: { id: lead.id, version: lead.version, departmentId: city.water.id, reason: "Mine now" },
    });
    expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
    expect(res.data).toBeNull();
    expect(JSON.stringify(res)).not.toContain("Elm");
    expect(JSON.stringify(res)).not.toContain(contact.referenceNumber);
    const [row] = await ds.query(`SELECT status, department_id FROM assignment WHERE id = $1`, [lead.id]);
    expect(row).toEqual({ status: "OPEN", department_id: city.streets.id });
  });

  it("refuses INTAKE and ANALYST with FORBIDDEN and changes nothing", async () => {
    const { lead } = await potholeContact();
    for (const who of [city.intake, city.analyst, city.admin]) {
      const res = await gql(ds, who.viewer, TRANSFER, {
        input: { id: lead.id, version: lead.version, departmentId: city.water.id, reason: "No" },
      });
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
    }
    const [row] = await ds.query(`SELECT status, version FROM assignment WHERE id = $1`, [lead.id]);
    expect(row).toEqual({ status: "OPEN", version: lead.version });
  });

  it("corrects the category, which changes the due date, audited before and after", async () => {
    const plain = await potholeContact();
    const corrected = await potholeContact();
    const kept = await gql(ds, city.streetsStaff.viewer, TRANSFER, {
      input: { id: plain.lead.id, version: 1, departmentId: city.water.id, reason: "Water" },
    });
    const res = await gql(ds, city.streetsStaff.viewer, TRANSFER, {
      input: {
        id: corrected.lead.id,
        version: 1,
        departmentId: city.water.id,
        reason: "A leak, not a pothole",
        categoryId: city.leak.id,
      },
    });
    expect(res.errors).toBeUndefined();
    const keptDue = new Date(kept.data!.transferAssignment.dueAt).getTime();
    const newDue = new Date(res.data!.transferAssignment.dueAt).getTime();
    // Leaks have a 2-day SLA, potholes 5: both counted from the transfer.
    expect(newDue).toBeLessThan(keptDue);
    expect(newDue).toBe(route(city.leak, new Date()).dueAt.getTime());
    expect(keptDue).toBe(route(city.pothole, new Date()).dueAt.getTime());

    const seen = await gql(ds, city.reviewer.viewer, CONTACT, { ref: corrected.contact.referenceNumber });
    expect(seen.data!.contact.category.id).toBe(city.leak.id);
    const events = await auditOf(corrected.contact.id);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: "contact.category_corrected",
        before: expect.objectContaining({ categoryId: city.pothole.id }),
        after: expect.objectContaining({ categoryId: city.leak.id }),
      }),
    );
  });

  it("refuses transferring to the lead department itself, naming the field", async () => {
    const { lead } = await potholeContact();
    const res = await gql(ds, city.reviewer.viewer, TRANSFER, {
      input: { id: lead.id, version: 1, departmentId: city.streets.id, reason: "Same" },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("departmentId");
  });
});

describe("addSupportingAssignment", () => {
  it("asks another department to help: not the lead, open, due per the SLA, audited", async () => {
    const { contact, lead } = await potholeContact();
    const res = await gql(ds, city.streetsStaff.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: city.water.id, reason: "Check the valve" },
    });
    expect(res.errors).toBeUndefined();
    const support = res.data!.addSupportingAssignment;
    expect(support).toMatchObject({
      status: "OPEN",
      isLead: false,
      reason: "Check the valve",
      department: { id: city.water.id },
    });
    expect(new Date(support.dueAt).getTime()).toBe(route(city.pothole, new Date()).dueAt.getTime());
    const [event] = await auditOf(support.id);
    expect(event).toMatchObject({
      action: "assignment.support_requested",
      after: { contactId: contact.id, departmentId: city.water.id, leadAssignmentId: lead.id },
    });
    const timeline = await gql(ds, city.reviewer.viewer, TIMELINE, { ref: contact.referenceNumber });
    expect(timeline.data!.contact.timeline.map((e: { summary: string }) => e.summary)).toContain(
      "Another department asked to help",
    );
  });

  it("refuses the lead department, and a second active supporting assignment for one department", async () => {
    const { contact } = await potholeContact();
    const lead = await gql(ds, city.reviewer.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: city.streets.id, reason: "Self" },
    });
    expect(errorCodes(lead)).toEqual(["BAD_USER_INPUT"]);
    expect(lead.errors![0].message).toMatch(/lead department/);
    const first = await gql(ds, city.reviewer.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: city.water.id, reason: "Help" },
    });
    expect(first.errors).toBeUndefined();
    const second = await gql(ds, city.reviewer.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: city.water.id, reason: "Help again" },
    });
    expect(errorCodes(second)).toEqual(["BAD_USER_INPUT"]);
    expect(second.errors![0].extensions!.field).toBe("departmentId");
    const n = await ds.query(`SELECT count(*)::int AS n FROM assignment WHERE contact_id = $1`, [contact.id]);
    expect(n[0].n).toBe(2);
  });

  it("refuses a department that does not lead the contact, with no data", async () => {
    const { contact } = await potholeContact({ confidential: true });
    const third = await makeDepartment(ds);
    const res = await gql(ds, city.waterStaff.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: third.id, reason: "Me too" },
    });
    expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
    expect(res.data).toBeNull();
    expect(JSON.stringify(res)).not.toContain("Elm");
    const intake = await gql(ds, city.intake.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: third.id, reason: "Me too" },
    });
    expect(errorCodes(intake)).toEqual(["FORBIDDEN"]);
  });

  it("folds a supporting assignment into the lead when its department takes over by transfer", async () => {
    const { contact, lead } = await potholeContact();
    await gql(ds, city.reviewer.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: city.water.id, reason: "Help" },
    });
    const res = await gql(ds, city.reviewer.viewer, TRANSFER, {
      input: { id: lead.id, version: 1, departmentId: city.water.id, reason: "Water leads" },
    });
    expect(res.errors).toBeUndefined();
    const rows = await ds.query(
      `SELECT is_lead, status FROM assignment WHERE contact_id = $1 AND department_id = $2 ORDER BY is_lead`,
      [contact.id, city.water.id],
    );
    expect(rows).toEqual([
      { is_lead: false, status: "CANCELLED" },
      { is_lead: true, status: "OPEN" },
    ]);
  });

  it("lets any member of the lead department ask for support", async () => {
    const { contact } = await potholeContact();
    const colleague = await makeStaff(ds, Role.DEPARTMENT, { departmentId: city.streets.id });
    const res = await gql(ds, colleague.viewer, SUPPORT, {
      input: { contactId: contact.id, departmentId: city.water.id, reason: "Valve" },
    });
    expect(res.errors).toBeUndefined();
  });
});
