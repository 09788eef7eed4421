import type { DataSource } from "typeorm";
import { AuditEvent, Role } from "../../entities";
import { analystReads } from "../../src/server/analytics/analyst-reads";
import { resetConfig } from "../../src/server/config/config";
import { makeAssignment } from "../factories/assignment.factory";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql, type GqlResult } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
const DAY = 86_400_000;

const CONTACTS = `query($filter: ContactFilter, $first: Int, $after: String) {
  contacts(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { referenceNumber channel description confidential constituent { id lastName } } } } }`;
const STATS = `query($groupBy: [StatsDimension!]!, $filter: ContactFilter) { contactStats(groupBy: $groupBy, filter: $filter) {
  category { name } department { name } channel week zip count openCount closedCount overdueCount
  medianHoursToClose avgHoursToClose } }`;

const refs = (res: GqlResult<Record<string, { edges: unknown[] }>>) =>
  (res.data!.contacts.edges as { node: { referenceNumber: string } }[])
    .map((e) => e.node.referenceNumber)
    .sort();

let closedQuick: string;
let overdueLeak: string;
let confidentialRef: string;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  const resident = await makeConstituent(ds, city.intake.viewer, {
    firstName: "Marisol",
    lastName: "Quintero",
    addressLine1: "42 Palo Verde Dr",
    postalCode: "85301",
  });
  const received = new Date(Date.now() - 10 * DAY);
  const a = await makeAssignment(ds, city.intake.viewer, {
    categoryId: city.pothole.id,
    contact: { constituentId: resident.id },
    assignment: { status: "COMPLETED" as never, completedAt: new Date(received.getTime() + 24 * 3600_000) },
  });
  await ds.query(
    `UPDATE contact SET received_at = $2, description = 'Deep pothole on Palo Verde' WHERE id = $1`,
    [a.contact.id, received],
  );
  closedQuick = a.contact.referenceNumber;
  const b = await makeAssignment(ds, city.intake.viewer, {
    categoryId: city.leak.id,
    assignment: { dueAt: new Date(Date.now() - DAY) },
  });
  await ds.query(
    `UPDATE contact SET channel = 'EMAIL', description = 'Water gushing from a hydrant' WHERE id = $1`,
    [b.contact.id],
  );
  overdueLeak = b.contact.referenceNumber;
  const c = await makeAssignment(ds, city.intake.viewer, {
    categoryId: city.pothole.id,
    contact: { confidential: true },
  });
  confidentialRef = c.contact.referenceNumber;
});
afterAll(() => ds.destroy());

describe("contacts for analysts", () => {
  it("filters by channel, category, department, status, dates, overdue and words in the description", async () => {
    const as = (filter: object) => gql(ds, city.analyst.viewer, CONTACTS, { filter });
    expect(refs(await as({ channel: ["EMAIL"] }))).toEqual([overdueLeak]);
    expect(refs(await as({ categoryId: [city.pothole.id] }))).toEqual([closedQuick, confidentialRef].sort());
    expect(refs(await as({ departmentId: [city.water.id] }))).toEqual([overdueLeak]);
    expect(refs(await as({ status: ["COMPLETED"] }))).toEqual([closedQuick]);
    expect(refs(await as({ overdue: true }))).toEqual([overdueLeak]);
    expect(refs(await as({ text: "hydrant" }))).toEqual([overdueLeak]);
    expect(refs(await as({ referenceNumber: closedQuick.toLowerCase() }))).toEqual([closedQuick]);
    expect(refs(await as({ receivedTo: new Date(Date.now() - 5 * DAY).toISOString() }))).toEqual([
      closedQuick,
    ]);
    expect(refs(await as({ confidential: true }))).toEqual([confidentialRef]);
  });

  it("pages newest first with cursors, and caps the page size", async () => {
    const first = await gql(ds, city.analyst.viewer, CONTACTS, { first: 2 });
    expect(first.data!.contacts.totalCount).toBe(3);
    expect(first.data!.contacts.pageInfo.hasNextPage).toBe(true);
    const next = await gql(ds, city.analyst.viewer, CONTACTS, {
      first: 2,
      after: first.data!.contacts.pageInfo.endCursor,
    });
    expect(
      next.data!.contacts.edges.map((e: { node: { referenceNumber: string } }) => e.node.referenceNumber),
    ).toEqual([closedQuick]);
    expect(next.data!.contacts.pageInfo.hasNextPage).toBe(false);
    expect(errorCodes(await gql(ds, city.analyst.viewer, CONTACTS, { first: 201 }))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(errorCodes(await gql(ds, city.analyst.viewer, CONTACTS, { after: "bm90IGEgY3Vyc29y" }))).toEqual([
      "BAD_USER_INPUT",
    ]);
  });

  it("never ties a confidential contact to a person", async () => {
    const res = await gql(ds, city.analyst.viewer, CONTACTS, { filter: { confidential: true } });
    expect(res.data!.contacts.edges[0].node).toMatchObject({ confidential: true, constituent: null });
  });

  it("is refused to intake and department staff", async () => {
    expect(errorCodes(await gql(ds, city.intake.viewer, CONTACTS))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await gql(ds, city.streetsStaff.viewer, CONTACTS))).toEqual(["FORBIDDEN"]);
  });
});

