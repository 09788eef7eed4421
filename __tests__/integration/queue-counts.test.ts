import type { DataSource } from "typeorm";
import { AssignmentStatus, Role } from "../../entities";
import { config } from "../../src/server/config/config";
import { QUEUE_QUERY } from "../../src/bench/scenarios";
import { createContext } from "../../graphql/context";
import { getSchema } from "../../graphql/schema";
import { createApolloServer } from "../../graphql/server";
import { makeAssignment } from "../factories/assignment.factory";
import { makeCategory, makeCity, makeDepartment, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { gql } from "../support/graphql";

let ds: DataSource;
let dept: Awaited<ReturnType<typeof makeStaff>>;

const MINUTE = 60_000;
const DAY = 86_400_000;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  const city = await makeCity(ds);
  const d = await makeDepartment(ds, { name: "Parks" });
  const cat = await makeCategory(ds, { departmentId: d.id });
  dept = await makeStaff(ds, Role.DEPARTMENT, { departmentId: d.id });
  // The first instant of today in the city's time zone, as the database sees it.
  const [{ start }] = await ds.query(
    `SELECT date_trunc('day', now() AT TIME ZONE $1::text) AT TIME ZONE $1::text AS start`,
    [config().STAR_TIME_ZONE],
  );
  const t = (start as Date).getTime();
  const dues = [
    t - MINUTE,
    t,
    t + MINUTE,
    t + DAY - MINUTE,
    t + DAY,
    t + DAY + MINUTE,
    t - 3 * DAY,
    t + 5 * DAY,
  ];
  for (const [i, due] of dues.entries()) {
    await makeAssignment(ds, city.intake.viewer, {
      categoryId: cat.id,
      assignment: {
        dueAt: new Date(due),
        ...(i % 3 === 0 ? { status: AssignmentStatus.IN_PROGRESS, assigneeId: dept.id } : {}),
      },
    });
  }
  await makeAssignment(ds, city.intake.viewer, {
    categoryId: cat.id,
    assignment: { dueAt: new Date(t + MINUTE), status: AssignmentStatus.COMPLETED },
  });
});
afterAll(() => ds.destroy());

type Counts = { open: number; inProgress: number; overdue: number; unassigned: number; dueToday: number };

/** The headline counts worked out row by row, each due date turned into the city's date. */
async function expectedCounts(): Promise<Counts> {
  const [row] = await ds.query(
    `SELECT count(*) FILTER (WHERE a.status = 'OPEN')::int AS open,
            count(*) FILTER (WHERE a.status = 'IN_PROGRESS')::int AS "inProgress",
            count(*) FILTER (WHERE a.due_at < now())::int AS overdue,
            count(*) FILTER (WHERE a.assignee_id IS NULL)::int AS unassigned,
            count(*) FILTER (WHERE (a.due_at AT TIME ZONE $2::text)::date
                                 = (now() AT TIME ZONE $2::text)::date)::int AS "dueToday"
       FROM assignment a WHERE a.department_id = $1 AND a.status IN ('OPEN', 'IN_PROGRESS')`,
    [dept.departmentId, config().STAR_TIME_ZONE],
  );
  return row;
}

describe("a queue page's headline counts", () => {
  it("count as due today exactly the active assignments due on the city's date, to the minute", async () => {
    const want = await expectedCounts();
    // The day's first minute and its last are in, the minute before and the day after are not.
    expect(want.dueToday).toBe(3);
    for (const filter of [{}, { overdue: true }, { status: ["OPEN"] }, { status: ["COMPLETED"] }]) {
      const res = await gql(ds, dept.viewer, QUEUE_QUERY, { filter, first: 2 });
      expect(res.errors).toBeUndefined();
      expect(res.data!.assignments.counts).toEqual(want);
    }
  });

  it("give the same totals for every status filter, on the first page and on a later one", async () => {
    const total = async (filter: Record<string, unknown>) => {
      const first = await gql(ds, dept.viewer, QUEUE_QUERY, { filter, first: 1 });
      expect(first.errors).toBeUndefined();
      const after = first.data!.assignments.pageInfo.endCursor;
      const next = await gql(ds, dept.viewer, QUEUE_QUERY, { filter, first: 1, after });
      expect(next.errors).toBeUndefined();
      expect(next.data!.assignments.totalCount).toBe(first.data!.assignments.totalCount);
      return first.data!.assignments.totalCount;
    };
    expect(await total({})).toBe(8);
    expect(await total({ status: ["OPEN", "IN_PROGRESS"] })).toBe(8);
    expect(await total({ status: ["IN_PROGRESS"] })).toBe(3);
    expect(await total({ status: ["OPEN"] })).toBe(5);
    expect(await total({ status: ["OPEN", "COMPLETED"] })).toBe(6);
    expect(await total({ unassigned: true })).toBe(5);
  });
});

describe("a GraphQL answer", () => {
  it("tells browsers and proxies not to store it", async () => {
    const server = createApolloServer(await getSchema());
    await server.start();
    try {
      const res = await server.executeOperation(
        { query: "{ assignments(first: 1) { totalCount } }" },
        { contextValue: createContext(ds, dept.viewer) },
      );
      expect(res.http.headers.get("cache-control")).toBe("no-store");
    } finally {
      await server.stop();
    }
  });
});
