import type { DataSource } from "typeorm";
import { Constituent } from "../../entities";
import { viewLog } from "../../src/server/audit/view-log";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCategory, makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let person: Constituent;
let retiredCategoryId: string;

const TABLES = ["constituent", "contact", "assignment", "confidential_callback", "attachment", "audit_event"];
async function counts(): Promise<number[]> {
  await viewLog(ds).flush(); // buffered "viewed" audit events must not land mid-measurement
  return Promise.all(TABLES.map((t) => rowCount(ds, t)));
}

const RECORD = `mutation($input: RecordContactInput!) { recordContact(input: $input) { referenceNumber } }`;
const CREATE = `mutation($input: CreateConstituentInput!) { createConstituent(input: $input) {
  created constituent { id } } }`;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  person = await makeConstituent(ds, city.intake.viewer);
  retiredCategoryId = (await makeCategory(ds, { departmentId: city.streets.id, active: false })).id;
});
afterAll(() => ds.destroy());

const contactInput = (extra: Record<string, unknown> = {}) => ({
  constituentId: person.id,
  channel: "LETTER",
  categoryId: city.pothole.id,
  description: "The sidewalk is broken in front of 410 N 3rd Ave.",
  ...extra,
});

describe("recordContact refuses bad input, naming the field, and writes nothing", () => {
  const cases: [string, () => Record<string, unknown>, string][] = [
    ["a blank description", () => contactInput({ description: "   " }), "description"],
    [
      "a description of 4,001 characters",
      () => contactInput({ description: "a".repeat(4001) }),
      "description",
    ],
    [
      "HTML in the description",
      () => contactInput({ description: "Hi <script>alert(1)</script>" }),
      "description",
    ],
    [
      "an HTML tag with attributes",
      () => contactInput({ description: 'see <img src="x" onerror=y>' }),
      "description",
    ],
    [
      "control characters in the description",
      () => contactInput({ description: "bell\u0007" }),
      "description",
    ],
    [
      "an unknown category",
      () => contactInput({ categoryId: "00000000-0000-4000-8000-000000000000" }),
      "categoryId",
    ],
    ["a category id that is not an id", () => contactInput({ categoryId: "potholes" }), "categoryId"],
    ["a retired category", () => contactInput({ categoryId: retiredCategoryId }), "categoryId"],
    [
      "an unknown constituent",
      () => contactInput({ constituentId: "00000000-0000-4000-8000-000000000000" }),
      "constituentId",
    ],
    ["no constituent and not confidential", () => contactInput({ constituentId: null }), "constituentId"],
    [
      "a receivedAt in the future",
      () => contactInput({ receivedAt: new Date(Date.now() + 3_600_000).toISOString() }),
      "receivedAt",
    ],
    [
      "a receivedAt more than a year ago",
      () => contactInput({ receivedAt: new Date(Date.now() - 400 * 86_400_000).toISOString() }),
      "receivedAt",
    ],
    ["a latitude without a longitude", () => contactInput({ locationLat: 33.45 }), "locationLong"],
    ["a longitude without a latitude", () => contactInput({ locationLong: -112.07 }), "locationLat"],
    [
      "a latitude out of range",
      () => contactInput({ locationLat: 95, locationLong: -112.07 }),
      "locationLat",
    ],
    [
      "a location address of 301 characters",
      () => contactInput({ locationAddress: "x".repeat(301) }),
      "locationAddress",
    ],
    [
      "a malformed callback phone",
      () => contactInput({ constituentId: null, confidential: true, callbackPhone: "555-01" }),
      "callbackPhone",
    ],
    [
      "a malformed callback email",
      () => contactInput({ constituentId: null, confidential: true, callbackEmail: "quiet at example" }),
      "callbackEmail",
    ],
    [
      "a new constituent's malformed phone",
      () => contactInput({ constituentId: null, newConstituent: { lastName: "Okafor", phone: "12345" } }),
      "newConstituent.phone",
    ],
    [
      "a new constituent's malformed email",
      () => contactInput({ constituentId: null, newConstituent: { lastName: "Okafor", email: "okafor@" } }),
      "newConstituent.email",
    ],
    [
      "a new constituent with no name",
      () => contactInput({ constituentId: null, newConstituent: { email: "nameless@example.org" } }),
      "newConstituent.lastName",
    ],
    [
      "an attachment id that is not an id",
      () => contactInput({ attachmentIds: ["letter.pdf"] }),
      "attachmentIds[0]",
    ],
    [
      "an attachment that is not an upload of yours",
      () => contactInput({ attachmentIds: ["00000000-0000-4000-8000-000000000000"] }),
      "attachmentIds",
    ],
  ];

  it.each(cases)("refuses %s", async (_what, input, field) => {
    const before = await counts();
    const res = await gql(ds, city.intake.viewer, RECORD, { input: input() });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe(field);
    expect(res.errors![0].message).toContain(field);
    expect(res.data).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it("accepts exactly 4,000 characters, counted as characters, not UTF-16 units", async () => {
    const before = await rowCount(ds, "contact");
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: contactInput({ description: "🚧".repeat(4000) }),
    });
    expect(res.errors).toBeUndefined();
    expect(await rowCount(ds, "contact")).toBe(before + 1);
  });

  it("accepts plain text that merely mentions < and >", async () => {
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: contactInput({ description: "Water pressure < 20 psi, and > 3 days now" }),
    });
    expect(res.errors).toBeUndefined();
  });

  it.each([
    ["description", { constituentId: "x", channel: "PHONE", categoryId: "y" }],
    ["categoryId", { constituentId: "x", channel: "PHONE", description: "y" }],
    ["channel", { constituentId: "x", categoryId: "y", description: "z" }],
  ])("refuses a missing required %s, naming it, and writes nothing", async (field, input) => {
    const before = await counts();
    const res = await gql(ds, city.intake.viewer, RECORD, { input });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].message).toContain(`"${field}"`);
    expect(res.errors![0].extensions!.field).toBe(field);
    expect(res.data).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it("refuses an unknown channel, naming it", async () => {
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: contactInput({ channel: "CARRIER_PIGEON" }),
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].message).toContain("CARRIER_PIGEON");
    expect(res.errors![0].extensions!.field).toBe("channel");
  });

  it("refuses a receivedAt that is not a date", async () => {
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: contactInput({ receivedAt: "last Tuesday" }),
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].message).toContain("receivedAt");
    expect(res.errors![0].extensions!.field).toBe("receivedAt");
  });
});

