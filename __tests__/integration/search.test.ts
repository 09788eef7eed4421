import type { DataSource } from "typeorm";
import type { Constituent } from "../../entities";
import { mergeConstituents } from "../../src/server/constituents/constituent.service";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let maria: Constituent;
let jose: Constituent;
let ramirez: Constituent;
let smith: Constituent;
let survivor: Constituent;
let merged: Constituent;

interface MatchRow {
  score: number;
  reasons: string[];
  constituent: { id: string; firstName: string | null; lastName: string | null };
}

const SEARCH = `query($q: String!, $limit: Int) { searchConstituents(query: $q, limit: $limit) {
  score reasons constituent { id firstName lastName email phone } } }`;

async function search(q: string, limit?: number): Promise<MatchRow[]> {
  const res = await gql(ds, city.intake.viewer, SEARCH, { q, limit });
  expect(res.errors).toBeUndefined();
  const matches: MatchRow[] = res.data!.searchConstituents;
  for (const m of matches) {
    expect(m.score).toBeGreaterThan(0);
    expect(m.score).toBeLessThanOrEqual(1);
    expect(m.reasons.length).toBeGreaterThan(0);
  }
  for (let i = 1; i < matches.length; i++)
    expect(matches[i - 1].score).toBeGreaterThanOrEqual(matches[i].score);
  return matches;
}

const ids = (matches: MatchRow[]) => matches.map((m) => m.constituent.id);

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  const v = city.intake.viewer;
  maria = await makeConstituent(ds, v, {
    firstName: "María",
    lastName: "Hernández",
    email: "maria.hernandez@example.com",
    phone: "(602) 555-0142",
    addressLine1: "1234 W Roosevelt St",
    city: "Phoenix",
    postalCode: "85007",
  });
  jose = await makeConstituent(ds, v, { firstName: "José", lastName: "García", phone: "480-555-0101" });
  ramirez = await makeConstituent(ds, v, { firstName: "Jose", lastName: "Ramirez" });
  smith = await makeConstituent(ds, v, {
    firstName: "Jonathan",
    lastName: "Smith",
    addressLine1: "77 E Van Buren St",
  });
  // People who share part of a name, so that ranking matters.
  for (const [firstName, lastName] of [
    ["Maria", "Lopez"],
    ["Juan", "Hernandez"],
    ["Joseph", "Garner"],
    ["Ana", "Garcia"],
    ["Luis", "Garcia"],
    ["Rosa", "Garcia"],
    ["Pedro", "Garcia"],
  ]) {
    await makeConstituent(ds, v, { firstName, lastName });
  }
  survivor = await makeConstituent(ds, v, { firstName: "Marisol", lastName: "Quattlebaum" });
  merged = await makeConstituent(ds, v, {
    firstName: "Marisol",
    lastName: "Quattlebaum",
    phone: "(602) 555-0177",
  });
  await mergeConstituents(ds, city.reviewer.viewer, {
    survivorId: survivor.id,
    duplicateId: merged.id,
    reason: "the same person, entered twice",
  });
});
afterAll(() => ds.destroy());

