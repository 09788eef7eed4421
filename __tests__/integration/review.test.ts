import type { DataSource } from "typeorm";
import { Assignment, AssignmentStatus, ReviewCycle } from "../../entities";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { makeAssignment } from "../factories/assignment.factory";
import { makeReviewCycle, makeReviewMark } from "../factories/review.factory";
import { Role } from "../../entities";
import { weekStartOf } from "../../src/server/review/review.service";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

const DAY = 86_400_000;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

/** Each test starts with no review cycles and no open assignments. */
beforeEach(async () => {
  await ds.query(`DELETE FROM review_mark`);
  await ds.query(`DELETE FROM review_cycle`);
  await ds.query(`DELETE FROM mail_outbox`);
  await ds.query(
    `UPDATE assignment SET status = 'COMPLETED', completed_at = now() WHERE status IN ('OPEN','IN_PROGRESS')`,
  );
});

const QUEUE = `query($filter: ReviewQueueFilter, $first: Int, $after: String) {
  reviewQueue(filter: $filter, first: $first, after: $after) {
    cycle { id status weekStart version }
    totalCount
    progress { reviewed total }
    byBucket { bucket count }
    byDepartment { departmentId departmentName count reviewed }
    pageInfo { hasNextPage endCursor }
    edges { cursor node { assignmentId referenceNumber departmentName categoryName ageDays agingBucket
      overdue openConcerns version mark { id kind note version resolvedAt resolutionNote open
      resolvedBy { id } } } }
  } }`;
const START = `mutation { startReviewCycle { id status weekStart version startedBy { id } } }`;
const CLOSE = `mutation($input: CloseReviewCycleInput!) { closeReviewCycle(input: $input) {
  id status closedAt version progress { reviewed total } closedBy { id } } }`;
const MARK = `mutation($input: MarkAssignmentInput!) { markAssignment(input: $input) {
  id kind note version open resolvedAt markedBy { id } } }`;
const RESOLVE = `mutation($input: ResolveReviewMarkInput!) { resolveReviewMark(input: $input) {
  id version resolvedAt resolutionNote open resolvedBy { id } } }`;
const MARKS_OF = `query($id: ID!) { assignment(id: $id) { id reviewFlagged reviewMarks { id kind note
  open mayResolve version resolutionNote cycle { weekStart } } } }`;
const CYCLES = `{ reviewCycles { id status weekStart progress { reviewed total } marks { id kind
  assignment { referenceNumber departmentName } } } }`;

interface QueueData {
  reviewQueue: {
    cycle: { id: string; status: string; weekStart: string; version: number } | null;
    totalCount: number;
    progress: { reviewed: number; total: number };
    byBucket: { bucket: string; count: number }[];
    byDepartment: { departmentId: string; departmentName: string; count: number; reviewed: number }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      cursor: string;
      node: {
        assignmentId: string;
        referenceNumber: string;
        departmentName: string;
        ageDays: number;
        agingBucket: string;
        overdue: boolean;
        openConcerns: number;
        mark: {
          id: string;
          kind: string;
          version: number;
          resolvedAt: string | null;
          resolutionNote: string | null;
          open: boolean;
        } | null;
      };
    }[];
  };
}

const pothole = (assignment: Partial<Assignment> = {}) =>
  makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id, assignment });
const leak = (assignment: Partial<Assignment> = {}) =>
  makeAssignment(ds, city.intake.viewer, { categoryId: city.leak.id, assignment });

const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

async function startCycle() {
  const res = await gql(ds, city.reviewer.viewer, START);
  expect(res.errors).toBeUndefined();
  return res.data!.startReviewCycle as { id: string; version: number; weekStart: string };
}

