import fc from "fast-check";
import { csvField, csvRow, parseCsv } from "../../src/server/records/csv";

describe("records CSV", () => {
  it("quotes commas, quotes and line breaks, and ends rows with CRLF", () => {
    expect(csvRow(["a", 'say "hi"', "x,y", "two\nlines", null, 3, true])).toBe(
      'a,"say ""hi""","x,y","two\nlines",,3,true\r\n',
    );
  });

  it("keeps spreadsheets from running a cell as a formula, but leaves numbers as they are", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvField("+16025550142")).toBe("+16025550142");
    expect(csvField("-3.5")).toBe("-3.5");
  });

  it("reads back what it wrote", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.string().filter((s) => !/^[=@+\-\t\r]/.test(s)),
            { minLength: 1, maxLength: 5 },
          ),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (rows) => {
          const text = rows.map((r) => csvRow(r)).join("");
          // A single empty cell row is indistinguishable from an empty line: compare the others.
          const expected = rows.map((r) => (r.length === 1 && r[0] === "" ? [""] : r));
          expect(parseCsv(text)).toEqual(expected);
        },
      ),
    );
  });
});
