import fc from "fast-check";
import type { GraphQLSchema } from "graphql";
import type { DataSource } from "typeorm";
import { Role } from "../../entities";
import { getSchema } from "../../graphql/schema";
import { viewLog } from "../../src/server/audit/view-log";
import type { Viewer } from "../../src/server/auth/viewer";
import { recordContact } from "../../src/server/intake/intake.service";
import { makeAssignment } from "../factories/assignment.factory";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { dumpAllTables, openTestDataSource, resetDatabase } from "../support/db";
import { gql } from "../support/graphql";
import { randomOperation, randomSelection, type ValuePools } from "../support/random-query";

let ds: DataSource;
let schema: GraphQLSchema;
let city: Awaited<ReturnType<typeof makeCity>>;
const pools: ValuePools = { ids: [], strings: ["", "a", "pothole", "STAR-26-000001", "%", "' OR 1=1 --"] };

const CALLBACKS = [
  "+16235550143",
  "(623) 555-0143",
  "hidden.caller@example.org",
  "+16235550188",
  "another.caller@example.org",
];
const FAVOURED = [
  "contact",
  "contacts",
  "constituent",
  "constituents",
  "searchConstituents",
  "assignments",
  "assignment",
];
const confidentialIds = new Set<string>();
const constituentIds = new Set<string>();
const personMarkers: string[] = [];

interface Seat {
  name: string;
  viewer: Viewer | null;
  /** May read a confidential request's callback (the City Manager's Office, the assigned department). */
  seesCallbacks: boolean;
}
let seats: Seat[];
let analystSeats: Seat[];

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  schema = await getSchema();
  city = await makeCity(ds);
  const clerk = await makeStaff(ds, Role.INTAKE);
  const admin = await makeStaff(ds, Role.ADMIN);
  for (let i = 0; i < 4; i++) {
    const person = await makeConstituent(ds, clerk.viewer, {
      firstName: `Zephyrine${i}`,
      lastName: `Okonkwo${i}`,
      phone: `(602) 555-01${10 + i}`,
      addressLine1: `${100 + i} W Mesquite Trl`,
      postalCode: `8530${i}`,
    });
    constituentIds.add(person.id);
    personMarkers.push(
      person.firstName!,
      person.lastName!,
      person.email!,
      person.phone!,
      person.addressLine1!,
    );
    pools.strings.push(person.lastName!, person.email!);
    const { contact, assignment } = await makeAssignment(ds, clerk.viewer, {
      categoryId: i % 2 ? city.pothole.id : city.leak.id,
      contact: { constituentId: person.id },
      assignment: i === 0 ? { status: "COMPLETED" as never, completedAt: new Date() } : undefined,
    });
    pools.ids.push(person.id, contact.id, assignment.id);
    pools.strings.push(contact.referenceNumber);
  }
  for (const [i, [phone, email]] of [
    [CALLBACKS[0], CALLBACKS[2]],
    [CALLBACKS[3], CALLBACKS[4]],
  ].entries()) {
    const contact = await recordContact(ds, clerk.viewer, {
      confidential: true,
      callbackPhone: phone,
      callbackEmail: email,
      channel: "PHONE" as never,
      categoryId: city.pothole.id,
      description: `Confidential report ${i}: retaliation feared over the canal dumping`,
    });
    confidentialIds.add(contact.id);
    confidentialRefs.push(contact.referenceNumber);
    pools.ids.push(contact.id, contact.assignments![0].id);
    pools.strings.push(contact.referenceNumber);
  }
  // A confidential report linked as a later report of a person's contact: the link is to that contact, not
  // to a requester, and must never lead from the confidential report to anyone.
  const [firstReport] = await ds.query(
    `SELECT id FROM contact WHERE NOT confidential ORDER BY received_at LIMIT 1`,
  );
  await ds.query(`UPDATE contact SET duplicate_of_id = $1 WHERE id = $2`, [
    firstReport.id,
    [...confidentialIds][1],
  ]);
  pools.ids.push(city.pothole.id, city.leak.id, city.streets.id, city.water.id, city.analyst.id, clerk.id);

  const token = (v: Viewer): Viewer => ({ ...v, readOnly: true });
  analystSeats = [
    { name: "ANALYST", viewer: city.analyst.viewer, seesCallbacks: false },
    { name: "ANALYST token", viewer: token(city.analyst.viewer), seesCallbacks: false },
  ];
  seats = [
    ...analystSeats,
    { name: "INTAKE (entered them)", viewer: clerk.viewer, seesCallbacks: false },
    { name: "INTAKE", viewer: city.intake.viewer, seesCallbacks: false },
    { name: "DEPARTMENT (assigned)", viewer: city.streetsStaff.viewer, seesCallbacks: true },
    { name: "DEPARTMENT (not assigned)", viewer: city.waterStaff.viewer, seesCallbacks: false },
    { name: "REVIEWER", viewer: city.reviewer.viewer, seesCallbacks: true },
    { name: "REVIEWER token", viewer: token(city.reviewer.viewer), seesCallbacks: true },
    { name: "ADMIN", viewer: admin.viewer, seesCallbacks: false },
    { name: "anonymous", viewer: null, seesCallbacks: false },
  ];
});
afterAll(() => ds.destroy());

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

