import { PDFDocument, StandardFonts } from "pdf-lib";
import {
  renderLetterPdf,
  toWinAnsi,
  wrapText,
  type LetterContent,
} from "../../src/server/letters/letter.service";
import type { Letterhead } from "../../src/server/letters/letterhead";

const head: Letterhead = {
  cityName: "City of Testville",
  address: "200 W Main St | Testville, AZ 85001",
  phone: "(602) 555-0100",
  timeZone: "America/Phoenix",
};

const letter = (over: Partial<LetterContent> = {}): LetterContent => ({
  referenceNumber: "STAR-26-000123",
  date: new Date("2026-03-02T06:30:00Z"),
  language: "en",
  recipient: { name: "Ana Núñez", addressLines: ["12 Elm St", "Testville, AZ 85001"] },
  body: "The pothole on Elm Street was filled on Monday.\n\nThank you for telling us.",
  departmentName: "Street Transportation",
  ...over,
});

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("the letter renderer", () => {
  it("writes a PDF that reads back with one page", async () => {
    const bytes = await renderLetterPdf(letter(), head);
    expect(text(bytes.subarray(0, 5))).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("City of Testville: STAR-26-000123");
    expect(doc.getAuthor()).toBe("Street Transportation");
  });

  it("continues a long response on further pages", async () => {
    const body = Array.from(
      { length: 120 },
      (_, i) => `Paragraph ${i}: the crew will return next week.`,
    ).join("\n");
    const doc = await PDFDocument.load(await renderLetterPdf(letter({ body }), head));
    expect(doc.getPageCount()).toBeGreaterThan(1);
  });

  it("renders Spanish, emoji and other scripts without failing", async () => {
    const bytes = await renderLetterPdf(
      letter({ language: "es", body: "Señora, el bache ya está reparado. ¡Gracias! 🚧 東京 Łódź\tfin" }),
      head,
    );
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
  });

  it("renders a confidential request's letter with no recipient", async () => {
    const bytes = await renderLetterPdf(letter({ recipient: null }), head);
    expect(text(bytes.subarray(0, 5))).toBe("%PDF-");
  });
});

describe("toWinAnsi", () => {
  it("keeps English and Spanish accents and typographic quotes", () => {
    expect(toWinAnsi("Ñandú “¿qué?” — café €5…")).toBe("Ñandú “¿qué?” — café €5…");
  });

  it("drops marks the fonts cannot draw and replaces what is left with ?", () => {
    expect(toWinAnsi("Łódź ő 🚧 東\u0007")).toBe("?ódz o ? ??");
    expect(toWinAnsi("a\r\nb\tc\u2011d")).toBe("a\nb    c-d");
  });
});

describe("wrapText", () => {
  it("keeps every line within the width, splitting a word longer than a line", async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const lines = wrapText(`short words here ${"x".repeat(200)} end`, font, 11, 200);
    for (const l of lines) expect(font.widthOfTextAtSize(l, 11)).toBeLessThanOrEqual(200);
    expect(lines.join("")).toContain("x".repeat(50));
    expect(lines[0]).toBe("short words here");
    expect(lines.at(-1)).toMatch(/ end$/);
  });
});
