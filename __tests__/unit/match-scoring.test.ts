import {
  LIKELY_DUPLICATE,
  scoreDuplicate,
  scoreSearchMatch,
  type DuplicateProbe,
  type MatchCandidate,
} from "../../src/server/search/match-scoring";
import { similarity, textKey, trigrams } from "../../src/server/search/text-key";

/** A record on file, with the keys the service maintains. */
function onFile(fields: Partial<MatchCandidate> = {}): MatchCandidate {
  const c = {
    firstName: null,
    lastName: null,
    organization: null,
    email: null,
    phone: null,
    addressLine1: null,
    ...fields,
  };
  return {
    ...c,
    nameKey: textKey(c.firstName, c.lastName, c.organization),
    addressKey: textKey(c.addressLine1),
  } as MatchCandidate;
}

/** What a clerk typed into the new-constituent form. */
function probe(fields: Partial<DuplicateProbe> & { addressLine1?: string } = {}): DuplicateProbe {
  const { addressLine1, ...rest } = fields;
  return {
    firstName: null,
    lastName: null,
    organization: null,
    email: null,
    phone: null,
    addressKey: textKey(addressLine1),
    ...rest,
  };
}

const maria = onFile({
  firstName: "María",
  lastName: "Hernández",
  email: "maria.hernandez@example.com",
  phone: "+16025550142",
  addressLine1: "1234 W Roosevelt St",
});

describe("textKey and similarity", () => {
  it("folds accents, case and punctuation", () => {
    expect(textKey("José  García-López")).toBe("jose garcia lopez");
    expect(textKey("MARÍA", null, "Hernández")).toBe("maria hernandez");
  });

  it("builds trigrams as pg_trgm does", () => {
    expect([...trigrams("ab")].sort()).toEqual(["  a", " ab", "ab "]);
  });

  it("is 1 for the same text and 0 for nothing in common", () => {
    expect(similarity("maria", "maria")).toBe(1);
    expect(similarity("maria", "zzz")).toBe(0);
    expect(similarity("", "maria")).toBe(0);
  });
});

describe("scoreSearchMatch", () => {
  it("scores an exact name 1", () => {
    expect(scoreSearchMatch("María Hernández", maria)).toEqual({ score: 1, reasons: ["name matches"] });
  });

  it("ignores accents that the clerk left out", () => {
    const m = scoreSearchMatch("Maria Hernandez", maria);
    expect(m.score).toBe(1);
    expect(m.reasons).toEqual(["name matches (accents ignored)"]);
  });

  it("ignores accents that the clerk typed but the record lacks", () => {
    const jose = onFile({ firstName: "Jose", lastName: "Garcia" });
    expect(scoreSearchMatch("José García", jose)).toEqual({
      score: 1,
      reasons: ["name matches (accents ignored)"],
    });
    expect(scoreSearchMatch("JOSÉ GARCÍA", jose).score).toBe(1);
    expect(scoreSearchMatch("jose  garcia", jose).reasons).toEqual(["name matches"]);
  });

  it("finds first and last name swapped", () => {
    const m = scoreSearchMatch("Hernández María", maria);
    expect(m.score).toBeGreaterThan(0.9);
    expect(m.score).toBeLessThan(1);
    expect(m.reasons).toEqual(["name matches with first and last swapped"]);
  });

  it("finds a misspelt name, scored below an exact one", () => {
    const m = scoreSearchMatch("Maria Hernandes", maria);
    expect(m.score).toBeGreaterThan(0.5);
    expect(m.score).toBeLessThan(1);
    expect(m.reasons[0]).toMatch(/^name similar \(\d+%\)$/);
  });

  it("finds a single last name", () => {
    const m = scoreSearchMatch("Hernandez", onFile({ firstName: "María", lastName: "Hernández" }));
    expect(m.score).toBeGreaterThan(0.8);
    expect(m.reasons[0]).toMatch(/^name similar/);
  });

  it.each(["(602) 555-0142", "602.555.0142", "+1 602 555 0142", "6025550142", "1-602-555-0142"])(
    "matches the phone typed as %s",
    (q) => {
      expect(scoreSearchMatch(q, maria)).toEqual({ score: 1, reasons: ["phone matches"] });
    },
  );

  it("matches the last seven digits of a phone", () => {
    const m = scoreSearchMatch("555-0142", maria);
    expect(m.score).toBe(0.8);
    expect(m.reasons).toEqual(["phone ends in 5550142"]);
  });

  it("does not match a different phone", () => {
    expect(scoreSearchMatch("(602) 555-0199", maria).score).toBe(0);
  });

  it("matches the whole email, whatever its case", () => {
    expect(scoreSearchMatch("Maria.Hernandez@Example.com", maria).reasons).toContain("email matches");
    expect(scoreSearchMatch("Maria.Hernandez@Example.com", maria).score).toBe(1);
  });

  it("matches part of an email, below a whole one", () => {
    const m = scoreSearchMatch("hernandez@example", maria);
    expect(m.reasons[0]).toBe('email contains "hernandez@example"');
    expect(m.score).toBeGreaterThan(0.6);
    expect(m.score).toBeLessThan(1);
  });

  it("matches part of an address", () => {
    const m = scoreSearchMatch("1234 W Roosevelt", maria);
    expect(m.reasons).toEqual(["address contains the text"]);
    expect(m.score).toBeGreaterThan(0.55);
  });

  it("matches an organization by name", () => {
    const org = onFile({ organization: "Garfield Neighborhood Association" });
    expect(scoreSearchMatch("Garfield Neighborhood Association", org)).toEqual({
      score: 0.95,
      reasons: ["organization matches"],
    });
  });

  it("scores an unrelated record 0 with no reasons", () => {
    expect(scoreSearchMatch("Jonathan Whitaker", maria)).toEqual({ score: 0, reasons: [] });
  });

  it("keeps every score in [0, 1] and lists the strongest reason first", () => {
    const m = scoreSearchMatch("hernandez", maria);
    expect(m.score).toBeGreaterThan(0);
    expect(m.score).toBeLessThanOrEqual(1);
    expect(m.reasons.length).toBeGreaterThan(1);
    expect(m.reasons[0]).toMatch(/^name similar/);
  });
});

