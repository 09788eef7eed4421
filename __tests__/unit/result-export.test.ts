import { resultRows, toCsv } from "../../src/client/result-export";

describe("downloading a result", () => {
  it("writes one CSV line per row of the first list, nested fields as dotted columns", () => {
    const data = {
      contactStats: [
        { department: { name: "Streets" }, count: 3, medianHoursToClose: 24.5 },
        { department: null, count: 1, medianHoursToClose: null },
      ],
    };
    expect(toCsv(data)).toBe("department.name,count,medianHoursToClose\r\nStreets,3,24.5\r\n,1,\r\n");
  });

  it("unwraps connection edges to their nodes", () => {
    const data = {
      contacts: {
        totalCount: 2,
        edges: [
          { cursor: "a", node: { id: "1" } },
          { cursor: "b", node: { id: "2" } },
        ],
      },
    };
    expect(resultRows(data)).toEqual([{ id: "1" }, { id: "2" }]);
  });

  it("quotes commas, quotes and line breaks, and keeps formulas from running in a spreadsheet", () => {
    const csv = toCsv({ rows: [{ a: 'say "hi", then\nleave', b: '=HYPERLINK("x")', c: "-1" }] });
    expect(csv).toBe('a,b,c\r\n"say ""hi"", then\nleave","\'=HYPERLINK(""x"")",\'-1\r\n');
  });
});
