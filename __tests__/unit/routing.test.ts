import { resetConfig } from "../../src/server/config/config";
import type { BusinessCalendar } from "../../src/server/routing/business-days";
import { route } from "../../src/server/routing/routing.service";

const saved = { ...process.env };
beforeAll(() => {
  process.env.STAR_TIME_ZONE = "America/Phoenix";
  process.env.STAR_HOLIDAY_REGION = "US-AZ";
  resetConfig();
});
afterAll(() => {
  process.env = { ...saved };
  resetConfig();
});

const STREETS = "5b0c2f0e-8a49-4d7e-9a0e-2f5d3c1b7a01";
const WATER = "7d1e3a2b-1c4f-4e6a-8b9d-0a1b2c3d4e5f";

describe("route", () => {
  it("sends a contact to its category's department", () => {
    const r = route({ departmentId: STREETS, slaBusinessDays: 5 }, new Date("2026-03-02T17:00:00Z"));
    expect(r.departmentId).toBe(STREETS);
  });

  it("routes two categories of different departments apart, from the same receipt", () => {
    const at = new Date("2026-03-02T17:00:00Z");
    expect(route({ departmentId: WATER, slaBusinessDays: 2 }, at).departmentId).toBe(WATER);
    expect(route({ departmentId: STREETS, slaBusinessDays: 2 }, at).departmentId).toBe(STREETS);
  });

  it("dates the assignment with the category's SLA in city business days by default", () => {
    // Wed 2026-11-25 in Phoenix, 2 business days over Thanksgiving: Mon 2026-11-30 17:00 local.
    const r = route({ departmentId: WATER, slaBusinessDays: 2 }, new Date("2026-11-25T17:00:00Z"));
    expect(r.dueAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("gives a longer SLA a later due date", () => {
    const at = new Date("2026-03-02T17:00:00Z");
    const short = route({ departmentId: WATER, slaBusinessDays: 2 }, at).dueAt;
    const long = route({ departmentId: WATER, slaBusinessDays: 10 }, at).dueAt;
    expect(short.toISOString()).toBe("2026-03-05T00:00:00.000Z");
    expect(long.toISOString()).toBe("2026-03-17T00:00:00.000Z");
  });

  it("uses the calendar it is given", () => {
    const everyDayOpen: BusinessCalendar = { timeZone: "UTC", closeHour: 12, isHoliday: () => false };
    const holidayMonday: BusinessCalendar = { ...everyDayOpen, isHoliday: (d) => d === "2026-03-09" };
    // Fri 2026-03-06: one business day later is Mon, or Tue when that Monday is a holiday.
    const at = new Date("2026-03-06T09:00:00Z");
    const cat = { departmentId: STREETS, slaBusinessDays: 1 };
    expect(route(cat, at, everyDayOpen).dueAt.toISOString()).toBe("2026-03-09T12:00:00.000Z");
    expect(route(cat, at, holidayMonday).dueAt.toISOString()).toBe("2026-03-10T12:00:00.000Z");
  });

  it("refuses a category whose SLA is not a whole number of days", () => {
    expect(() => route({ departmentId: STREETS, slaBusinessDays: -1 }, new Date())).toThrow(RangeError);
  });
});
