import type { DataSource } from "typeorm";
import { Constituent, Role } from "../../entities";
import { viewLog } from "../../src/server/audit/view-log";
import type { Viewer } from "../../src/server/auth/viewer";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql, type GqlResult } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let person: Constituent;
let referenceNumber: string;
let confidentialReference: string;
let seq = 0;

// Distinctive values: if any of them shows up in a refused response, personal data leaked.
const NAME = { firstName: "Philippa", lastName: "Quintanilla-Oyelaran" };
const EMAIL = "philippa.quintanilla@example.org";
const PHONE = "(480) 555-0163";
const CALLBACK_PHONE = "(623) 555-0188";
const CALLBACK_EMAIL = "quiet.caller@example.net";
const SECRETS = [
  NAME.firstName,
  NAME.lastName,
  EMAIL,
  "4805550163",
  "6235550188",
  CALLBACK_EMAIL,
  "Quintanilla",
];

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  person = await makeConstituent(ds, city.intake.viewer, { ...NAME, email: EMAIL, phone: PHONE });
  const contact = await makeContact(ds, city.intake.viewer, {
    constituentId: person.id,
    categoryId: city.pothole.id,
  });
  referenceNumber = contact.referenceNumber;
  const confidential = await makeContact(ds, city.intake.viewer, {
    confidential: true,
    callbackPhone: CALLBACK_PHONE,
    callbackEmail: CALLBACK_EMAIL,
    categoryId: city.pothole.id,
    description: "Someone is dumping in the wash behind the school.",
  });
  confidentialReference = confidential.referenceNumber;
});
afterAll(() => ds.destroy());

type Who = Role | "anonymous";
type Result = GqlResult<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
const EVERYONE: Who[] = [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST, Role.ADMIN, "anonymous"];

function viewerOf(who: Who): Viewer | null {
  switch (who) {
    case Role.INTAKE:
      return city.intake.viewer;
    case Role.DEPARTMENT:
      return city.streetsStaff.viewer; // the department the contacts are routed to
    case Role.REVIEWER:
      return city.reviewer.viewer;
    case Role.ANALYST:
      return city.analyst.viewer;
    case Role.ADMIN:
      return city.admin.viewer;
    default:
      return null;
  }
}

interface Operation {
  name: string;
  allowed: Role[];
  query: string;
  /** Fresh variables per call: mutations change what they touch. */
  variables?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Tables a refused call must leave as they were. */
  tables?: string[];
  /** What an allowed call returns. */
  expectAllowed?: (res: Result) => void;
}

const OPERATIONS: Operation[] = [
  {
    name: "Query.me",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST, Role.ADMIN],
    query: `{ me { id email role } }`,
    expectAllowed: (res) => expect(res.data!.me.id).toBeDefined(),
  },
  {
    name: "Query.departments",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST, Role.ADMIN],
    query: `{ departments { id name } }`,
    expectAllowed: (res) => expect(res.data!.departments.length).toBeGreaterThanOrEqual(2),
  },
  {
    name: "Query.categories",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST, Role.ADMIN],
    query: `{ categories { id name department { name } } }`,
    expectAllowed: (res) => expect(res.data!.categories.length).toBeGreaterThanOrEqual(2),
  },
  {
    name: "Query.searchConstituents",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST],
    query: `query($q: String!) { searchConstituents(query: $q) { score reasons
      constituent { id firstName lastName email phone } } }`,
    variables: () => ({ q: "Philippa Quintanilla" }),
    expectAllowed: (res) =>
      expect(
        res.data!.searchConstituents.map((m: { constituent: { id: string } }) => m.constituent.id),
      ).toContain(person.id),
  },
  {
    name: "Query.constituent",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST],
    query: `query($id: ID!) { constituent(id: $id) { id firstName lastName email phone
      contacts { referenceNumber description } } }`,
    variables: () => ({ id: person.id }),
    expectAllowed: (res) => expect(res.data!.constituent.lastName).toBe(NAME.lastName),
  },
  {
    name: "Query.contact",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST],
    query: `query($ref: String!) { contact(referenceNumber: $ref) { referenceNumber description
      constituent { firstName lastName email phone } } }`,
    variables: () => ({ ref: referenceNumber }),
    expectAllowed: (res) => expect(res.data!.contact.constituent.email).toBe(EMAIL),
  },
  {
    name: "Query.routingPreview",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
    query: `query($cat: ID!) { routingPreview(categoryId: $cat) { dueAt department { id } } }`,
    variables: () => ({ cat: city.pothole.id }),
    expectAllowed: (res) => expect(res.data!.routingPreview.department.id).toBe(city.streets.id),
  },
  {
    name: "Mutation.createConstituent",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
    query: `mutation($input: CreateConstituentInput!) { createConstituent(input: $input) {
      created constituent { id firstName lastName } duplicates { score constituent { firstName lastName email } } } }`,
    variables: () => ({
      input: {
        firstName: "Quintanilla",
        lastName: `Newcomer${++seq}`,
        email: `newcomer${seq}@example.org`,
        confirmNotDuplicateReason: "a different person",
      },
    }),
    tables: ["constituent", "audit_event"],
    expectAllowed: (res) => expect(res.data!.createConstituent.created).toBe(true),
  },
  {
    name: "Mutation.updateConstituent",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
    query: `mutation($input: UpdateConstituentInput!) { updateConstituent(input: $input) {
      id version firstName lastName email } }`,
    variables: async () => {
      const current = await ds.getRepository(Constituent).findOneByOrFail({ id: person.id });
      return { input: { id: person.id, version: current.version, addressLine2: `Apt ${++seq}` } };
    },
    tables: ["constituent", "audit_event"],
    expectAllowed: (res) => expect(res.data!.updateConstituent.id).toBe(person.id),
  },
  {
    name: "Mutation.mergeConstituents",
    allowed: [Role.INTAKE, Role.REVIEWER],
    query: `mutation($input: MergeConstituentsInput!) { mergeConstituents(input: $input) {
      id firstName lastName email } }`,
    variables: async () => {
      const survivor = await makeConstituent(ds, city.intake.viewer, { firstName: "Quintanilla" });
      const duplicate = await makeConstituent(ds, city.intake.viewer, { firstName: "Quintanilla" });
      return { input: { survivorId: survivor.id, duplicateId: duplicate.id, reason: "same person" } };
    },
    tables: ["audit_event"],
    expectAllowed: (res) => expect(res.data!.mergeConstituents.id).toBeDefined(),
  },
  {
    name: "Mutation.recordContact",
    allowed: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
    query: `mutation($input: RecordContactInput!) { recordContact(input: $input) {
      referenceNumber constituent { firstName lastName email } } }`,
    variables: () => ({
      input: {
        constituentId: person.id,
        channel: "PHONE",
        categoryId: city.pothole.id,
        description: "Streetlight out at the corner",
      },
    }),
    tables: ["contact", "assignment", "audit_event"],
    expectAllowed: (res) => expect(res.data!.recordContact.constituent.lastName).toBe(NAME.lastName),
  },
  {
    name: "Contact.callback",
    // The clerk who entered the confidential request may read it, but not its callback.
    allowed: [Role.DEPARTMENT, Role.REVIEWER],
    query: `query($ref: String!) { contact(referenceNumber: $ref) { referenceNumber
      callback { phone email } } }`,
    variables: () => ({ ref: confidentialReference }),
    expectAllowed: (res) =>
      expect(res.data!.contact.callback).toEqual({ phone: "+16235550188", email: CALLBACK_EMAIL }),
  },
];

