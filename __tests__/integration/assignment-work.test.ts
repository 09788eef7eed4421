import type { DataSource } from "typeorm";
import { Assignment, AssignmentStatus, Language, Role } from "../../entities";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { countStatements, errorCodes, gql, type GqlResult } from "../support/graphql";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { makeAnswer, makeAssignment, type AssignmentOverrides } from "../factories/assignment.factory";

interface Queue {
  assignments: {
    totalCount: number;
    counts: Record<string, number>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; overdue: boolean } }[];
  };
}

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const CLAIM = `mutation($input: ClaimAssignmentInput!) { claimAssignment(input: $input) {
  id status version assignee { id } } }`;
const COMPLETE = `mutation($input: CompleteAssignmentInput!) { completeAssignment(input: $input) {
  id status version completedAt } }`;
const RESPOND = `mutation($input: RespondToAssignmentInput!) { respondToAssignment(input: $input) {
  id body channel sentAt isFinal kind acknowledgedResponseId } }`;
const REOPEN = `mutation($input: ReopenContactInput!) { reopenContact(input: $input) {
  id status assignments { status completedAt version } } }`;
const ONE = `query($id: ID!) { assignment(id: $id) { id status version overdue standardResponse
  contact { id referenceNumber description } } }`;

async function version(id: string): Promise<number> {
  return (await ds.getRepository(Assignment).findOneByOrFail({ id })).version;
}

const pothole = (extra: Omit<Parameters<typeof makeAssignment>[2], "categoryId"> = {}) =>
  makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id, ...extra });

