import type { DataSource } from "typeorm";
import { Assignment, AssignmentStatus } from "../../entities";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import { makeCity } from "../factories/reference.factory";
import { makeAnswer, makeAssignment } from "../factories/assignment.factory";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const N = 50;

async function auditCount(action: string, assignmentId: string): Promise<number> {
  const [{ n }] = await ds.query(
    `SELECT count(*)::int AS n FROM audit_event
      WHERE action = $1 AND (entity_id = $2 OR after->>'assignmentId' = $2)`,
    [action, assignmentId],
  );
  return n;
}

/** Fires N copies of one mutation at once, all naming the same version; returns each outcome's codes. */
async function race(query: string, input: Record<string, unknown>): Promise<string[]> {
  const results = await Promise.all(
    Array.from({ length: N }, () => gql(ds, city.streetsStaff.viewer, query, { input })),
  );
  return results.map((r) => (r.errors ? errorCodes(r).join(",") : "OK"));
}

const tally = (codes: string[]) =>
  codes.reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});

describe(`${N} concurrent conflicting writes at one assignment`, () => {
  it("lets exactly one complete win; the rest get CONFLICT and leave no trace", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    await makeAnswer(ds, assignment.id);
    const codes = await race(
      `mutation($input: CompleteAssignmentInput!) { completeAssignment(input: $input) { id } }`,
      {
        id: assignment.id,
        version: assignment.version,
      },
    );
    expect(tally(codes)).toEqual({ OK: 1, CONFLICT: N - 1 });
    const after = await ds.getRepository(Assignment).findOneByOrFail({ id: assignment.id });
    expect(after).toMatchObject({ status: AssignmentStatus.COMPLETED, version: assignment.version + 1 });
    expect(await auditCount("assignment.completed", assignment.id)).toBe(1);
  });

  it("lets exactly one claim win", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    const codes = await race(
      `mutation($input: ClaimAssignmentInput!) { claimAssignment(input: $input) { id } }`,
      {
        id: assignment.id,
        version: assignment.version,
      },
    );
    expect(tally(codes)).toEqual({ OK: 1, CONFLICT: N - 1 });
    expect(await auditCount("assignment.claimed", assignment.id)).toBe(1);
    expect((await ds.getRepository(Assignment).findOneByOrFail({ id: assignment.id })).version).toBe(
      assignment.version + 1,
    );
  });

  it("lets exactly one final response through: one response row, one audit event", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    const codes = await race(
      `mutation($input: RespondToAssignmentInput!) { respondToAssignment(input: $input) { id } }`,
      {
        assignmentId: assignment.id,
        version: assignment.version,
        kind: "RESPONSE",
        channel: "PHONE",
        body: "The pothole is filled.",
        isFinal: true,
      },
    );
    expect(tally(codes)).toEqual({ OK: 1, CONFLICT: N - 1 });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM response WHERE assignment_id = $1`, [
      assignment.id,
    ]);
    expect(n).toBe(1);
    expect(await auditCount("response.sent", assignment.id)).toBe(1);
    const after = await ds.getRepository(Assignment).findOneByOrFail({ id: assignment.id });
    expect(after.status).toBe(AssignmentStatus.COMPLETED);
  });

  it("lets exactly one of interleaved completes and transfers win: one lead, nothing duplicated", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    await makeAnswer(ds, assignment.id);
    const complete = `mutation($input: CompleteAssignmentInput!) { completeAssignment(input: $input) { id } }`;
    const transfer = `mutation($input: TransferAssignmentInput!) { transferAssignment(input: $input) { id } }`;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 2
          ? gql(ds, city.streetsStaff.viewer, complete, {
              input: { id: assignment.id, version: assignment.version },
            })
          : gql(ds, city.streetsStaff.viewer, transfer, {
              input: {
                id: assignment.id,
                version: assignment.version,
                departmentId: city.water.id,
                reason: "misrouted: a water main, not a pothole",
              },
            }),
      ),
    );
    const codes = results.map((r) => (r.errors ? errorCodes(r).join(",") : "OK"));
    expect(tally(codes)).toEqual({ OK: 1, CONFLICT: N - 1 });

    const rows = await ds.getRepository(Assignment).findBy({ contactId: assignment.contactId });
    const events =
      (await auditCount("assignment.completed", assignment.id)) +
      (await auditCount("assignment.transferred", assignment.id));
    expect(events).toBe(1);
    const winner = results.findIndex((r) => !r.errors);
    if (winner % 2) {
      expect(rows).toEqual([expect.objectContaining({ status: AssignmentStatus.COMPLETED })]);
    } else {
      // The old lead is TRANSFERRED and exactly one new OPEN lead exists, at the water department.
      expect(rows.map((r) => [r.departmentId, r.status]).sort()).toEqual(
        [
          [city.streets.id, AssignmentStatus.TRANSFERRED],
          [city.water.id, AssignmentStatus.OPEN],
        ].sort(),
      );
    }
    expect(
      rows.filter((r) => r.isLead && [AssignmentStatus.OPEN, AssignmentStatus.COMPLETED].includes(r.status)),
    ).toHaveLength(1);
  });
});
