import fc from "fast-check";
import { resetConfig } from "../../src/server/config/config";
import {
  businessDaysBetween,
  dueDate,
  isBusinessDay,
  localDate,
  type BusinessCalendar,
} from "../../src/server/routing/business-days";
import { cityCalendar } from "../../src/server/routing/city-calendar";

const saved = { ...process.env };
let phoenix: BusinessCalendar;

beforeAll(() => {
  process.env.STAR_TIME_ZONE = "America/Phoenix";
  process.env.STAR_HOLIDAY_REGION = "US-AZ";
  resetConfig();
  phoenix = cityCalendar();
});
afterAll(() => {
  process.env = { ...saved };
  resetConfig();
});

/** Phoenix is UTC-7 all year (no daylight saving time). */
const phx = (local: string) => new Date(`${local}-07:00`);
const iso = (d: Date) => d.toISOString();

function localClock(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(instant);
}

describe("dueDate on the city calendar (America/Phoenix, US-AZ holidays)", () => {
  it("skips Thanksgiving: received Wed 2026-11-25 with SLA 2 is due Mon 2026-11-30 at 17:00", () => {
    const due = dueDate(phx("2026-11-25T10:00:00"), 2, phoenix);
    expect(iso(due)).toBe("2026-12-01T00:00:00.000Z");
    expect(localDate(due, "America/Phoenix")).toBe("2026-11-30");
  });

  it("counts from the next business day when received on a Saturday", () => {
    expect(iso(dueDate(phx("2026-03-07T11:00:00"), 1, phoenix))).toBe("2026-03-10T00:00:00.000Z");
    expect(iso(dueDate(phx("2026-03-07T11:00:00"), 2, phoenix))).toBe("2026-03-11T00:00:00.000Z");
  });

  it("does not count the day of receipt, even when the call came at 8 in the morning", () => {
    expect(iso(dueDate(phx("2026-03-04T08:00:00"), 1, phoenix))).toBe("2026-03-06T00:00:00.000Z");
  });

  it("makes an SLA of 0 due at the close of the day of receipt", () => {
    expect(iso(dueDate(phx("2026-03-04T09:00:00"), 0, phoenix))).toBe("2026-03-05T00:00:00.000Z");
  });

  it("makes an SLA of 0 received on a Saturday due at Monday's close", () => {
    expect(iso(dueDate(phx("2026-03-07T09:00:00"), 0, phoenix))).toBe("2026-03-10T00:00:00.000Z");
  });

  it("makes an SLA of 0 received on a holiday due at the next business day's close", () => {
    expect(iso(dueDate(phx("2026-11-26T09:00:00"), 0, phoenix))).toBe("2026-11-28T00:00:00.000Z");
  });

  it("never makes an SLA of 0 due before receipt: after the close it is due at the next day's close", () => {
    const receivedAt = phx("2026-03-04T20:30:00");
    const due = dueDate(receivedAt, 0, phoenix);
    expect(iso(due)).toBe("2026-03-06T00:00:00.000Z");
    expect(due.getTime()).toBeGreaterThanOrEqual(receivedAt.getTime());
  });

  it("uses the local date when a late-evening call is already the next day in UTC", () => {
    // Tue 2026-03-03 22:30 in Phoenix is Wed 05:30 UTC; one business day later is Wed, not Thu.
    const receivedAt = new Date("2026-03-04T05:30:00Z");
    expect(localDate(receivedAt, "America/Phoenix")).toBe("2026-03-03");
    expect(iso(dueDate(receivedAt, 1, phoenix))).toBe("2026-03-05T00:00:00.000Z");
  });

  it("skips Independence Day observed on Fri 2026-07-03", () => {
    expect(phoenix.isHoliday("2026-07-03")).toBe(true);
    expect(iso(dueDate(phx("2026-07-02T10:00:00"), 1, phoenix))).toBe("2026-07-07T00:00:00.000Z");
  });

  it("skips New Year's Day 2028 observed on Fri 2027-12-31, across the year boundary", () => {
    expect(iso(dueDate(phx("2027-12-30T10:00:00"), 1, phoenix))).toBe("2028-01-04T00:00:00.000Z");
  });

  it("skips a mid-week holiday (Veterans Day, Wed 2026-11-11)", () => {
    expect(iso(dueDate(phx("2026-11-10T10:00:00"), 1, phoenix))).toBe("2026-11-13T00:00:00.000Z");
  });

  it("counts a five-day SLA across Thanksgiving week", () => {
    // Fri 11-20: Mon 23, Tue 24, Wed 25, (Thu 26 holiday), Fri 27, Mon 30.
    expect(iso(dueDate(phx("2026-11-20T10:00:00"), 5, phoenix))).toBe("2026-12-01T00:00:00.000Z");
  });

  it("refuses a negative or fractional SLA", () => {
    expect(() => dueDate(new Date(), -1, phoenix)).toThrow(RangeError);
    expect(() => dueDate(new Date(), 1.5, phoenix)).toThrow(RangeError);
  });
});

describe("dueDate properties", () => {
  const instants = fc.date({
    min: new Date("2025-01-01T00:00:00Z"),
    max: new Date("2028-12-31T00:00:00Z"),
    noInvalidDate: true,
  });
  const slas = fc.integer({ min: 0, max: 20 });

  // A zone with daylight saving time and a made-up holiday rule, to check the arithmetic is not Phoenix-only.
  const newYork: BusinessCalendar = {
    timeZone: "America/New_York",
    closeHour: 17,
    isHoliday: (d) => d.endsWith("-13"),
  };

  for (const [name, cal] of [
    ["Phoenix", () => phoenix],
    ["New York", () => newYork],
  ] as const) {
    it(`is always a business day at 17:00 local and never before receipt (${name})`, () => {
      fc.assert(
        fc.property(instants, slas, (receivedAt, days) => {
          const c = cal();
          const due = dueDate(receivedAt, days, c);
          expect(isBusinessDay(localDate(due, c.timeZone), c)).toBe(true);
          expect(localClock(due, c.timeZone)).toBe("17:00:00");
          expect(due.getTime()).toBeGreaterThanOrEqual(receivedAt.getTime());
        }),
        { numRuns: 300 },
      );
    });
  }

  it("lands exactly `days` business days after the day of receipt", () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 20 }), (receivedAt, days) => {
        expect(businessDaysBetween(receivedAt, dueDate(receivedAt, days, phoenix), phoenix)).toBe(days);
      }),
      { numRuns: 300 },
    );
  });

  it("gives a later due date for each extra business day", () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 20 }), (receivedAt, days) => {
        expect(dueDate(receivedAt, days + 1, phoenix).getTime()).toBeGreaterThan(
          dueDate(receivedAt, days, phoenix).getTime(),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("never gives an SLA of 0 a later due date than an SLA of 1", () => {
    // They coincide after the close or on a closed day: both are due at the next business day's close.
    fc.assert(
      fc.property(instants, (receivedAt) => {
        expect(dueDate(receivedAt, 0, phoenix).getTime()).toBeLessThanOrEqual(
          dueDate(receivedAt, 1, phoenix).getTime(),
        );
      }),
      { numRuns: 300 },
    );
  });
});