describe("the state machine", () => {
  it("claims an open assignment for oneself, then completes it once the constituent has an answer", async () => {
    const { assignment } = await pothole();
    await makeAnswer(ds, assignment.id);
    const claimed = await gql(ds, city.streetsStaff.viewer, CLAIM, {
      input: { id: assignment.id, version: assignment.version },
    });
    expect(claimed.errors).toBeUndefined();
    expect(claimed.data!.claimAssignment).toMatchObject({
      status: "IN_PROGRESS",
      version: assignment.version + 1,
      assignee: { id: city.streetsStaff.id },
    });
    const done = await gql(ds, city.streetsStaff.viewer, COMPLETE, {
      input: { id: assignment.id, version: assignment.version + 1 },
    });
    expect(done.data!.completeAssignment.status).toBe("COMPLETED");
    expect(done.data!.completeAssignment.completedAt).not.toBeNull();
    const events = await ds.query(
      `SELECT action, actor_id AS "actorId" FROM audit_event WHERE entity_id = $1 ORDER BY id`,
      [assignment.id],
    );
    expect(events).toEqual([
      { action: "assignment.claimed", actorId: city.streetsStaff.id },
      { action: "assignment.completed", actorId: city.streetsStaff.id },
    ]);
  });

  it("gives an assignment to a colleague in the department, but not to someone elsewhere", async () => {
    const { assignment } = await pothole();
    const colleague = await makeStaff(ds, Role.DEPARTMENT, { departmentId: city.streets.id });
    const outsider = await makeStaff(ds, Role.DEPARTMENT, { departmentId: city.water.id });
    const refused = await gql(ds, city.streetsStaff.viewer, CLAIM, {
      input: { id: assignment.id, version: assignment.version, assigneeId: outsider.id },
    });
    expect(errorCodes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0].extensions!.field).toBe("assigneeId");
    const given = await gql(ds, city.reviewer.viewer, CLAIM, {
      input: { id: assignment.id, version: assignment.version, assigneeId: colleague.id },
    });
    expect(given.data!.claimAssignment.assignee.id).toBe(colleague.id);
    const notices: { to_address: string; subject: string }[] = await ds.query(
      `SELECT to_address, subject FROM mail_outbox WHERE kind = 'ASSIGNMENT_NOTICE' AND to_address = $1`,
      [colleague.email],
    );
    expect(notices).toEqual([
      { to_address: colleague.email, subject: expect.stringMatching(/^New assignment /) },
    ]);
  });

  it("refuses to complete the lead while the constituent has no answer, an internal note being none", async () => {
    const { assignment, contact } = await pothole();
    await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 1, kind: "NOTE", body: "Crew scheduled" },
    });
    const res = await gql(ds, city.streetsStaff.viewer, COMPLETE, {
      input: { id: assignment.id, version: 2 },
    });
    expect(errorCodes(res)).toEqual(["CONFLICT"]);
    expect(res.errors![0].extensions).toMatchObject({ reason: "NO_ANSWER", status: "OPEN", version: 2 });
    expect(res.errors![0].message).toMatch(/no answer yet/);
    expect(await version(assignment.id)).toBe(2);
    const status = await gql(
      ds,
      city.intake.viewer,
      `query($ref: String!) { contact(referenceNumber: $ref) { status } }`,
      {
        ref: contact.referenceNumber,
      },
    );
    expect(status.data!.contact.status).not.toBe("CLOSED");
  });

  it("refuses to complete or answer a completed or cancelled assignment, naming its state", async () => {
    const { assignment: cancelled } = await pothole({ assignment: { status: AssignmentStatus.CANCELLED } });
    const v = await version(cancelled.id);
    const res = await gql(ds, city.streetsStaff.viewer, COMPLETE, {
      input: { id: cancelled.id, version: v },
    });
    expect(errorCodes(res)).toEqual(["CONFLICT"]);
    expect(res.errors![0].extensions).toMatchObject({ status: "CANCELLED", version: v });
    expect(res.errors![0].message).toMatch(/CANCELLED assignment cannot be completed/);

    const { assignment } = await pothole();
    await makeAnswer(ds, assignment.id);
    await gql(ds, city.streetsStaff.viewer, COMPLETE, { input: { id: assignment.id, version: 1 } });
    const again = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 2, kind: "RESPONSE", channel: "PHONE", body: "Fixed" },
    });
    expect(errorCodes(again)).toEqual(["CONFLICT"]);
    expect(again.errors![0].extensions).toMatchObject({ status: "COMPLETED", version: 2 });
    expect(await ds.query(`SELECT body FROM response WHERE assignment_id = $1`, [assignment.id])).toEqual([
      { body: "We fixed it." },
    ]);
  });

  it("completes the assignment with a final response, which is sent", async () => {
    const { assignment, contact } = await pothole();
    const res = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: {
        assignmentId: assignment.id,
        version: 1,
        kind: "RESPONSE",
        channel: "LETTER",
        body: "The pothole was filled on Monday.",
        isFinal: true,
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.respondToAssignment).toMatchObject({
      channel: "LETTER",
      isFinal: true,
      kind: "RESPONSE",
    });
    expect(res.data!.respondToAssignment.sentAt).not.toBeNull();
    const after = await ds.getRepository(Assignment).findOneByOrFail({ id: assignment.id });
    expect(after.status).toBe(AssignmentStatus.COMPLETED);
    expect(after.completedAt).not.toBeNull();
    const q = `query($ref: String!) { contact(referenceNumber: $ref) { status } }`;
    const c = await gql(ds, city.streetsStaff.viewer, q, { ref: contact.referenceNumber });
    expect(c.data!.contact.status).toBe("CLOSED");
  });

  it("keeps an internal note from the constituent: no channel, no sent time, status unchanged", async () => {
    const { assignment } = await pothole();
    const res = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 1, kind: "NOTE", body: "Crew scheduled for Tuesday" },
    });
    expect(res.data!.respondToAssignment).toMatchObject({ kind: "NOTE", channel: null, sentAt: null });
    expect((await ds.getRepository(Assignment).findOneByOrFail({ id: assignment.id })).status).toBe("OPEN");
    const withChannel = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 2, kind: "NOTE", channel: "EMAIL", body: "x" },
    });
    expect(errorCodes(withChannel)).toEqual(["BAD_USER_INPUT"]);
    const mailed = await ds.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE response_id = $1`, [
      res.data!.respondToAssignment.id,
    ]);
    expect(mailed).toEqual([{ n: 0 }]);
  });

  it("queues an EMAIL response to the constituent's address in the outbox, in the same transaction", async () => {
    const { assignment, contact } = await pothole();
    const res = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 1, kind: "RESPONSE", channel: "EMAIL", body: "Done." },
    });
    expect(res.errors).toBeUndefined();
    const [{ email }] = await ds.query(`SELECT email FROM constituent WHERE id = $1`, [
      contact.constituentId,
    ]);
    const mails = await ds.query(
      `SELECT to_address AS "to", body, response_id AS "responseId" FROM mail_outbox
      WHERE response_id = $1`,
      [res.data!.respondToAssignment.id],
    );
    expect(mails).toEqual([{ to: email, body: "Done.", responseId: res.data!.respondToAssignment.id }]);
  });

  it("lets only the lead answer: a supporting assignment may post notes but not responses", async () => {
    const { contact } = await pothole();
    const [support] = await ds.query(
      `INSERT INTO assignment (contact_id, department_id, is_lead, status, due_at)
       VALUES ($1, $2, false, 'OPEN', now() + interval '3 days') RETURNING id`,
      [contact.id, city.water.id],
    );
    const refused = await gql(ds, city.waterStaff.viewer, RESPOND, {
      input: {
        assignmentId: support.id,
        version: 1,
        kind: "RESPONSE",
        channel: "PHONE",
        body: "We fixed it",
      },
    });
    expect(errorCodes(refused)).toEqual(["FORBIDDEN"]);
    expect(refused.data).toBeNull();
    const note = await gql(ds, city.waterStaff.viewer, RESPOND, {
      input: { assignmentId: support.id, version: 1, kind: "NOTE", body: "Valve checked" },
    });
    expect(note.errors).toBeUndefined();
  });

  it("refuses a second final answer until the earlier one is acknowledged, then records the acknowledgement", async () => {
    const { assignment, contact } = await pothole();
    const first = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: {
        assignmentId: assignment.id,
        version: 1,
        kind: "RESPONSE",
        channel: "PHONE",
        body: "Filled.",
        isFinal: true,
      },
    });
    const firstId = first.data!.respondToAssignment.id;
    const reopened = await gql(ds, city.streetsStaff.viewer, REOPEN, {
      input: { contactId: contact.id, reason: "The constituent called: it is back" },
    });
    expect(reopened.errors).toBeUndefined();
    expect(reopened.data!.reopenContact.status).toBe("IN_PROGRESS");
    expect(reopened.data!.reopenContact.assignments[0]).toMatchObject({
      status: "IN_PROGRESS",
      completedAt: null,
    });
    const v = await version(assignment.id);
    const second = {
      assignmentId: assignment.id,
      version: v,
      kind: "RESPONSE",
      channel: "PHONE",
      body: "Refilled.",
      isFinal: true,
    };
    const refused = await gql(ds, city.streetsStaff.viewer, RESPOND, { input: second });
    expect(errorCodes(refused)).toEqual(["CONFLICT"]);
    expect(refused.errors![0].extensions).toMatchObject({
      earlierResponseId: firstId,
      earlierResponseBody: "Filled.",
    });
    expect(await version(assignment.id)).toBe(v);
    const wrong = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { ...second, acknowledgedResponseId: assignment.id },
    });
    expect(errorCodes(wrong)).toEqual(["CONFLICT"]);
    const ok = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { ...second, acknowledgedResponseId: firstId },
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.respondToAssignment.acknowledgedResponseId).toBe(firstId);
    const finals = await ds.query(
      `SELECT count(*)::int AS n FROM response WHERE assignment_id = $1 AND is_final`,
      [assignment.id],
    );
    expect(finals).toEqual([{ n: 2 }]);
  });

  it("refuses to reopen without a reason, or an open contact", async () => {
    const { contact } = await pothole();
    const noReason = await gql(ds, city.streetsStaff.viewer, REOPEN, {
      input: { contactId: contact.id, reason: " " },
    });
    expect(errorCodes(noReason)).toEqual(["BAD_USER_INPUT"]);
    const open = await gql(ds, city.streetsStaff.viewer, REOPEN, {
      input: { contactId: contact.id, reason: "why" },
    });
    expect(errorCodes(open)).toEqual(["CONFLICT"]);
  });
});

describe("optimistic locking", () => {
  it("refuses a stale version with the current state, and changes nothing", async () => {
    const { assignment } = await pothole();
    await gql(ds, city.streetsStaff.viewer, CLAIM, { input: { id: assignment.id, version: 1 } });
    const events = await rowCount(ds, "audit_event");
    const stale = await gql(ds, city.streetsStaff.viewer, COMPLETE, {
      input: { id: assignment.id, version: 1 },
    });
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    expect(stale.errors![0].extensions).toMatchObject({ status: "IN_PROGRESS", version: 2 });
    expect(stale.data).toBeNull();
    expect(await rowCount(ds, "audit_event")).toBe(events);
    expect((await ds.getRepository(Assignment).findOneByOrFail({ id: assignment.id })).status).toBe(
      "IN_PROGRESS",
    );
  });
});

describe("role rules", () => {
  it("hides another department's assignment from a department user: NOT_FOUND, no data, no change", async () => {
    const { assignment } = await pothole();
    const read = await gql(ds, city.waterStaff.viewer, ONE, { id: assignment.id });
    expect(errorCodes(read)).toEqual(["NOT_FOUND"]);
    expect(read.data!.assignment).toBeNull();
    for (const [q, input] of [
      [CLAIM, { id: assignment.id, version: 1 }],
      [COMPLETE, { id: assignment.id, version: 1 }],
      [RESPOND, { assignmentId: assignment.id, version: 1, kind: "NOTE", body: "x" }],
    ] as const) {
      const res = await gql(ds, city.waterStaff.viewer, q, { input });
      expect(errorCodes(res)).toEqual(["NOT_FOUND"]);
      expect(res.data).toBeNull();
    }
    expect(await version(assignment.id)).toBe(1);
    const queue = await gql(
      ds,
      city.waterStaff.viewer,
      `{ assignments(filter: { departmentId: "${city.streets.id}" }) {
      totalCount edges { node { id } } } }`,
    );
    expect(queue.data!.assignments.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(
      assignment.id,
    );
  });

  it("lets the reviewer read and act on any department's assignment", async () => {
    const { assignment } = await pothole();
    const read = await gql(ds, city.reviewer.viewer, ONE, { id: assignment.id });
    expect(read.data!.assignment.id).toBe(assignment.id);
    await makeAnswer(ds, assignment.id);
    const done = await gql(ds, city.reviewer.viewer, COMPLETE, { input: { id: assignment.id, version: 1 } });
    expect(done.data!.completeAssignment.status).toBe("COMPLETED");
  });

  it("lets the analyst read the queue but change nothing", async () => {
    const { assignment } = await pothole();
    const read = await gql(ds, city.analyst.viewer, ONE, { id: assignment.id });
    expect(read.data!.assignment.id).toBe(assignment.id);
    const res = await gql(ds, city.analyst.viewer, COMPLETE, { input: { id: assignment.id, version: 1 } });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.data ?? null).toBeNull(); // refused before execution: no data at all
    expect(await version(assignment.id)).toBe(1);
  });

  it.each(["intake", "admin"] as const)(
    "refuses the queue and every mutation to %s: FORBIDDEN, no data",
    async (who) => {
      const { assignment } = await pothole();
      const viewer = city[who].viewer;
      const queue = await gql(ds, viewer, `{ assignments { totalCount edges { node { id } } } }`);
      expect(errorCodes(queue)).toEqual(["FORBIDDEN"]);
      expect(queue.data).toBeNull();
      const one = await gql(ds, viewer, ONE, { id: assignment.id });
      expect(errorCodes(one)).toEqual(["FORBIDDEN"]);
      expect(one.data?.assignment ?? null).toBeNull();
      const claim = await gql(ds, viewer, CLAIM, { input: { id: assignment.id, version: 1 } });
      expect(errorCodes(claim)).toEqual(["FORBIDDEN"]);
      expect(await version(assignment.id)).toBe(1);
    },
  );

  it("refuses an anonymous caller", async () => {
    const res = await gql(ds, null, `{ assignments { totalCount } }`);
    expect(errorCodes(res)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("standard response and confidentiality", () => {
  it("starts from the category's standard response in the contact's language, reference filled in", async () => {
    const { assignment, contact } = await pothole({ contact: { language: Language.ES } });
    const res = await gql(ds, city.streetsStaff.viewer, ONE, { id: assignment.id });
    expect(res.data!.assignment.standardResponse).toBe(`Gracias por su reporte ${contact.referenceNumber}.`);
  });

  it("shows a confidential request's details to its department but never a name", async () => {
    const { assignment } = await pothole({ contact: { confidential: true } });
    const q = `query($id: ID!) { assignment(id: $id) { contact { confidential description constituent { id lastName } } } }`;
    const res = await gql(ds, city.streetsStaff.viewer, q, { id: assignment.id });
    expect(res.data!.assignment.contact).toMatchObject({ confidential: true, constituent: null });
  });
});

describe("the queue", () => {
  let dept: Awaited<ReturnType<typeof makeStaff>>;
  let ids: { overdue: string; today: string; later: string; mine: string; done: string };

  beforeAll(async () => {
    const { makeDepartment, makeCategory } = await import("../factories/reference.factory");
    const d = await makeDepartment(ds, { name: "Parks" });
    const cat = await makeCategory(ds, { departmentId: d.id, name: "Playground repair" });
    const other = await makeCategory(ds, { departmentId: d.id, name: "Benches" });
    dept = await makeStaff(ds, Role.DEPARTMENT, { departmentId: d.id });
    const day = 86_400_000;
    const mk = (categoryId: string, assignment: AssignmentOverrides) =>
      makeAssignment(ds, city.intake.viewer, { categoryId, assignment }).then((x) => x.assignment.id);
    ids = {
      overdue: await mk(cat.id, {
        dueAt: new Date(Date.now() - 2 * day),
        assignedAt: new Date(Date.now() - 9 * day),
      }),
      today: await mk(cat.id, {
        dueAt: new Date(Date.now() + 60_000),
        assignedAt: new Date(Date.now() - 5 * day),
      }),
      later: await mk(other.id, {
        dueAt: new Date(Date.now() + 4 * day),
        assignedAt: new Date(Date.now() - day),
      }),
      mine: await mk(cat.id, {
        dueAt: new Date(Date.now() + 3 * day),
        assignedAt: new Date(Date.now() - 2 * day),
        assigneeId: dept.id,
        status: AssignmentStatus.IN_PROGRESS,
      }),
      done: await mk(cat.id, { dueAt: new Date(Date.now() - day), status: AssignmentStatus.COMPLETED }),
    };
    Object.assign(ids, { categoryId: cat.id });
  });

  const QUEUE = `query($filter: AssignmentFilter, $orderBy: AssignmentOrder, $first: Int, $after: String) {
    assignments(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount counts { open inProgress overdue unassigned dueToday }
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id status overdue dueAt contact { referenceNumber category { id } } } } } }`;
  const nodeIds = (res: { data?: unknown }) => (res.data as Queue).assignments.edges.map((e) => e.node.id);

  it("lists the department's open work by due date, overdue first and flagged, with the counts", async () => {
    const res = await gql(ds, dept.viewer, QUEUE, {});
    expect(res.errors).toBeUndefined();
    expect(nodeIds(res)).toEqual([ids.overdue, ids.today, ids.mine, ids.later]);
    expect(res.data!.assignments.edges[0].node.overdue).toBe(true);
    expect(res.data!.assignments.edges[1].node.overdue).toBe(false);
    expect(res.data!.assignments.totalCount).toBe(4);
    expect(res.data!.assignments.counts).toEqual({
      open: 3,
      inProgress: 1,
      overdue: 1,
      unassigned: 3,
      dueToday: 1,
    });
  });

  it("filters by overdue, assignee, unassigned, status and category", async () => {
    const run = (filter: Record<string, unknown>) => gql(ds, dept.viewer, QUEUE, { filter }).then(nodeIds);
    expect(await run({ overdue: true })).toEqual([ids.overdue]);
    expect(await run({ assigneeId: dept.id })).toEqual([ids.mine]);
    expect(await run({ unassigned: false })).toEqual([ids.mine]);
    expect(await run({ status: ["COMPLETED"] })).toEqual([ids.done]);
    const cat = (ids as unknown as { categoryId: string }).categoryId;
    expect(await run({ categoryId: cat })).toEqual([ids.overdue, ids.today, ids.mine]);
    const filtered = await gql(ds, dept.viewer, QUEUE, { filter: { overdue: true } });
    expect(filtered.data!.assignments.totalCount).toBe(1);
    expect(filtered.data!.assignments.counts.open).toBe(3);
  });

  it("sorts by assignment date both ways", async () => {
    const asc = await gql(ds, dept.viewer, QUEUE, { orderBy: "ASSIGNED_AT_ASC" }).then(nodeIds);
    expect(asc).toEqual([ids.overdue, ids.today, ids.mine, ids.later]);
    const desc = await gql(ds, dept.viewer, QUEUE, { orderBy: "ASSIGNED_AT_DESC" }).then(nodeIds);
    expect(desc).toEqual([...asc].reverse());
    const due = await gql(ds, dept.viewer, QUEUE, { orderBy: "DUE_AT_DESC" }).then(nodeIds);
    expect(due).toEqual([ids.later, ids.mine, ids.today, ids.overdue]);
  });

  it("sorts by status, category or assignee, soonest due first within each", async () => {
    const sorted = (orderBy: string) => gql(ds, dept.viewer, QUEUE, { orderBy }).then(nodeIds);
    expect(await sorted("STATUS")).toEqual([ids.overdue, ids.today, ids.later, ids.mine]);
    expect(await sorted("CATEGORY")).toEqual([ids.later, ids.overdue, ids.today, ids.mine]);
    expect(await sorted("ASSIGNEE")).toEqual([ids.overdue, ids.today, ids.later, ids.mine]);
    for (const orderBy of ["STATUS", "CATEGORY", "ASSIGNEE"]) {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const res: GqlResult<Queue> = await gql(ds, dept.viewer, QUEUE, { orderBy, first: 1, after });
        expect(res.errors).toBeUndefined();
        seen.push(...nodeIds(res));
        after = res.data!.assignments.pageInfo.hasNextPage ? res.data!.assignments.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual(await sorted(orderBy));
    }
    const first = await gql(ds, dept.viewer, QUEUE, { orderBy: "CATEGORY", first: 1 });
    const cursor = (first.data as Queue).assignments.pageInfo.endCursor;
    const mixed = await gql(ds, dept.viewer, QUEUE, { orderBy: "DUE_AT_ASC", after: cursor });
    expect(errorCodes(mixed)).toEqual(["BAD_USER_INPUT"]);
  });

  it("pages with a cursor, without gaps or repeats, and refuses a forged cursor or an oversize page", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res: GqlResult<Queue> = await gql(ds, dept.viewer, QUEUE, { first: 1, after });
      expect(res.errors).toBeUndefined();
      seen.push(...nodeIds(res));
      expect(res.data!.assignments.pageInfo.hasNextPage).toBe(i < 3);
      after = res.data!.assignments.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids.overdue, ids.today, ids.mine, ids.later]);
    const forged = await gql(ds, dept.viewer, QUEUE, { after: "bm9wZQ" });
    expect(errorCodes(forged)).toEqual(["BAD_USER_INPUT"]);
    const big = await gql(ds, dept.viewer, QUEUE, { first: 201 });
    expect(errorCodes(big)).toEqual(["BAD_USER_INPUT"]);
  });

  it("costs the same number of statements for a page of 1 or of 4", async () => {
    await gql(ds, dept.viewer, QUEUE, { first: 1 });
    const one = await countStatements(() => gql(ds, dept.viewer, QUEUE, { first: 1 }));
    const four = await countStatements(() => gql(ds, dept.viewer, QUEUE, { first: 4 }));
    expect(four.result.errors).toBeUndefined();
    expect(four.statements).toBe(one.statements);
    expect(four.statements).toBeLessThanOrEqual(4);
  });

  it("shows a reviewer every department, or one when asked", async () => {
    const res = await gql(ds, city.reviewer.viewer, QUEUE, { filter: { departmentId: dept.departmentId } });
    expect(nodeIds(res)).toEqual([ids.overdue, ids.today, ids.mine, ids.later]);
    const all = await gql(ds, city.reviewer.viewer, QUEUE, { first: 200 });
    expect(all.data!.assignments.totalCount).toBeGreaterThan(4);
  });
});

describe("the timeline", () => {
  it("lists every change oldest first, by whom, with a short summary and the reopen reason", async () => {
    const { assignment, contact } = await pothole();
    await gql(ds, city.streetsStaff.viewer, CLAIM, { input: { id: assignment.id, version: 1 } });
    await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 2, kind: "NOTE", body: "secret crew note" },
    });
    await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: {
        assignmentId: assignment.id,
        version: 3,
        kind: "RESPONSE",
        channel: "PHONE",
        body: "Fixed",
        isFinal: true,
      },
    });
    await gql(ds, city.reviewer.viewer, REOPEN, { input: { contactId: contact.id, reason: "Not fixed" } });
    const q = `query($ref: String!) { contact(referenceNumber: $ref) { timeline { at action summary reason actor { id } } } }`;
    const res = await gql(ds, city.intake.viewer, q, { ref: contact.referenceNumber });
    expect(res.errors).toBeUndefined();
    const t = res.data!.contact.timeline;
    expect(t.map((e: { action: string }) => e.action)).toEqual([
      "contact.recorded",
      "assignment.claimed",
      "note.added",
      "response.sent",
      "assignment.reopened",
    ]);
    expect(t[1]).toMatchObject({
      summary: `Claimed by ${city.streetsStaff.name}`,
      actor: { id: city.streetsStaff.id },
    });
    expect(t[3].summary).toBe("Final response sent by phone");
    expect(t[4]).toMatchObject({ reason: "Not fixed", actor: { id: city.reviewer.id } });
    expect(JSON.stringify(t)).not.toContain("secret crew note");
    expect(JSON.stringify(t)).not.toContain("Resident");
  });
});