/**
 * Problems in a response: a callback where it may not be, or a path between a person and a confidential
 * contact that does not pass through another contact (a duplicate's first report belongs to its own reporter).
 */
function problems(data: Json, seesCallbacks: boolean): string[] {
  const found: string[] = [];
  const text = JSON.stringify(data);
  if (!seesCallbacks)
    for (const c of CALLBACKS) if (text.includes(c)) found.push(`callback ${c} in the response`);
  const walk = (node: Json, owner: "person" | "confidential" | "other", path: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, owner, `${path}[${i}]`));
    if (typeof node === "string") {
      if (owner === "confidential" && (personMarkers.includes(node) || constituentIds.has(node)))
        found.push(`${path}: a person's ${node} inside a confidential contact`);
      return;
    }
    if (!node || typeof node !== "object") return;
    let next = owner;
    if (node.__typename === "Contact") {
      const confidential = confidentialIds.has(node.id as string);
      if (confidential && owner === "person") found.push(`${path}: a confidential contact under a person`);
      next = confidential ? "confidential" : "other";
    } else if (node.__typename === "Constituent" || node.__typename === "ConstituentMatch") {
      if (owner === "confidential") found.push(`${path}: a person under a confidential contact`);
      next = "person";
    }
    for (const [k, v] of Object.entries(node)) walk(v, next, `${path}.${k}`);
  };
  walk(data, "other", "data");
  return found;
}

const confidentialRefs: string[] = [];

/** Root fields that reach confidential contacts for most roles, each with a random selection below. */
const PROBES: ((seed: number) => string)[] = [
  (seed) =>
    `query { contact(referenceNumber: "${confidentialRefs[seed & 1]}") { ${randomSelection(schema, "Contact", seed, pools)} } }`,
  (seed) =>
    `query { contacts(filter: { confidential: true }) { edges { node { ${randomSelection(schema, "Contact", seed, pools)} } } } }`,
  (seed) =>
    `query { assignments(filter: { status: [OPEN, IN_PROGRESS, COMPLETED] }) { edges { node { ${randomSelection(schema, "Assignment", seed, pools)} } } } }`,
  (seed) =>
    `query { constituents { edges { node { ${randomSelection(schema, "Constituent", seed, pools)} } } } }`,
];