describe("who may review", () => {
  it("lets reviewers, administrators and analysts read the worklist, and nobody else", async () => {
    await pothole();
    for (const who of [city.reviewer, city.admin, city.analyst]) {
      const res = await gql<QueueData>(ds, who.viewer, QUEUE);
      expect(res.errors).toBeUndefined();
      expect(res.data!.reviewQueue.totalCount).toBe(1);
    }
    for (const who of [city.streetsStaff, city.intake]) {
      const res = await gql(ds, who.viewer, QUEUE);
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
    }
    expect(errorCodes(await gql(ds, null, QUEUE))).toEqual(["UNAUTHENTICATED"]);
  });

  it("lets reviewers and administrators start, mark and close, and refuses analysts and departments", async () => {
    const { assignment } = await pothole();
    for (const who of [city.analyst, city.streetsStaff, city.intake]) {
      expect(errorCodes(await gql(ds, who.viewer, START))).toEqual(["FORBIDDEN"]);
    }
    expect(await ds.getRepository(ReviewCycle).count()).toBe(0);
    const adminStart = await gql(ds, city.admin.viewer, START);
    expect(adminStart.errors).toBeUndefined();
    const cycleId = adminStart.data!.startReviewCycle.id;
    const markInput = { cycleId, assignmentId: assignment.id, kind: "OK" };
    for (const who of [city.analyst, city.streetsStaff]) {
      const res = await gql(ds, who.viewer, MARK, { input: markInput });
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
    }
    expect((await gql(ds, city.admin.viewer, MARK, { input: markInput })).errors).toBeUndefined();
    const closing = await gql(ds, city.analyst.viewer, CLOSE, { input: { id: cycleId, version: 1 } });
    expect(errorCodes(closing)).toEqual(["FORBIDDEN"]);
    const analystReads = await gql(ds, city.analyst.viewer, CYCLES);
    expect(analystReads.errors).toBeUndefined();
    expect(analystReads.data!.reviewCycles).toHaveLength(1);
    expect(errorCodes(await gql(ds, city.streetsStaff.viewer, CYCLES))).toEqual(["FORBIDDEN"]);
  });
});

