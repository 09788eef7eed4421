import { print } from "graphql";
import type { DataSource } from "typeorm";
import { AssignmentStatus, Role } from "../../entities";
import { QUEUE } from "../../src/client/operations/assignments";
import { QUEUE_QUERY } from "../../src/bench/scenarios";
import { makeAssignment } from "../factories/assignment.factory";
import { makeCategory, makeCity, makeDepartment, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { countStatements, gql } from "../support/graphql";

let ds: DataSource;
let dept: Awaited<ReturnType<typeof makeStaff>>;
let ids: string[];

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  const city = await makeCity(ds);
  const d = await makeDepartment(ds, { name: "Forestry" });
  const cat = await makeCategory(ds, { departmentId: d.id });
  dept = await makeStaff(ds, Role.DEPARTMENT, { departmentId: d.id });
  const colleague = await makeStaff(ds, Role.DEPARTMENT, { departmentId: d.id });
  const day = 86_400_000;
  ids = [];
  for (let i = 0; i < 5; i++) {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, {
      categoryId: cat.id,
      contact: { confidential: i === 3 },
      assignment: {
        dueAt: new Date(Date.now() + (i - 1) * day),
        ...(i % 2
          ? { assigneeId: [dept.id, colleague.id][i % 4 === 1 ? 0 : 1], status: AssignmentStatus.IN_PROGRESS }
          : {}),
      },
    });
    ids.push(assignment.id);
  }
});
afterAll(() => ds.destroy());

const statementsFor = async (query: string, first: number) => {
  const run = await countStatements(() => gql(ds, dept.viewer, query, { first }));
  expect(run.result.errors).toBeUndefined();
  return run.statements;
};

describe("a queue page's SQL", () => {
  beforeAll(async () => {
    // Named statements on two connections at once: a server whose connections share one session (the
    // embedded one) refuses the second, and the pool settles on unnamed statements before counting starts.
    await Promise.all(
      [QUEUE_QUERY, QUEUE_QUERY, print(QUEUE), print(QUEUE)].map((q) => gql(ds, dept.viewer, q, {})),
    );
  });

  it("is one statement for the benchmark's page, its header and its contacts, categories and assignees", async () => {
    expect(await statementsFor(QUEUE_QUERY, 1)).toBe(1);
    expect(await statementsFor(QUEUE_QUERY, 5)).toBe(1);
  });

  it("costs the staff portal's page a fixed number of statements, whatever the page size", async () => {
    const query = print(QUEUE);
    const one = await statementsFor(query, 1);
    const five = await statementsFor(query, 5);
    // The page itself, then the review flags and the reporter counts, each batched for the whole page.
    expect(one).toBe(3);
    expect(five).toBe(one);
  });

  it.each([
    ["its short form", "id code name slaBusinessDays department { id code }"],
    [
      "every field",
      "id code name nameEs description descriptionEs standardResponse standardResponseEs keywords",
    ],
  ])(
    "gives the same contacts, categories (%s), assignees and departments as one assignment read alone",
    async (_, categoryFields) => {
      const NODE = `id status dueAt assignedAt version standardResponse
      department { id code name }
      assignee { id name email role department { id } }
      contact { id referenceNumber receivedAt confidential description constituent { id }
        category { ${categoryFields} } }`;
      const page = await gql(ds, dept.viewer, `{ assignments(first: 10) { edges { node { ${NODE} } } } }`);
      expect(page.errors).toBeUndefined();
      const nodes = page.data!.assignments.edges.map((e: { node: { id: string } }) => e.node);
      expect(nodes.map((n: { id: string }) => n.id).sort()).toEqual([...ids].sort());
      for (const node of nodes) {
        const alone = await gql(ds, dept.viewer, `query($id: ID!) { assignment(id: $id) { ${NODE} } }`, {
          id: node.id,
        });
        expect(alone.errors).toBeUndefined();
        expect(node).toEqual(alone.data!.assignment);
      }
      expect(nodes.filter((n: { assignee: unknown }) => n.assignee).length).toBe(2);
      const confidential = nodes.find((n: { contact: { confidential: boolean } }) => n.contact.confidential);
      expect(confidential.contact.constituent).toBeNull();
    },
  );
});
