import type { DataSource } from "typeorm";
import { Role } from "../../entities";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { dumpAllTables, openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let reference: string;

// What a caller who asked for confidentiality might still have told the clerk.
const NAME = { firstName: "Evangelina", lastName: "Thistlewood" };
const ADDRESS = { addressLine1: "9187 N Saguaro Vista Ln", city: "Glendale", postalCode: "85308" };
const CALLBACK_PHONE = "(623) 555-0117";
const CALLBACK_PHONE_E164 = "+16235550117";
const CALLBACK_EMAIL = "whistle.blower@example.net";
const DESCRIPTION = "A neighbour runs an unlicensed kennel; dogs howl through the night near the canal.";

const RECORD = `mutation($input: RecordContactInput!) {
  recordContact(input: $input) { referenceNumber confidential constituent { id } assignments { department { id } } } }`;
const CONTACT = `query($ref: String!) { contact(referenceNumber: $ref) {
  referenceNumber description confidential constituent { id } callback { phone email } } }`;
const CONTACT_NO_CALLBACK = `query($ref: String!) { contact(referenceNumber: $ref) {
  referenceNumber description confidential constituent { id } } }`;

const confidentialInput = (extra: Record<string, unknown> = {}) => ({
  confidential: true,
  callbackPhone: CALLBACK_PHONE,
  callbackEmail: CALLBACK_EMAIL,
  channel: "PHONE",
  categoryId: city.pothole.id,
  description: DESCRIPTION,
  ...extra,
});

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  // An ordinary constituent and contact, so that the searches below demonstrably work.
  const other = await makeConstituent(ds, city.intake.viewer, {
    firstName: "Ordinary",
    lastName: "Caller",
    phone: "(623) 555-0199",
  });
  const res = await gql(ds, city.intake.viewer, RECORD, {
    input: {
      constituentId: other.id,
      channel: "PHONE",
      categoryId: city.pothole.id,
      description: "Kennel noise, reported openly",
    },
  });
  expect(res.errors).toBeUndefined();
});
afterAll(() => ds.destroy());

describe("recording a confidential request", () => {
  it("refuses a new constituent (name and address) together with confidential, and writes nothing", async () => {
    const before = await Promise.all(["constituent", "contact", "audit_event"].map((t) => rowCount(ds, t)));
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: confidentialInput({ newConstituent: { ...NAME, ...ADDRESS } }),
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("confidential");
    expect(await Promise.all(["constituent", "contact", "audit_event"].map((t) => rowCount(ds, t)))).toEqual(
      before,
    );
  });

  it("refuses an existing constituent together with confidential", async () => {
    const known = await makeConstituent(ds, city.intake.viewer);
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: confidentialInput({ constituentId: known.id }),
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
  });

  it("refuses a callback on a request that is not confidential", async () => {
    const known = await makeConstituent(ds, city.intake.viewer);
    const res = await gql(ds, city.intake.viewer, RECORD, {
      input: { ...confidentialInput({ constituentId: known.id }), confidential: false },
    });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("callbackPhone");
  });

  it("records it with no constituent, routed to the category's department", async () => {
    const res = await gql(ds, city.intake.viewer, RECORD, { input: confidentialInput() });
    expect(res.errors).toBeUndefined();
    const contact = res.data!.recordContact;
    expect(contact.confidential).toBe(true);
    expect(contact.constituent).toBeNull();
    expect(contact.assignments[0].department.id).toBe(city.streets.id);
    reference = contact.referenceNumber;
  });

  it("leaves no name or address in any table", async () => {
    const dump = await dumpAllTables(ds);
    expect(dump).toContain(reference);
    for (const value of [
      NAME.firstName,
      NAME.lastName,
      ADDRESS.addressLine1,
      "Saguaro Vista",
      "saguaro vista",
    ]) {
      expect(dump).not.toContain(value);
    }
  });

  it("keeps the callback only in its restricted table", async () => {
    const dump = await dumpAllTables(ds);
    const lines = dump
      .split("\n")
      .filter((l) => l.includes(CALLBACK_PHONE_E164) || l.includes(CALLBACK_EMAIL));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^confidential_callback: /);
    expect(dump).not.toContain(CALLBACK_PHONE);
  });

  it("keeps the callback out of the audit trail", async () => {
    const rows: { text: string }[] = await ds.query(`SELECT row_to_json(a)::text AS text FROM audit_event a`);
    const text = rows.map((r) => r.text).join("\n");
    expect(text).toContain(reference);
    expect(text).not.toContain(CALLBACK_PHONE_E164);
    expect(text).not.toContain(CALLBACK_EMAIL);
  });
});