describe("assignments for analysts", () => {
  const ASSIGNMENTS = `query($filter: AssignmentFilter) { assignments(filter: $filter, first: 50) {
    totalCount edges { node { status contact { referenceNumber } } } } }`;
  const as = async (filter: object) => {
    const res = await gql(ds, city.analyst.viewer, ASSIGNMENTS, { filter });
    expect(res.errors).toBeUndefined();
    return (res.data!.assignments.edges as { node: { contact: { referenceNumber: string } } }[])
      .map((e) => e.node.contact.referenceNumber)
      .sort();
  };
  const everyStatus = ["OPEN", "IN_PROGRESS", "COMPLETED"];

  it("filters by reference, channel, words, and assignment and completion dates", async () => {
    expect(await as({ status: everyStatus, referenceNumber: overdueLeak.toLowerCase() })).toEqual([
      overdueLeak,
    ]);
    expect(await as({ status: everyStatus, channel: ["EMAIL"] })).toEqual([overdueLeak]);
    expect(await as({ status: everyStatus, text: "palo verde" })).toEqual([closedQuick]);
    const now = Date.now();
    expect(await as({ status: everyStatus, completedFrom: new Date(now - 30 * DAY).toISOString() })).toEqual([
      closedQuick,
    ]);
    expect(await as({ status: everyStatus, assignedTo: new Date(now - 5 * DAY).toISOString() })).toEqual([]);
    expect(await as({ status: everyStatus, assignedFrom: new Date(now - DAY).toISOString() })).toEqual(
      [closedQuick, overdueLeak, confidentialRef].sort(),
    );
  });

  it("refuses an unknown channel and a period that ends before it starts, naming the field", async () => {
    const bad = await gql(ds, city.analyst.viewer, ASSIGNMENTS, {
      filter: {
        completedFrom: new Date().toISOString(),
        completedTo: new Date(Date.now() - DAY).toISOString(),
      },
    });
    expect(errorCodes(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.errors![0].extensions!.field).toBe("filter.completedTo");
    const channel = await gql(ds, city.analyst.viewer, ASSIGNMENTS, { filter: { channel: ["PIGEON"] } });
    expect(errorCodes(channel)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("constituents for analysts", () => {
  const PEOPLE = `query($filter: ConstituentFilter) { constituents(filter: $filter) { totalCount edges { node { id lastName postalCode } } } }`;

  it("filters by name (accents ignored), address and zip", async () => {
    for (const filter of [{ name: "quintéro" }, { address: "palo verde" }, { zip: "85301" }]) {
      const res = await gql(ds, city.analyst.viewer, PEOPLE, { filter });
      expect(
        res.data!.constituents.edges.map((e: { node: { lastName: string } }) => e.node.lastName),
      ).toEqual(["Quintero"]);
    }
    const none = await gql(ds, city.analyst.viewer, PEOPLE, { filter: { zip: "99999" } });
    expect(none.data!.constituents.totalCount).toBe(0);
  });

  it("audits who saw which personal fields of whom", async () => {
    const res = await gql(
      ds,
      city.analyst.viewer,
      `query Look { constituents(filter: { zip: "85301" }) { edges { node { id lastName postalCode } } } }`,
    );
    const id = res.data!.constituents.edges[0].node.id;
    const events = await ds.getRepository(AuditEvent).findBy({ actorId: city.analyst.id, entityId: id });
    expect(events.map((e) => [e.action, e.after])).toContainEqual([
      "constituent.viewed",
      { fields: ["lastName", "postalCode"], via: "analyst workspace", operationName: "Look" },
    ]);
  });

  it("audits nothing when no personal field is returned", async () => {
    const before = await ds.getRepository(AuditEvent).countBy({ actorId: city.analyst.id });
    await gql(ds, city.analyst.viewer, `{ constituents { totalCount edges { node { id } } } }`);
    expect(await ds.getRepository(AuditEvent).countBy({ actorId: city.analyst.id })).toBe(before);
  });
});

describe("contact statistics", () => {
  it("counts and times to close by category", async () => {
    const res = await gql(ds, city.analyst.viewer, STATS, { groupBy: ["CATEGORY"] });
    expect(res.errors).toBeUndefined();
    const byName = Object.fromEntries(
      res.data!.contactStats.map((r: { category: { name: string } }) => [r.category.name, r]),
    );
    expect(byName.Pothole).toMatchObject({
      count: 2,
      closedCount: 1,
      openCount: 1,
      medianHoursToClose: 24,
      avgHoursToClose: 24,
    });
    expect(byName["Water leak"]).toMatchObject({ count: 1, overdueCount: 1, medianHoursToClose: null });
  });

  it("groups by department, channel, week and zip, and counts a confidential request under no zip", async () => {
    const res = await gql(ds, city.analyst.viewer, STATS, {
      groupBy: ["DEPARTMENT", "CHANNEL", "WEEK", "ZIP"],
    });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.contactStats;
    expect(rows.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(3);
    expect(rows.map((r: { zip: string | null }) => r.zip)).toEqual(expect.arrayContaining(["85301", null]));
    for (const r of rows) expect(r.week).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("narrows with the same filter as the list", async () => {
    const res = await gql(ds, city.analyst.viewer, STATS, { groupBy: [], filter: { overdue: true } });
    expect(res.data!.contactStats).toEqual([expect.objectContaining({ count: 1, overdueCount: 1 })]);
  });
});

describe("saved queries", () => {
  const SAVE = `mutation($input: SaveQueryInput!) { saveQuery(input: $input) { id name query variables } }`;

  it("keeps each analyst's own queries apart", async () => {
    const saved = await gql(ds, city.analyst.viewer, SAVE, {
      input: { name: "Overdue by department", query: "{ contactStats(groupBy: [DEPARTMENT]) { count } }" },
    });
    expect(saved.errors).toBeUndefined();
    const colleague = await makeStaff(ds, Role.ANALYST);
    const theirs = await gql(ds, colleague.viewer, `{ savedQueries { id } }`);
    expect(theirs.data!.savedQueries).toEqual([]);
    const mine = await gql(ds, city.analyst.viewer, `{ savedQueries { name } }`);
    expect(mine.data!.savedQueries).toEqual([{ name: "Overdue by department" }]);
    const stolen = await gql(
      ds,
      colleague.viewer,
      `mutation($id: ID!) { deleteSavedQuery(input: { id: $id }) }`,
      {
        id: saved.data!.saveQuery.id,
      },
    );
    expect(errorCodes(stolen)).toEqual(["NOT_FOUND"]);
  });

  it("refuses a mutation, text that is not GraphQL, variables that are not an object and a taken name", async () => {
    for (const input of [
      { name: "a", query: "mutation { recordContact }" },
      { name: "b", query: "{ unclosed" },
      { name: "c", query: "{ me { id } }", variables: "[1]" },
      { name: "Overdue by department", query: "{ me { id } }" },
    ]) {
      expect(errorCodes(await gql(ds, city.analyst.viewer, SAVE, { input }))).toHaveLength(1);
    }
  });
});

describe("read-only by construction", () => {
  it("refuses every mutation of city data to an analyst, even a public one, before it runs", async () => {
    const res = await gql(
      ds,
      city.analyst.viewer,
      `mutation { submitServiceRequest(input: { categoryId: "${city.pothole.id}", description: "x", publicRecordNoticeAcknowledged: true }) { __typename } }`,
    );
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    const mixed = await gql(
      ds,
      city.analyst.viewer,
      `mutation { saveQuery(input: { name: "z", query: "{ me { id } }" }) { id } claimAssignment(input: { id: "00000000-0000-0000-0000-000000000000", version: 1 }) { id } }`,
    );
    expect(errorCodes(mixed)).toEqual(["FORBIDDEN"]);
    expect(await gql(ds, city.analyst.viewer, `{ savedQueries { name } }`)).not.toMatchObject({
      data: { savedQueries: [{ name: "z" }] },
    });
  });

  it("runs analyst reads in a read-only transaction under the statement timeout", async () => {
    await expect(
      analystReads(ds, (db) =>
        db.query(`INSERT INTO department (code, name, email) VALUES ('X', 'X', 'x@x.x')`),
      ),
    ).rejects.toThrow(/read-only/);
    process.env.STAR_ANALYST_STATEMENT_TIMEOUT_MS = "200";
    resetConfig();
    try {
      const [{ statement_timeout: setting }] = await analystReads(ds, (db) =>
        db.query(`SHOW statement_timeout`),
      );
      expect(setting).toBe("200ms");
      // PGlite runs in WebAssembly without timers and cannot cancel a running statement; PostgreSQL does.
      if (process.env.STAR_TEST_TARGET === "postgresql") {
        await expect(analystReads(ds, (db) => db.query(`SELECT pg_sleep(2)`))).rejects.toMatchObject({
          code: "BAD_USER_INPUT",
        });
      }
    } finally {
      delete process.env.STAR_ANALYST_STATEMENT_TIMEOUT_MS;
      resetConfig();
    }
  });
});
