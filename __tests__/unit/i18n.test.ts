import { en } from "../../src/client/i18n/en";
import { es } from "../../src/client/i18n/es";
import { pathIn, translate } from "../../src/client/i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the public pages' text", () => {
  it("has every key in both languages, and no key in one only", () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en) as (keyof typeof en)[])(
    "%s is written in both languages with the same placeholders",
    (key) => {
      expect(en[key].trim()).not.toBe("");
      expect(es[key].trim()).not.toBe("");
      expect(placeholders(es[key])).toEqual(placeholders(en[key]));
    },
  );

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("es", "duplicateJoin", { reference: "STAR-26-000001" })).toBe(
      "Sumarme a STAR-26-000001",
    );
    expect(translate("en", "duplicateJoin")).toBe("Add me to {reference}");
  });

  it("puts Spanish pages under /es and keeps the query", () => {
    expect(pathIn("es", "/request/status?ref=A")).toBe("/es/request/status?ref=A");
    expect(pathIn("en", "/es/request/status?ref=A")).toBe("/request/status?ref=A");
    expect(pathIn("en", "/es")).toBe("/");
    expect(pathIn("es", "/")).toBe("/es");
  });
});
