import { DomainError, ErrorCode } from "../../src/server/errors/domain-error";
import { formatPhone, normalizePhone, toE164 } from "../../src/server/intake/phone";

describe("toE164", () => {
  it.each([
    ["(602) 555-0142", "+16025550142"],
    ["602.555.0142", "+16025550142"],
    ["602-555-0142", "+16025550142"],
    ["602 555 0142", "+16025550142"],
    ["602/555-0142", "+16025550142"],
    ["6025550142", "+16025550142"],
    ["16025550142", "+16025550142"],
    ["1-602-555-0142", "+16025550142"],
    ["1 (602) 555-0142", "+16025550142"],
    ["+1 602 555 0142", "+16025550142"],
    ["+1 (602) 555-0142", "+16025550142"],
    ["+16025550142", "+16025550142"],
    ["  602-555-0142  ", "+16025550142"],
    ["+44 20 7946 0958", "+442079460958"],
    ["011 44 20 7946 0958", "+442079460958"],
    ["+52 55 1234 5678", "+525512345678"],
  ])("reads %s as %s", (input, e164) => {
    expect(toE164(input)).toBe(e164);
  });

  it.each([
    ["", "empty"],
    ["   ", "blank"],
    ["555-0142", "seven digits, no area code"],
    ["602-555-014", "nine digits"],
    ["602-555-01422", "eleven digits not starting with 1"],
    ["(102) 555-0142", "an area code starting with 1"],
    ["(002) 555-0142", "an area code starting with 0"],
    ["602-055-0142", "an exchange starting with 0"],
    ["602-155-0142", "an exchange starting with 1"],
    ["+1 602 555 014", "a +1 number one digit short"],
    ["602-555-0142 ext. 12", "an extension"],
    ["602-555-0142 x12", "an extension written x12"],
    ["602-555-0142 #12", "an extension written #12"],
    ["call me", "words"],
    ["jose@example.com", "an email address"],
    ["+0 20 7946 0958", "a country code starting with 0"],
    ["+44 1234", "an international number too short"],
    ["+44 1234 5678 9012 3456", "an international number too long"],
    ["011 44", "an international prefix with too few digits"],
  ])("refuses %s (%s)", (input) => {
    expect(toE164(input)).toBeNull();
  });
});

describe("normalizePhone", () => {
  it("returns null for a missing or blank number, so it can be left out", () => {
    expect(normalizePhone("phone", null)).toBeNull();
    expect(normalizePhone("phone", undefined)).toBeNull();
    expect(normalizePhone("phone", "  ")).toBeNull();
  });

  it("normalises a valid number", () => {
    expect(normalizePhone("phone", "(602) 555-0142")).toBe("+16025550142");
  });

  it("refuses a malformed number with BAD_USER_INPUT naming the field", () => {
    let error: unknown;
    try {
      normalizePhone("newConstituent.phone", "555-0142");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as DomainError).field).toBe("newConstituent.phone");
  });
});

describe("formatPhone", () => {
  it("reads a North American number back the way staff say it", () => {
    expect(formatPhone("+16025550142")).toBe("(602) 555-0142");
  });

  it("leaves an international number in E.164", () => {
    expect(formatPhone("+442079460958")).toBe("+442079460958");
  });

  it("round-trips: the formatted number normalises to the same E.164", () => {
    expect(toE164(formatPhone("+16025550142"))).toBe("+16025550142");
  });
});