describe("scoreDuplicate", () => {
  const jose = onFile({
    firstName: "José",
    lastName: "García",
    email: "jgarcia@example.com",
    phone: "+16025550177",
    addressLine1: "77 E Van Buren St",
  });

  it("flags the same email, whatever its case", () => {
    const m = scoreDuplicate(probe({ firstName: "Joe", lastName: "G", email: "JGarcia@Example.com" }), jose);
    expect(m.score).toBeGreaterThanOrEqual(LIKELY_DUPLICATE);
    expect(m.reasons).toContain("same email");
  });

  it("flags the same phone", () => {
    const m = scoreDuplicate(probe({ lastName: "Someone", phone: "+16025550177" }), jose);
    expect(m.score).toBeGreaterThanOrEqual(LIKELY_DUPLICATE);
    expect(m.reasons).toContain("same phone");
  });

  it("does not flag a shared common name alone", () => {
    const m = scoreDuplicate(probe({ firstName: "Jose", lastName: "Garcia" }), jose);
    expect(m.reasons).toEqual(["same name"]);
    expect(m.score).toBeGreaterThan(0);
    expect(m.score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it("does not flag first and last swapped alone", () => {
    const m = scoreDuplicate(probe({ firstName: "García", lastName: "José" }), jose);
    expect(m.reasons).toEqual(["same name with first and last swapped"]);
    expect(m.score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it("flags the same name (accents ignored) at the same address", () => {
    const m = scoreDuplicate(
      probe({ firstName: "Jose", lastName: "Garcia", addressLine1: "77 E. Van Buren St." }),
      jose,
    );
    expect(m.score).toBeGreaterThanOrEqual(LIKELY_DUPLICATE);
    expect(m.reasons[0]).toBe("same name");
    expect(m.reasons[1]).toMatch(/^same address/);
  });

  it("flags first and last swapped at the same address", () => {
    const m = scoreDuplicate(
      probe({ firstName: "Garcia", lastName: "Jose", addressLine1: "77 E Van Buren St" }),
      jose,
    );
    expect(m.score).toBeGreaterThanOrEqual(LIKELY_DUPLICATE);
  });

  it("flags a misspelt name with the same phone, and says both", () => {
    const m = scoreDuplicate(probe({ firstName: "Jose", lastName: "Garsia", phone: "+16025550177" }), jose);
    expect(m.score).toBeGreaterThanOrEqual(LIKELY_DUPLICATE);
    expect(m.reasons[0]).toBe("same phone");
    expect(m.reasons[1]).toMatch(/^similar name \(\d+%\)$/);
  });

  it("scores a misspelt name alone below the threshold", () => {
    const m = scoreDuplicate(probe({ firstName: "Jose", lastName: "Garsia" }), jose);
    expect(m.score).toBeGreaterThan(0);
    expect(m.score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it("does not flag another household member at the same address", () => {
    const m = scoreDuplicate(
      probe({ firstName: "Ana", lastName: "Ruiz", addressLine1: "77 E Van Buren St" }),
      jose,
    );
    expect(m.score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it("does not flag a colleague from the same organization", () => {
    const acme = onFile({ firstName: "Lee", lastName: "Park", organization: "Acme Plumbing" });
    const m = scoreDuplicate(
      probe({ firstName: "Kim", lastName: "Tran", organization: "Acme Plumbing" }),
      acme,
    );
    expect(m.reasons).toEqual(["same organization"]);
    expect(m.score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it("scores a different person 0 with no reasons", () => {
    expect(scoreDuplicate(probe({ firstName: "Ana", lastName: "Ruiz" }), jose)).toEqual({
      score: 0,
      reasons: [],
    });
  });

  it("adds independent evidence up without passing 1", () => {
    const name = scoreDuplicate(probe({ firstName: "Jose", lastName: "Garcia" }), jose).score;
    const all = scoreDuplicate(
      probe({
        firstName: "Jose",
        lastName: "Garcia",
        email: "jgarcia@example.com",
        phone: "+16025550177",
        addressLine1: "77 E Van Buren St",
      }),
      jose,
    );
    expect(all.score).toBeGreaterThan(name);
    expect(all.score).toBeLessThanOrEqual(1);
    expect(all.reasons).toEqual(["same email", "same phone", "same name", "same address (100%)"]);
  });
});
