import { textSimilarity, words } from "../../src/server/review/text-similarity";

const STANDARD =
  "Thank you for reporting the pothole {referenceNumber}. A crew will repair it within five business days.";

describe("textSimilarity", () => {
  it("is 1 for the same text, whatever the case, accents and placeholders", () => {
    expect(textSimilarity(STANDARD, STANDARD.toUpperCase().replace("{referenceNumber}", ""))).toBeCloseTo(
      1,
      10,
    );
    expect(textSimilarity("Gracias por su reporte", "GRACIAS POR SÚ REPÓRTE")).toBeCloseTo(1, 10);
  });

  it("stays high for a personalised standard answer", () => {
    const personal =
      "Dear Ms Lee, thank you for reporting the pothole on Elm Street. A crew will repair it within five business days.";
    expect(textSimilarity(personal, STANDARD)).toBeGreaterThan(0.7);
  });

  it("is low for an answer that says something else", () => {
    const other = "We will not fix this; please contact the county assessor about your property tax bill.";
    expect(textSimilarity(other, STANDARD)).toBeLessThan(0.2);
  });

  it("is 0 with nothing in common or an empty text, and symmetric", () => {
    expect(textSimilarity("", STANDARD)).toBe(0);
    expect(textSimilarity("the and of", "the and of")).toBe(0);
    expect(textSimilarity("alpha beta", "gamma delta")).toBe(0);
    const a = "crew repair pothole soon";
    expect(textSimilarity(a, STANDARD)).toBeCloseTo(textSimilarity(STANDARD, a), 12);
  });

  it("reads words without placeholders or common words", () => {
    expect(words("Your case {referenceNumber} is closed, señora.")).toEqual(["case", "closed", "senora"]);
  });
});