describe("searchConstituents", () => {
  it("finds the exact name first, with score 1", async () => {
    const matches = await search("María Hernández");
    expect(matches[0].constituent.id).toBe(maria.id);
    expect(matches[0].score).toBe(1);
    expect(matches[0].reasons).toEqual(["name matches"]);
  });

  it("finds María Hernández typed without accents and misspelt as Maria Hernandes", async () => {
    const matches = await search("Maria Hernandes");
    expect(matches[0].constituent.id).toBe(maria.id);
    expect(matches[0].score).toBeLessThan(1);
    expect(matches[0].reasons[0]).toMatch(/^name similar/);
  });

  it.each([
    "Jon Smith",
    "Jonathon Smith",
    "Jonathan Smyth",
    "Jonh Smith",
    "Jonathan Smiht",
    "Jonh Smiht",
    "Jonatan Smit",
    "Smith Jonathon",
  ])("finds Jonathan Smith misspelt as %s", async (q) => {
    expect(ids(await search(q))[0]).toBe(smith.id);
  });

  it.each(["Mria Hernandz", "Hernandes", "Hernández Mari"])(
    "finds María Hernández misspelt as %s",
    async (q) => {
      expect(ids(await search(q))).toContain(maria.id);
    },
  );

  it("finds a name stored with accents when typed without (José García as Jose Garcia)", async () => {
    const matches = await search("Jose Garcia");
    expect(matches[0].constituent.id).toBe(jose.id);
    expect(matches[0].score).toBe(1);
    expect(matches[0].reasons).toEqual(["name matches (accents ignored)"]);
  });

  it("finds a name stored without accents when typed with them (Jose Ramirez as José Ramírez)", async () => {
    const matches = await search("José Ramírez");
    expect(matches[0].constituent.id).toBe(ramirez.id);
    expect(matches[0].score).toBe(1);
  });

  it("finds first and last name swapped", async () => {
    const matches = await search("Hernández María");
    expect(matches[0].constituent.id).toBe(maria.id);
    expect(matches[0].reasons).toEqual(["name matches with first and last swapped"]);
  });

  it("finds every record of a shared last name", async () => {
    const matches = await search("Garcia");
    expect(matches.length).toBeGreaterThanOrEqual(5);
    expect(ids(matches)).toContain(jose.id);
  });

  it.each([
    "(602) 555-0142",
    "602.555.0142",
    "+1 602 555 0142",
    "6025550142",
    "602-555-0142",
    "1 602 555 0142",
  ])("finds the phone typed as %s, and nothing else", async (q) => {
    const matches = await search(q);
    expect(ids(matches)).toEqual([maria.id]);
    expect(matches[0].score).toBe(1);
    expect(matches[0].reasons).toEqual(["phone matches"]);
  });

  it("finds the phone by its last seven digits", async () => {
    const matches = await search("555-0142");
    expect(ids(matches)).toEqual([maria.id]);
    expect(matches[0].reasons).toEqual(["phone ends in 5550142"]);
  });

  it("finds the whole email, whatever its case", async () => {
    const matches = await search("Maria.Hernandez@Example.com");
    expect(matches[0].constituent.id).toBe(maria.id);
    expect(matches[0].score).toBe(1);
  });

  it.each(["maria.hernandez@", "hernandez@example.com", "maria.hern"])(
    "finds part of the email: %s",
    async (q) => {
      const matches = await search(q);
      expect(matches[0].constituent.id).toBe(maria.id);
      expect(matches[0].reasons.some((r) => r.startsWith("email contains"))).toBe(true);
    },
  );

  it.each(["1234 W Roosevelt", "1234 w. roosevelt st", "Roosevelt St", "85007"])(
    "finds part of the address: %s",
    async (q) => {
      const matches = await search(q);
      expect(matches[0].constituent.id).toBe(maria.id);
      expect(matches[0].reasons[0]).toMatch(/^address/);
    },
  );

  it("never returns a merged record, by name or by its phone", async () => {
    const byName = await search("Marisol Quattlebaum");
    expect(ids(byName)).toEqual([survivor.id]);
    // The survivor took the merged record's phone, so the phone finds the survivor only.
    expect(ids(await search("(602) 555-0177"))).toEqual([survivor.id]);
  });

  it("returns nothing for a name nobody has", async () => {
    expect(await search("Xylophone Wunderbar")).toEqual([]);
  });

  it("returns at most `limit` matches, best first", async () => {
    const all = await search("Garcia", 50);
    const two = await search("Garcia", 2);
    expect(two).toHaveLength(2);
    expect(two.map((m) => m.score)).toEqual(all.slice(0, 2).map((m) => m.score));
  });

  it("returns ten matches by default", async () => {
    for (let i = 0; i < 8; i++)
      await makeConstituent(ds, city.intake.viewer, { firstName: "Lena", lastName: "Garcia" });
    expect(await search("Garcia")).toHaveLength(10);
  });

  it.each([0, -1, 51, 1000])("refuses limit %s, naming the field", async (limit) => {
    const res = await gql(ds, city.intake.viewer, SEARCH, { q: "Garcia", limit });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("limit");
    expect(res.data).toBeNull();
  });

  it.each(["", " ", "a", "x".repeat(201)])("refuses the query %j, naming the field", async (q) => {
    const res = await gql(ds, city.intake.viewer, SEARCH, { q });
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("query");
  });

  it("treats LIKE wildcards as text", async () => {
    expect(await search("%%%")).toEqual([]);
    expect(await search("__@__")).toEqual([]);
  });
});