describe("the worklist", () => {
  it("lists every open assignment city-wide grouped by department, with aging buckets and filters", async () => {
    const fresh = await pothole({ assignedAt: daysAgo(1), dueAt: new Date(Date.now() + 3 * DAY) });
    const week = await pothole({ assignedAt: daysAgo(4), dueAt: new Date(Date.now() + DAY) });
    const old = await leak({
      assignedAt: daysAgo(12),
      dueAt: daysAgo(8),
      status: AssignmentStatus.IN_PROGRESS,
    });
    await pothole({ status: AssignmentStatus.COMPLETED, completedAt: new Date() });

    const all = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE);
    expect(all.errors).toBeUndefined();
    const q = all.data!.reviewQueue;
    expect(q.totalCount).toBe(3);
    expect(q.cycle).toBeNull();
    // Street Maintenance sorts before Water Services; inside a department the oldest comes first.
    expect(q.edges.map((e) => e.node.assignmentId)).toEqual([
      week.assignment.id,
      fresh.assignment.id,
      old.assignment.id,
    ]);
    expect(q.edges.map((e) => e.node.agingBucket)).toEqual(["DAYS_3_5", "DAYS_0_2", "OVER_10"]);
    expect(q.edges[2].node.overdue).toBe(true);
    expect(q.byBucket).toEqual([
      { bucket: "DAYS_0_2", count: 1 },
      { bucket: "DAYS_3_5", count: 1 },
      { bucket: "DAYS_6_10", count: 0 },
      { bucket: "OVER_10", count: 1 },
    ]);
    expect(q.byDepartment.map((d) => [d.departmentName, d.count])).toEqual([
      ["Street Maintenance", 2],
      ["Water Services", 1],
    ]);

    const only = async (filter: Record<string, unknown>) => {
      const res = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE, { filter });
      expect(res.errors).toBeUndefined();
      return res.data!.reviewQueue.edges.map((e) => e.node.assignmentId);
    };
    expect(await only({ departmentId: city.water.id })).toEqual([old.assignment.id]);
    expect(await only({ categoryId: city.pothole.id })).toEqual([week.assignment.id, fresh.assignment.id]);
    expect(await only({ agingBucket: "DAYS_3_5" })).toEqual([week.assignment.id]);
    expect(await only({ overdue: true })).toEqual([old.assignment.id]);
    expect(await only({ overdue: false })).toHaveLength(2);
    expect(await only({ flagged: true })).toEqual([]);
  });

  it("puts each age at the edge of a bucket in the right one: 2|3, 5|6, 10|11 calendar days", async () => {
    const byAge = new Map<number, string>();
    for (const days of [2, 3, 5, 6, 10, 11]) {
      byAge.set(days, (await pothole({ assignedAt: daysAgo(days) })).assignment.id);
    }
    const res = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE);
    const nodes = new Map(res.data!.reviewQueue.edges.map((e) => [e.node.assignmentId, e.node]));
    expect(
      [...byAge].map(([days, id]) => [days, nodes.get(id)!.ageDays, nodes.get(id)!.agingBucket]),
    ).toEqual([
      [2, 2, "DAYS_0_2"],
      [3, 3, "DAYS_3_5"],
      [5, 5, "DAYS_3_5"],
      [6, 6, "DAYS_6_10"],
      [10, 10, "DAYS_6_10"],
      [11, 11, "OVER_10"],
    ]);
    expect(res.data!.reviewQueue.byBucket.map((b) => b.count)).toEqual([1, 2, 2, 1]);
    const sixToTen = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE, {
      filter: { agingBucket: "DAYS_6_10" },
    });
    expect(sixToTen.data!.reviewQueue.edges.map((e) => e.node.assignmentId).sort()).toEqual(
      [byAge.get(6)!, byAge.get(10)!].sort(),
    );
  });

  it("pages through the worklist with cursors and refuses a cursor it did not write", async () => {
    const made = [await pothole(), await pothole(), await leak()];
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res: Awaited<ReturnType<typeof gql<QueueData>>> = await gql<QueueData>(
        ds,
        city.reviewer.viewer,
        QUEUE,
        { first: 1, after },
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.reviewQueue.edges.map((e) => e.node.assignmentId));
      expect(res.data!.reviewQueue.pageInfo.hasNextPage).toBe(i < 2);
      after = res.data!.reviewQueue.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(made.map((m) => m.assignment.id).sort());
    const bad = await gql(ds, city.reviewer.viewer, QUEUE, { after: "bm90LWEtY3Vyc29y" });
    expect(errorCodes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.errors![0].extensions!.field).toBe("after");
  });

  it("never carries a confidential request's description, even to reviewers", async () => {
    const secret = "Neighbour at 77 Hidden Lane threatens me";
    await makeAssignment(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      contact: { confidential: true },
    });
    await ds.query(`UPDATE contact SET description = $1 WHERE confidential`, [secret]);
    for (const who of [city.reviewer, city.analyst, city.admin]) {
      const res = await gql<QueueData>(ds, who.viewer, QUEUE);
      expect(res.data!.reviewQueue.totalCount).toBe(1);
      expect(JSON.stringify(res)).not.toContain("Hidden Lane");
    }
  });
});

