import { loadConfig as load } from "../../src/server/config/config";
import { dueDate } from "../../src/server/routing/business-days";
import { holidaysOf } from "../../src/server/routing/city-calendar";

/** An environment with only the given settings. */
const loadConfig = (env: Record<string, string>) => load(env as NodeJS.ProcessEnv);

describe("records settings", () => {
  it("mask the constituents' email and phone and give ten business days by default", () => {
    const c = loadConfig({});
    expect(c.STAR_RECORDS_MASKED_FIELDS).toEqual(["constituent.email", "constituent.phone"]);
    expect(c.STAR_RECORDS_DUE_BUSINESS_DAYS).toBe(10);
  });

  it("read a comma list of maskable fields, trimmed and without repeats", () => {
    const c = loadConfig({
      STAR_RECORDS_MASKED_FIELDS: " constituent.phone, contact.locationAddress ,constituent.phone",
    });
    expect(c.STAR_RECORDS_MASKED_FIELDS).toEqual(["constituent.phone", "contact.locationAddress"]);
  });

  it("refuse a field that cannot be masked, and a due period out of range, naming the setting", () => {
    expect(() => loadConfig({ STAR_RECORDS_MASKED_FIELDS: "constituent.email,callback.phone" })).toThrow(
      /STAR_RECORDS_MASKED_FIELDS/,
    );
    expect(() => loadConfig({ STAR_RECORDS_DUE_BUSINESS_DAYS: "0" })).toThrow(
      /STAR_RECORDS_DUE_BUSINESS_DAYS/,
    );
  });

  it("count the due date over the city's weekends and holidays", () => {
    // Received Friday 2026-12-18 in Phoenix; Christmas, New Year's Day and the weekends do not count.
    const due = dueDate(new Date("2026-12-18T17:00:00Z"), 10, {
      timeZone: "America/Phoenix",
      closeHour: 17,
      isHoliday: (d) => holidaysOf("US-AZ", Number(d.slice(0, 4))).has(d),
    });
    expect(due.toISOString()).toBe("2027-01-06T00:00:00.000Z");
  });
});