describe("searching", () => {
  const SEARCH = `query($q: String!) { searchConstituents(query: $q, limit: 50) {
    score reasons constituent { id firstName lastName phone email contacts { referenceNumber description } } } }`;

  it.each([Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST])(
    "never shows the request to %s, by callback phone, callback email or description",
    async (role) => {
      const viewer =
        role === Role.INTAKE
          ? city.intake.viewer
          : role === Role.DEPARTMENT
            ? city.streetsStaff.viewer
            : role === Role.REVIEWER
              ? city.reviewer.viewer
              : city.analyst.viewer;
      for (const q of [
        CALLBACK_PHONE,
        "6235550117",
        "555-0117",
        CALLBACK_EMAIL,
        "whistle.blower",
        "kennel howl",
      ]) {
        const res = await gql(ds, viewer, SEARCH, { q });
        expect(res.errors).toBeUndefined();
        const text = JSON.stringify(res.data);
        expect(text).not.toContain(reference);
        expect(text).not.toContain("unlicensed");
        expect(text).not.toContain(CALLBACK_EMAIL);
        expect(text).not.toContain(CALLBACK_PHONE_E164);
      }
    },
  );

  it("still finds an ordinary record by its phone (the search itself works)", async () => {
    const res = await gql(ds, city.reviewer.viewer, SEARCH, { q: "(623) 555-0199" });
    expect(
      res.data!.searchConstituents.map((m: { constituent: { lastName: string } }) => m.constituent.lastName),
    ).toEqual(["Caller"]);
  });
});

describe("reading the request", () => {
  it("shows the callback to the City Manager's Office", async () => {
    const res = await gql(ds, city.reviewer.viewer, CONTACT, { ref: reference });
    expect(res.errors).toBeUndefined();
    expect(res.data!.contact).toMatchObject({
      description: DESCRIPTION,
      constituent: null,
      callback: { phone: CALLBACK_PHONE_E164, email: CALLBACK_EMAIL },
    });
  });

  it("shows the callback to the assigned department", async () => {
    const res = await gql(ds, city.streetsStaff.viewer, CONTACT, { ref: reference });
    expect(res.errors).toBeUndefined();
    expect(res.data!.contact.callback).toEqual({ phone: CALLBACK_PHONE_E164, email: CALLBACK_EMAIL });
  });

  it("hides the whole request from another department", async () => {
    const res = await gql(ds, city.waterStaff.viewer, CONTACT, { ref: reference });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ contact: null });
  });

  it("gives no callback to another department's clerk who entered the request", async () => {
    // Staff of Water took the call; the request is Streets' work, so its callback is Streets' alone.
    const res = await gql(ds, city.waterStaff.viewer, RECORD, { input: confidentialInput() });
    expect(res.errors).toBeUndefined();
    const ref = res.data!.recordContact.referenceNumber;
    const read = await gql(ds, city.waterStaff.viewer, CONTACT, { ref });
    expect(read.errors).toBeUndefined();
    expect(read.data!.contact.referenceNumber).toBe(ref);
    expect(read.data!.contact.callback).toBeNull();
    expect(JSON.stringify(read)).not.toContain(CALLBACK_EMAIL);
  });

  it("refuses the callback to an analyst, who still sees the request's details", async () => {
    const details = await gql(ds, city.analyst.viewer, CONTACT_NO_CALLBACK, { ref: reference });
    expect(details.errors).toBeUndefined();
    expect(details.data!.contact.description).toBe(DESCRIPTION);

    const res = await gql(ds, city.analyst.viewer, CONTACT, { ref: reference });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.data!.contact.callback).toBeNull();
    expect(JSON.stringify(res)).not.toContain(CALLBACK_EMAIL);
    expect(JSON.stringify(res)).not.toContain(CALLBACK_PHONE_E164);
  });

  it("refuses the callback to the intake clerk who entered it", async () => {
    const res = await gql(ds, city.intake.viewer, CONTACT, { ref: reference });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
    expect(res.data!.contact.referenceNumber).toBe(reference);
    expect(res.data!.contact.callback).toBeNull();
    expect(JSON.stringify(res)).not.toContain(CALLBACK_EMAIL);
  });

  it("hides the request from an intake clerk who did not enter it", async () => {
    const otherClerk = await makeStaff(ds, Role.INTAKE);
    const res = await gql(ds, otherClerk.viewer, CONTACT_NO_CALLBACK, { ref: reference });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ contact: null });
  });

  it("hides the request from another department's staff, even by a lower-case reference number", async () => {
    const res = await gql(ds, city.waterStaff.viewer, CONTACT_NO_CALLBACK, { ref: reference.toLowerCase() });
    expect(res.data).toEqual({ contact: null });
  });
});