/** Half fully random operations over the whole schema, half random selections under the probes. */
const operation = (kinds: ("query" | "mutation")[]) =>
  fc.oneof(
    fc
      .record({ seed: fc.integer(), kind: fc.constantFrom(...kinds) })
      .map((op) => () => randomOperation(schema, op.seed, op.kind, pools, FAVOURED)),
    fc
      .record({ seed: fc.integer(), probe: fc.nat(PROBES.length - 1) })
      .map((op) => () => PROBES[op.probe](op.seed)),
  );

/** Everything but the analyst's own workspace and the audit of what the analyst looked at. */
async function cityData(): Promise<string> {
  await viewLog(ds).flush();
  return (
    (await dumpAllTables(ds))
      .split("\n")
      // Public rate-limit counters count requests, they hold no city data.
      .filter((line) => !/^(saved_query|api_token|public_rate_limit): /.test(line))
      .filter(
        (line) =>
          !(
            line.startsWith("audit_event: ") &&
            line.includes(`"actor_id":"${city.analyst.id}"`) &&
            /"action":"(constituent\.viewed|saved_query\.\w+|api_token\.\w+)"/.test(line)
          ),
      )
      .join("\n")
  );
}

describe("random queries built from the schema", () => {
  it("uses a checker that finds a callback, a person under a confidential contact and the reverse", () => {
    const conf = [...confidentialIds][0];
    const person = [...constituentIds][0];
    expect(
      problems({ a: { __typename: "Contact", id: conf, callback: { phone: CALLBACKS[0] } } }, false),
    ).toHaveLength(1);
    expect(
      problems({ a: { __typename: "Contact", id: conf, callback: { phone: CALLBACKS[0] } } }, true),
    ).toEqual([]);
    const tie = { __typename: "Contact", id: conf, constituent: { __typename: "Constituent", id: person } };
    expect(problems({ a: tie }, true).length).toBeGreaterThan(0);
    const reverse = {
      __typename: "Constituent",
      id: person,
      contacts: [{ __typename: "Contact", id: conf }],
    };
    expect(problems({ a: reverse }, true).length).toBeGreaterThan(0);
    expect(problems({ a: { __typename: "Contact", id: conf, note: personMarkers[1] } }, true).length).toBe(1);
    // A duplicate's first report is another contact, with its own reporter.
    const chain = {
      __typename: "Contact",
      id: conf,
      duplicateOf: { __typename: "Contact", id: "x", constituent: { __typename: "Constituent", id: person } },
    };
    expect(problems({ a: chain }, true)).toEqual([]);
  });

  it("never show a callback or tie a confidential contact to a person, and an analyst changes nothing", async () => {
    const before = await cityData();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...analystSeats),
        operation(["query", "query", "mutation"]),
        async (seat, op) => {
          const query = op();
          const res = await gql(ds, seat.viewer, query);
          expect({ query, problems: problems((res.data ?? null) as Json, seat.seesCallbacks) }).toEqual({
            query,
            problems: [],
          });
        },
      ),
      { numRuns: 400 },
    );
    expect(await cityData()).toBe(before);
  }, 150_000);

  it("never show a callback or tie a confidential contact to a person, whoever asks", async () => {
    let answered = 0;
    let confidentialSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seats),
        operation(["query", "query", "query", "mutation"]),
        async (seat, op) => {
          const query = op();
          const res = await gql(ds, seat.viewer, query);
          if (res.data && Object.values(res.data).some((v) => v !== null)) answered++;
          if ([...confidentialIds].some((id) => JSON.stringify(res.data ?? null).includes(id)))
            confidentialSeen++;
          expect({
            query,
            seat: seat.name,
            problems: problems((res.data ?? null) as Json, seat.seesCallbacks),
          }).toEqual({ query, seat: seat.name, problems: [] });
        },
      ),
      { numRuns: 600 },
    );
    // The property means something only if many random operations got past validation and the rules, and
    // confidential contacts were in the answers.
    expect(answered).toBeGreaterThan(60);
    expect(confidentialSeen).toBeGreaterThan(60);
  }, 150_000);
});
