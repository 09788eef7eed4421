import type { DataSource } from "typeorm";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { gql, countStatements, errorCodes } from "../support/graphql";
import { makeCity } from "../factories/reference.factory";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { recordContact } from "../../src/server/intake/intake.service";
import { Channel } from "../../entities";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const RECORD = `mutation($input: RecordContactInput!) {
  recordContact(input: $input) { referenceNumber channel status category { name }
    assignments { status dueAt department { id name } } } }`;

describe("recordContact", () => {
  it("routes a phone call to the category's department with a due date", async () => {
    const c = await makeConstituent(ds, city.intake.viewer, { firstName: "José", lastName: "García" });
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: {
        constituentId: c.id,
        channel: "PHONE",
        categoryId: city.pothole.id,
        description: "Pothole on 5th",
        receivedAt: new Date().toISOString(),
      },
    });
    expect(res.errors).toBeUndefined();
    const contact = res.data!.recordContact;
    expect(contact.referenceNumber).toMatch(/^STAR-\d{2}-\d{6}$/);
    expect(contact.status).toBe("OPEN");
    expect(contact.assignments).toHaveLength(1);
    expect(contact.assignments[0].department.id).toBe(city.streets.id);
    expect(new Date(contact.assignments[0].dueAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("writes nothing when it fails after the contact insert", async () => {
    const before = await rowCount(ds, "contact");
    const c = await makeConstituent(ds, city.intake.viewer);
    await expect(
      recordContact(
        ds,
        city.intake.viewer,
        { constituentId: c.id, channel: Channel.LETTER, categoryId: city.pothole.id, description: "x" },
        {
          afterContactInsert: async () => {
            throw new Error("injected failure");
          },
        },
      ),
    ).rejects.toThrow("injected failure");
    expect(await rowCount(ds, "contact")).toBe(before);
  });

  it("refuses an unknown category naming the field, and writes nothing", async () => {
    const before = await rowCount(ds, "contact");
    const c = await makeConstituent(ds, city.intake.viewer);
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: {
        constituentId: c.id,
        channel: "PHONE",
        categoryId: "00000000-0000-4000-8000-000000000000",
        description: "x",
      },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("categoryId");
    expect(await rowCount(ds, "contact")).toBe(before);
  });
});

describe("constituent screen", () => {
  it("costs the same number of SQL statements for 1 or 25 contacts", async () => {
    const small = await makeConstituent(ds, city.intake.viewer);
    const big = await makeConstituent(ds, city.intake.viewer);
    await makeContact(ds, city.intake.viewer, { constituentId: small.id, categoryId: city.pothole.id });
    for (let i = 0; i < 25; i++) {
      await makeContact(ds, city.intake.viewer, {
        constituentId: big.id,
        categoryId: i % 2 ? city.pothole.id : city.leak.id,
      });
    }
    const q = `query($id: ID!) { constituent(id: $id) { id firstName contacts { referenceNumber status category { name department { name } }
      assignments { status dueAt department { name } responses { body } } attachments { fileName } } } }`;
    // Steady state: the first run prepares the statements.
    await gql(ds, city.streetsStaff.viewer, q, { id: small.id });
    const one = await countStatements(() => gql(ds, city.streetsStaff.viewer, q, { id: small.id }));
    const many = await countStatements(() => gql(ds, city.streetsStaff.viewer, q, { id: big.id }));
    expect(one.result.errors).toBeUndefined();
    expect(many.result.data!.constituent.contacts).toHaveLength(25);
    expect(many.statements).toBe(one.statements);
    expect(many.statements).toBeLessThanOrEqual(2);
  });
});
