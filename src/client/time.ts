/** The city's zone: every time on screen is shown here and named, whatever the browser's own zone is. */
export const CITY_TIME_ZONE = "America/Phoenix";
export const CITY_ZONE_LABEL = "Arizona time";

const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: CITY_TIME_ZONE,
  dateStyle: "medium",
  timeStyle: "short",
});
const dateFormat = new Intl.DateTimeFormat("en-US", { timeZone: CITY_TIME_ZONE, dateStyle: "medium" });
const zoneName = new Intl.DateTimeFormat("en-US", { timeZone: CITY_TIME_ZONE, timeZoneName: "short" });
const partsFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: CITY_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function zoneAbbreviation(d: Date): string {
  return zoneName.formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? CITY_TIME_ZONE;
}

/** "Mar 3, 2026, 2:15 PM MST" */
export function formatDateTime(iso: string | Date): string {
  const d = new Date(iso);
  return `${dateTimeFormat.format(d)} ${zoneAbbreviation(d)}`;
}

export function formatDate(iso: string | Date): string {
  return dateFormat.format(new Date(iso));
}

function cityParts(d: Date) {
  const p = Object.fromEntries(partsFormat.formatToParts(d).map((x) => [x.type, x.value]));
  return { y: p.year, m: p.month, d: p.day, h: p.hour, min: p.minute, s: Number(p.second) };
}

/** The value for an <input type="datetime-local"> showing this instant on the city's clock. */
export function toCityDateTimeInput(d: Date): string {
  const p = cityParts(d);
  return `${p.y}-${p.m}-${p.d}T${p.h}:${p.min}`;
}

/** The value for an <input type="date"> with this instant's date on the city's calendar. */
export function toCityDateInput(d: Date): string {
  const p = cityParts(d);
  return `${p.y}-${p.m}-${p.d}`;
}

/** The instant at which the city's clock reads this wall time ("2026-03-03T14:15"); null if malformed. */
export function fromCityWallTime(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, min] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0"].map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, min);
  // The zone's offset at that moment, read back from the formatter (correct across DST changes too).
  const p = cityParts(new Date(guess));
  const asUtc = Date.UTC(Number(p.y), Number(p.m) - 1, Number(p.d), Number(p.h), Number(p.min), p.s);
  const result = new Date(guess - (asUtc - guess));
  return Number.isNaN(result.getTime()) ? null : result;
}