describe("a weekly review cycle", () => {
  it("starts this week's review once; a second start while it is open is a CONFLICT", async () => {
    const cycle = await startCycle();
    expect(cycle.weekStart).toBe(weekStartOf(new Date()));
    const again = await gql(ds, city.reviewer.viewer, START);
    expect(errorCodes(again)).toEqual(["CONFLICT"]);
    expect(await ds.getRepository(ReviewCycle).count()).toBe(0 + 1);
  });

  it("keeps one open cycle when two reviewers start at the same moment", async () => {
    const other = await makeStaff(ds, Role.REVIEWER);
    const results = await Promise.all([gql(ds, city.reviewer.viewer, START), gql(ds, other.viewer, START)]);
    expect(results.flatMap(errorCodes)).toEqual(["CONFLICT"]);
    expect(await ds.getRepository(ReviewCycle).countBy({ status: "OPEN" as never })).toBe(1);
  });

  it("marks, notifies and flags the department, which resolves it; the reviewer sees the resolution; then closes", async () => {
    const streetJob = await pothole();
    const waterJob = await leak();
    const cycle = await startCycle();

    const noNote = await gql(ds, city.reviewer.viewer, MARK, {
      input: { cycleId: cycle.id, assignmentId: streetJob.assignment.id, kind: "FOLLOW_UP" },
    });
    expect(errorCodes(noNote)).toEqual(["BAD_USER_INPUT"]);
    expect(noNote.errors![0].extensions!.field).toBe("note");

    const marked = await gql(ds, city.reviewer.viewer, MARK, {
      input: {
        cycleId: cycle.id,
        assignmentId: streetJob.assignment.id,
        kind: "FOLLOW_UP",
        note: "No activity for a week: call the resident.",
      },
    });
    expect(marked.errors).toBeUndefined();
    const mark = marked.data!.markAssignment;
    expect(mark).toMatchObject({
      kind: "FOLLOW_UP",
      version: 1,
      open: true,
      markedBy: { id: city.reviewer.id },
    });
    const okWater = await gql(ds, city.reviewer.viewer, MARK, {
      input: { cycleId: cycle.id, assignmentId: waterJob.assignment.id, kind: "OK" },
    });
    expect(okWater.errors).toBeUndefined();

    // The department's mail, and nothing for an OK.
    const mails = await ds.query(
      `SELECT kind, to_address AS "to", body FROM mail_outbox WHERE kind LIKE 'REVIEW%'`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "REVIEW_MARK", to: city.streets.email });
    expect(mails[0].body).toContain("No activity for a week");
    expect(mails[0].body).toContain(`/assignments/${streetJob.assignment.id}`);

    // The flag in the department's queue.
    const flagged = await gql(
      ds,
      city.streetsStaff.viewer,
      `{ assignments(filter: { reviewFlagged: true }) { totalCount edges { node { id reviewFlagged } } } }`,
    );
    expect(flagged.errors).toBeUndefined();
    expect(flagged.data!.assignments.edges).toEqual([
      { node: { id: streetJob.assignment.id, reviewFlagged: true } },
    ]);

    const progress = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE, { filter: { notReviewed: true } });
    expect(progress.data!.reviewQueue.progress).toEqual({ reviewed: 2, total: 2 });
    expect(progress.data!.reviewQueue.totalCount).toBe(0);
    const flaggedList = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE, { filter: { flagged: true } });
    expect(flaggedList.data!.reviewQueue.edges.map((e) => e.node.assignmentId)).toEqual([
      streetJob.assignment.id,
    ]);

    // Another department neither sees nor resolves it.
    const outsider = await gql(ds, city.waterStaff.viewer, RESOLVE, {
      input: { id: mark.id, version: 1, resolutionNote: "Not ours, but done." },
    });
    expect(errorCodes(outsider)).toEqual(["NOT_FOUND"]);
    expect(JSON.stringify(outsider)).not.toContain("No activity for a week");
    const outsiderView = await gql(ds, city.waterStaff.viewer, MARKS_OF, { id: streetJob.assignment.id });
    expect(JSON.stringify(outsiderView)).not.toContain("No activity for a week");

    const own = await gql(ds, city.streetsStaff.viewer, MARKS_OF, { id: streetJob.assignment.id });
    expect(own.data!.assignment.reviewMarks).toEqual([
      expect.objectContaining({
        id: mark.id,
        open: true,
        mayResolve: true,
        cycle: { weekStart: cycle.weekStart },
      }),
    ]);
    const stale = await gql(ds, city.streetsStaff.viewer, RESOLVE, {
      input: { id: mark.id, version: 7, resolutionNote: "Called." },
    });
    expect(errorCodes(stale)).toEqual(["CONFLICT"]);
    const resolved = await gql(ds, city.streetsStaff.viewer, RESOLVE, {
      input: { id: mark.id, version: 1, resolutionNote: "Called the resident; crew booked for Tuesday." },
    });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data!.resolveReviewMark).toMatchObject({
      version: 2,
      open: false,
      resolvedBy: { id: city.streetsStaff.id },
    });
    const twice = await gql(ds, city.streetsStaff.viewer, RESOLVE, {
      input: { id: mark.id, version: 2, resolutionNote: "Again." },
    });
    expect(errorCodes(twice)).toEqual(["CONFLICT"]);

    const seen = await gql<QueueData>(ds, city.reviewer.viewer, QUEUE, {
      filter: { departmentId: city.streets.id },
    });
    expect(seen.data!.reviewQueue.edges[0].node.mark).toMatchObject({
      resolutionNote: "Called the resident; crew booked for Tuesday.",
      open: false,
    });
    expect(seen.data!.reviewQueue.edges[0].node.openConcerns).toBe(0);

    const cycleRow = await ds.getRepository(ReviewCycle).findOneByOrFail({ id: cycle.id });
    expect(
      errorCodes(await gql(ds, city.reviewer.viewer, CLOSE, { input: { id: cycle.id, version: 9 } })),
    ).toEqual(["CONFLICT"]);
    const closed = await gql(ds, city.reviewer.viewer, CLOSE, {
      input: { id: cycle.id, version: cycleRow.version },
    });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.closeReviewCycle).toMatchObject({
      status: "CLOSED",
      progress: { reviewed: 2, total: 2 },
      closedBy: { id: city.reviewer.id },
    });
    const late = await gql(ds, city.reviewer.viewer, MARK, {
      input: { cycleId: cycle.id, assignmentId: waterJob.assignment.id, kind: "OK", version: 1 },
    });
    expect(errorCodes(late)).toEqual(["CONFLICT"]);

    const past = await gql(ds, city.reviewer.viewer, CYCLES);
    expect(past.data!.reviewCycles).toEqual([
      expect.objectContaining({
        id: cycle.id,
        status: "CLOSED",
        marks: expect.arrayContaining([
          expect.objectContaining({
            kind: "FOLLOW_UP",
            assignment: expect.objectContaining({ departmentName: "Street Maintenance" }),
          }),
        ]),
      }),
    ]);
    const events = await ds.query(
      `SELECT action FROM audit_event WHERE entity_id = ANY($1::text[]) ORDER BY id`,
      [[cycle.id, mark.id, okWater.data!.markAssignment.id]],
    );
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      "review.cycle_started",
      "review.marked",
      "review.marked",
      "review.mark_resolved",
      "review.cycle_closed",
    ]);
  });

  it("updates a mark with the version read, and refuses a stale or blind re-mark with CONFLICT", async () => {
    const { assignment } = await pothole();
    const cycle = await makeReviewCycle(ds, city.reviewer.viewer);
    const existing = await makeReviewMark(ds, city.reviewer.viewer, cycle, assignment);
    const input = {
      cycleId: cycle.id,
      assignmentId: assignment.id,
      kind: "POLICY",
      note: "Against policy 4.2",
    };
    expect(errorCodes(await gql(ds, city.reviewer.viewer, MARK, { input }))).toEqual(["CONFLICT"]);
    expect(
      errorCodes(await gql(ds, city.reviewer.viewer, MARK, { input: { ...input, version: 5 } })),
    ).toEqual(["CONFLICT"]);
    const updated = await gql(ds, city.reviewer.viewer, MARK, {
      input: { ...input, version: existing.version },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.markAssignment).toMatchObject({ kind: "POLICY", version: existing.version + 1 });
    // A consistency concern is a concern like the others: it flags the assignment in its queue.
    const consistency = await gql(ds, city.reviewer.viewer, MARK, {
      input: {
        ...input,
        kind: "CONSISTENCY",
        note: "Differs from the answer on STAR-26-000001",
        version: existing.version + 1,
      },
    });
    expect(consistency.data!.markAssignment).toMatchObject({ kind: "CONSISTENCY", open: true });
    const flagged = await gql(ds, city.streetsStaff.viewer, MARKS_OF, { id: assignment.id });
    expect(flagged.data!.assignment.reviewFlagged).toBe(true);
  });

  it("refuses to mark an assignment that is no longer open", async () => {
    const { assignment } = await pothole({ status: AssignmentStatus.COMPLETED, completedAt: new Date() });
    const cycle = await startCycle();
    const res = await gql(ds, city.reviewer.viewer, MARK, {
      input: { cycleId: cycle.id, assignmentId: assignment.id, kind: "OK" },
    });
    expect(errorCodes(res)).toEqual(["CONFLICT"]);
  });
});
