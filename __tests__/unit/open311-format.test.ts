import { XMLParser, XMLValidator } from "fast-xml-parser";
import { escapeXml, open311Time, toJson, toXml } from "../../src/server/open311/open311-format";
import { publicDescription } from "../../src/server/open311/open311-privacy";

describe("the Open311 XML writer", () => {
  it("escapes markup and drops characters XML 1.0 forbids, so any text stays well-formed", () => {
    const nasty = `<b>Tom & "Jerry's"</b> ]]> \u0001\u0008\uFFFE\uD800 ok\tand\nnew line`;
    const xml = toXml("service_requests", [
      { description: nasty, lat: 33.5, metadata: true, media_url: null },
    ]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml);
    expect(parsed.service_requests.request).toEqual({
      description: `<b>Tom & "Jerry's"</b> ]]>  ok\tand\nnew line`,
      lat: "33.5",
      metadata: "true",
      media_url: "",
    });
    expect(escapeXml(`a<b>&'"`)).toBe("a&lt;b&gt;&amp;&apos;&quot;");
  });

  it("writes JSON from the same value", () => {
    expect(toJson([{ code: 404, description: "x" }])).toBe('[{"code":404,"description":"x"}]');
  });

  it("refuses a list it has no item element for, rather than inventing one", () => {
    expect(() => toXml("things", [1])).toThrow(/no XML item element/);
  });
});

describe("Open311 times", () => {
  it("carry the city's offset, or Z in UTC, to the second", () => {
    const d = new Date("2026-07-04T19:30:45.987Z");
    expect(open311Time(d, "America/Phoenix")).toBe("2026-07-04T12:30:45-07:00");
    expect(open311Time(d, "UTC")).toBe("2026-07-04T19:30:45Z");
    expect(open311Time(d, "Asia/Kolkata")).toBe("2026-07-05T01:00:45+05:30");
    expect(open311Time(null, "UTC")).toBeNull();
  });

  it("follow daylight saving time where the zone keeps it", () => {
    expect(open311Time(new Date("2026-01-15T12:00:00Z"), "America/Denver")).toBe("2026-01-15T05:00:00-07:00");
    expect(open311Time(new Date("2026-07-15T12:00:00Z"), "America/Denver")).toBe("2026-07-15T06:00:00-06:00");
    // The hour of the change itself, on both sides of it.
    expect(open311Time(new Date("2026-03-08T08:59:59Z"), "America/Denver")).toBe("2026-03-08T01:59:59-07:00");
    expect(open311Time(new Date("2026-03-08T09:00:00Z"), "America/Denver")).toBe("2026-03-08T03:00:00-06:00");
  });
});

describe("a published description", () => {
  const submitter = { firstName: "José María", lastName: "de la Peña", addressLine1: "12 E Elm St" };

  it("masks emails and phone numbers in any spelling, but not dates, house numbers or years", () => {
    expect(
      publicDescription(
        "Mail me at a.b+c@example.co.uk or call 602-555-0142, (602) 555 0142, 6025550142 or +44 20 7946 0958. " +
          "Since 2026-11-30, near 1420 W Roosevelt St.",
        null,
        null,
      ),
    ).toBe(
      "Mail me at [email removed] or call [phone removed], [phone removed], [phone removed] or [phone removed]. " +
        "Since 2026-11-30, near 1420 W Roosevelt St.",
    );
  });

  it("masks the submitter's names with or without accents, but not the particles of a surname", () => {
    expect(publicDescription("Jose Maria PENA says: de la esquina, la Peña family", submitter, null)).toBe(
      "[name removed] [name removed] [name removed] says: de la esquina, la [name removed] family",
    );
  });

  it("masks the submitter's home unless it is where the issue is", () => {
    expect(publicDescription("I live at 12 E Elm St, the leak is at 9 Oak", submitter, "9 Oak")).toBe(
      "I live at [address removed], the leak is at 9 Oak",
    );
    expect(publicDescription("Leak in front of 12 E Elm St", submitter, "12 E Elm St, Phoenix")).toBe(
      "Leak in front of 12 E Elm St",
    );
  });
});
