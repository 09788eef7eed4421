/** A calendar date with no time or zone, as "2026-12-24". */
export type PlainDate = string;

export interface BusinessCalendar {
  timeZone: string;
  isHoliday(date: PlainDate): boolean;
  /** Local hour at which a due date falls (end of the business day). */
  closeHour: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

function zonedParts(instant: Date, timeZone: string) {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The local calendar date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): PlainDate {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The instant at which a local wall-clock time occurs in a zone (DST-safe to the hour). */
export function zonedInstant(date: PlainDate, hour: number, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d, hour);
  const p = zonedParts(new Date(guess), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return new Date(guess - (asUtc - guess));
}

export function addDays(date: PlainDate, days: number): PlainDate {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isBusinessDay(date: PlainDate, cal: BusinessCalendar): boolean {
  const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !cal.isHoliday(date);
}

/**
 * The due date for an SLA of `days` business days: the close of the `days`-th business day after the
 * local date of receipt. The day of receipt does not count (a call at 4:59 pm is not a day's work), and a
 * weekend or holiday never does. An SLA of 0 is due at the close of the day of receipt, or of the next
 * business day when it arrived on a day the city is closed or after the close (never before receipt).
 */
export function dueDate(receivedAt: Date, days: number, cal: BusinessCalendar): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError("days must be a whole number >= 0");
  let date = localDate(receivedAt, cal.timeZone);
  if (days === 0) {
    while (!isBusinessDay(date, cal) || zonedInstant(date, cal.closeHour, cal.timeZone) < receivedAt) {
      date = addDays(date, 1);
    }
  }
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isBusinessDay(date, cal)) left--;
  }
  return zonedInstant(date, cal.closeHour, cal.timeZone);
}

/** Whole business days from one instant to another (used for the five-day figure). */
export function businessDaysBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  let date = localDate(from, cal.timeZone);
  const end = localDate(to, cal.timeZone);
  let n = 0;
  while (date < end) {
    date = addDays(date, 1);
    if (isBusinessDay(date, cal)) n++;
  }
  return n;
}