async function counts(tables: string[] = []): Promise<number[]> {
  await viewLog(ds).flush(); // buffered "viewed" audit events must not land mid-measurement
  return Promise.all(tables.map((t) => rowCount(ds, t)));
}

/** Every field that carries data in a response, flattened to text. */
function leakedText(res: Result): string {
  return JSON.stringify(res.data ?? null);
}

describe.each(OPERATIONS)("$name", (op) => {
  const denied = EVERYONE.filter((w) => w !== "anonymous" && !op.allowed.includes(w));

  it.each(op.allowed)("is allowed for %s", async (who) => {
    const res = await gql(ds, viewerOf(who), op.query, await op.variables?.());
    expect(res.errors).toBeUndefined();
    op.expectAllowed?.(res);
  });

  if (denied.length) {
    it.each(denied)("is FORBIDDEN for %s, with no personal data and no change", async (who) => {
      const vars = await op.variables?.();
      const before = await counts(op.tables);
      const res = await gql(ds, viewerOf(who), op.query, vars);
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      const text = leakedText(res);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(await counts(op.tables)).toEqual(before);
    });
  }

  it("is UNAUTHENTICATED for an anonymous caller, with no data and no change", async () => {
    const vars = await op.variables?.();
    const before = await counts(op.tables);
    const res = await gql(ds, null, op.query, vars);
    expect(errorCodes(res)).toEqual(["UNAUTHENTICATED"]);
    const text = leakedText(res);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(await counts(op.tables)).toEqual(before);
  });
});

describe("refused responses", () => {
  it("hold nothing at all for a refused root field", async () => {
    const res = await gql(ds, city.admin.viewer, `query($id: ID!) { constituent(id: $id) { lastName } }`, {
      id: person.id,
    });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.data).toEqual({ constituent: null });
  });

  it("null only the refused field when the rest is allowed", async () => {
    const res = await gql(
      ds,
      city.analyst.viewer,
      `query($ref: String!) { contact(referenceNumber: $ref) { referenceNumber callback { phone email } } }`,
      { ref: confidentialReference },
    );
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.errors![0].path).toEqual(["contact", "callback"]);
    expect(res.data).toEqual({ contact: { referenceNumber: confidentialReference, callback: null } });
  });

  it("carry no role list or stack trace", async () => {
    const res = await gql(ds, city.admin.viewer, `{ searchConstituents(query: "Quintanilla") { score } }`);
    const error = res.errors![0];
    expect(Object.keys(error.extensions!)).toEqual(["code"]);
    expect(JSON.stringify(error)).not.toMatch(/INTAKE|REVIEWER|stack/);
  });
});
