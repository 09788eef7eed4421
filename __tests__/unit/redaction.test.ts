import fc from "fast-check";
import {
  EMAIL_MASK,
  MASK,
  PHONE_MASK,
  RedactionRule,
  attachmentPath,
  maskFreeText,
  redactAttachment,
  redactContact,
  type ContactSource,
} from "../../src/server/records/redaction";

const contact = (over: Partial<ContactSource> = {}): ContactSource => ({
  referenceNumber: "STAR-26-000001",
  channel: "PHONE",
  receivedAt: new Date("2026-12-01T16:00:00Z"),
  categoryCode: "pothole",
  categoryName: "Pothole",
  leadDepartment: "STREETS",
  description: "A pothole.",
  locationAddress: "100 W Washington St",
  locationLat: null,
  locationLong: null,
  confidential: false,
  language: "en",
  duplicateOf: null,
  publicRecordNoticeGiven: true,
  hasCallback: false,
  constituent: {
    id: "c0000000-0000-4000-8000-000000000001",
    firstName: "Ana",
    lastName: "Morales",
    organization: null,
    email: "ana@example.com",
    phone: "+16025550101",
    addressLine1: "12 W Elm St",
    addressLine2: null,
    city: "Phoenix",
    state: "AZ",
    postalCode: null,
  },
  ...over,
});

const policy = (...fields: string[]) => ({ maskedFields: new Set(fields) });

describe("maskFreeText", () => {
  it.each([
    ["(602) 555-0142"],
    ["602-555-0142"],
    ["602.555.0142"],
    ["602 555 0142"],
    ["6025550142"],
    ["+1 602 555 0142"],
    ["+16025550142"],
    ["1-602-555-0142"],
    ["+44 20 7946 0958"],
  ])("masks the phone number %s", (phone) => {
    const r = maskFreeText(`Call ${phone} after five.`, "contact X", "description");
    expect(r.value).toBe(`Call ${PHONE_MASK} after five.`);
    expect(r.redactions.map((x) => x.rule)).toEqual([RedactionRule.PHONE_IN_TEXT]);
  });

  it("masks emails and leaves reference numbers, dates, addresses and amounts alone", () => {
    const text =
      "Re STAR-26-000123 of 2026-12-04 at 1200 W Van Buren St, $1,250.00: write to a.b+c@mail.example.org";
    const r = maskFreeText(text, "contact X", "description");
    expect(r.value).toBe(
      `Re STAR-26-000123 of 2026-12-04 at 1200 W Van Buren St, $1,250.00: write to ${EMAIL_MASK}`,
    );
    expect(r.redactions).toEqual([
      expect.objectContaining({
        record: "contact X",
        field: "description",
        rule: RedactionRule.EMAIL_IN_TEXT,
      }),
    ]);
  });

  it("logs one entry per value masked, and never leaves a digit run of a phone behind", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2000000000, max: 9999999999 }), { maxLength: 5 }), (numbers) => {
        const text = numbers.map((n) => `tel ${String(n).replace(/^(\d{3})(\d{3})/, "($1) $2-")}`).join("; ");
        const r = maskFreeText(text, "r", "f");
        expect(r.redactions).toHaveLength(numbers.length);
        for (const n of numbers) expect(r.value).not.toContain(String(n).slice(-4));
      }),
    );
  });
});

describe("redactContact", () => {
  it("masks the configured fields that hold a value, and logs each", () => {
    const r = redactContact(
      contact(),
      policy("constituent.email", "constituent.phone", "constituent.postalCode"),
    );
    expect(r.value.constituent).toMatchObject({
      email: MASK,
      phone: MASK,
      postalCode: null,
      firstName: "Ana",
    });
    expect(r.redactions.map((x) => [x.field, x.rule])).toEqual([
      ["constituent.email", RedactionRule.MASKED_FIELD],
      ["constituent.phone", RedactionRule.MASKED_FIELD],
    ]);
  });

  it("gives a confidential request no constituent at all, and logs the callback it never includes", () => {
    const r = redactContact(contact({ confidential: true, hasCallback: true }), policy());
    expect(r.value.constituent).toBeNull();
    expect(JSON.stringify(r.value)).not.toMatch(/Ana|Morales|ana@example.com|5550101|Elm/);
    expect(r.value).not.toHaveProperty("hasCallback");
    expect(r.redactions.map((x) => [x.field, x.rule])).toEqual([
      ["constituent", RedactionRule.CONFIDENTIAL_REQUEST],
      ["callback", RedactionRule.CALLBACK],
      ["locationAddress", RedactionRule.CONFIDENTIAL_LOCATION],
    ]);
  });

  it("withholds where a confidential request's issue is, with its reason", () => {
    const r = redactContact(
      contact({ confidential: true, locationAddress: "9 Quiet Ct", locationLat: 33.4, locationLong: -112.1 }),
      policy(),
    );
    expect(r.value).toMatchObject({ locationAddress: MASK, locationLat: null, locationLong: null });
    expect(
      r.redactions.filter((x) => x.rule === RedactionRule.CONFIDENTIAL_LOCATION).map((x) => x.field),
    ).toEqual(["locationAddress", "locationLatLong"]);
    expect(JSON.stringify(r.value)).not.toMatch(/Quiet Ct|33\.4|-112\.1/);
  });

  it("masks the issue's address only when configured", () => {
    expect(redactContact(contact(), policy()).value.locationAddress).toBe("100 W Washington St");
    expect(redactContact(contact(), policy("contact.locationAddress")).value.locationAddress).toBe(MASK);
  });
});

describe("redactAttachment", () => {
  const a = {
    id: "a0000000-0000-4000-8000-000000000001",
    contactReference: "STAR-26-000001",
    responseId: null,
    fileName: "../../letter from Ana.pdf",
    contentType: "application/pdf",
    sizeBytes: 10,
    sha256: "0".repeat(64),
    createdAt: new Date("2026-12-01T16:00:00Z"),
    confidential: false,
  };

  it("withholds a confidential request's document and its name", () => {
    const r = redactAttachment({ ...a, confidential: true }, true);
    expect(r.value).toMatchObject({ fileName: null, packagePath: null });
    expect(r.redactions.map((x) => x.rule)).toEqual([RedactionRule.CONFIDENTIAL_ATTACHMENT]);
  });

  it("places a releasable file under attachments/ with a name that cannot leave the folder", () => {
    expect(redactAttachment(a, true).value.packagePath).toBe(`attachments/${a.id}-_.._letter from Ana.pdf`);
    expect(redactAttachment(a, false).value.packagePath).toBeNull();
    expect(attachmentPath(a.id, "")).toBe(`attachments/${a.id}-file`);
  });
});