describe("createConstituent refuses bad input, naming the field, and writes nothing", () => {
  it.each([
    ["no name or organization", { email: "someone@example.org" }, "lastName"],
    ["a malformed phone", { lastName: "Okafor", phone: "(602) 555-01" }, "phone"],
    ["a phone with an extension", { lastName: "Okafor", phone: "602-555-0142 ext 4" }, "phone"],
    ["a malformed email", { lastName: "Okafor", email: "okafor@example" }, "email"],
    ["a first name of 101 characters", { firstName: "x".repeat(101), lastName: "Okafor" }, "firstName"],
    ["HTML in a name", { lastName: "<b>Okafor</b>" }, "lastName"],
    ["a malformed ZIP code", { lastName: "Okafor", postalCode: "8500" }, "postalCode"],
  ])("refuses %s", async (_what, input, field) => {
    const before = await counts();
    const res = await gql(ds, city.intake.viewer, CREATE, {
      input: { ...input, confirmNotDuplicateReason: "new" },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe(field);
    expect(await counts()).toEqual(before);
  });
});

describe("GraphQL limits", () => {
  it("refuses a query nested 9 deep, one more than allowed, without running it", async () => {
    const q = `query($id: ID!) { constituent(id: $id) { contacts { constituent { contacts {
      constituent { contacts { constituent { contacts { id } } } } } } } } }`;
    const res = await gql(ds, city.intake.viewer, q, { id: person.id });
    expect(res.errors!.length).toBeGreaterThan(0);
    expect(res.errors![0].message).toMatch(/depth/i);
    expect(errorCodes(res)[0]).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.data).toBeUndefined();
  });

  it("refuses a deeply nested query", async () => {
    let selection = "id";
    for (let i = 0; i < 20; i++) selection = `contacts { constituent { ${selection} } }`;
    const res = await gql(
      ds,
      city.intake.viewer,
      `query($id: ID!) { constituent(id: $id) { ${selection} } }`,
      {
        id: person.id,
      },
    );
    expect(errorCodes(res)[0]).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.data).toBeUndefined();
  });

  it("runs a query nested exactly 8 deep", async () => {
    const q = `query($id: ID!) { constituent(id: $id) { contacts { constituent { contacts {
      constituent { contacts { constituent { id } } } } } } } }`;
    const res = await gql(ds, city.intake.viewer, q, { id: person.id });
    expect(res.errors).toBeUndefined();
  });

  it("refuses a query over the cost limit without running it, and runs a cheaper one of the same shape", async () => {
    // Page sizes count: two pages of 200 contacts cost more than the limit, two of 20 do not.
    const query = (first: number) =>
      `{ ${["a", "b"]
        .map((a) => `${a}: contacts(first: ${first}) { edges { node { id referenceNumber description } } }`)
        .join(" ")} }`;
    const costly = await gql(ds, city.analyst.viewer, query(200));
    expect(costly.errors![0].message).toMatch(/cost/i);
    expect(errorCodes(costly)[0]).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(costly.data).toBeUndefined();
    const cheap = await gql(ds, city.analyst.viewer, query(20));
    expect(cheap.errors).toBeUndefined();
    expect(Array.isArray(cheap.data!.a.edges)).toBe(true);
  });

  it("refuses more than 15 aliases", async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(" ");
    const res = await gql(ds, city.intake.viewer, `{ ${aliases} }`);
    expect(res.errors![0].message).toMatch(/alias/i);
    expect(errorCodes(res)[0]).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.data).toBeUndefined();
  });

  it("allows 15 aliases", async () => {
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: me { id }`).join(" ");
    const res = await gql(ds, city.intake.viewer, `{ ${aliases} }`);
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data!)).toHaveLength(15);
  });

  it("refuses an alias-amplified write before it runs", async () => {
    const before = await counts();
    const writes = Array.from(
      { length: 16 },
      (_, i) => `w${i}: recordContact(input: $input) { referenceNumber }`,
    ).join(" ");
    const res = await gql(ds, city.intake.viewer, `mutation($input: RecordContactInput!) { ${writes} }`, {
      input: contactInput(),
    });
    expect(res.errors!.length).toBeGreaterThan(0);
    expect(res.data).toBeUndefined();
    expect(await counts()).toEqual(before);
  });
});
