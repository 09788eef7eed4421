/**
 * The two wire formats of GeoReport v2. Both are written from the same value, so JSON and XML always
 * carry the same content: an array becomes a list element whose children are named by ITEM_NAMES, null
 * becomes an empty element, and every text is escaped (and stripped of characters XML 1.0 forbids).
 */

export type Open311Value = string | number | boolean | null | Open311Value[] | Open311Object;
export interface Open311Object {
  [key: string]: Open311Value;
}

export type Open311Format = "json" | "xml";

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: "application/json; charset=utf-8",
  xml: "text/xml; charset=utf-8",
};

/** The element of each item of a list, by the list's element name. */
const ITEM_NAMES: Record<string, string> = {
  services: "service",
  service_requests: "request",
  attributes: "attribute",
  values: "value",
  errors: "error",
  endpoints: "endpoint",
  formats: "format",
};

// Tab, newline and carriage return are the only control characters XML 1.0 allows.
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

function xmlText(v: string | number | boolean): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  return escapeXml(String(v));
}

function writeXml(name: string, v: Open311Value, out: string[]): void {
  if (v === null || v === undefined) {
    out.push(`<${name}/>`);
  } else if (Array.isArray(v)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`no XML item element for the list ${name}`);
    out.push(`<${name}>`);
    for (const x of v) writeXml(item, x, out);
    out.push(`</${name}>`);
  } else if (typeof v === "object") {
    out.push(`<${name}>`);
    for (const [k, x] of Object.entries(v)) writeXml(k, x, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${xmlText(v)}</${name}>`);
  }
}

/** An XML document with its declaration; `root` names the top element (a list's, for a list). */
export function toXml(root: string, value: Open311Value): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  writeXml(root, value, out);
  return out.join("");
}

export function toJson(value: Open311Value): string {
  return JSON.stringify(value);
}

export function render(format: Open311Format, root: string, value: Open311Value): string {
  return format === "json" ? toJson(value) : toXml(root, value);
}

/**
 * An ISO 8601 time with the city's UTC offset, e.g. 2026-12-04T09:18:11-07:00. The offset is looked up
 * once per hour of time and zone, as formatting every time of a 1,000-row page through Intl is slow.
 */
export function open311Time(d: Date | number | null, timeZone: string): string | null {
  if (d === null) return null;
  const ms = Math.floor((typeof d === "number" ? d : d.getTime()) / 1000) * 1000;
  const offset = offsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${offset < 0 ? "-" : "+"}${hh}:${mm}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const HOUR = 3_600_000;

function offsetMinutes(ms: number, timeZone: string): number {
  const hourStart = Math.floor(ms / HOUR) * HOUR;
  const key = `${timeZone} ${hourStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOffset(hourStart, timeZone);
    // Zones change their offset on whole hours or half hours: check the end of the hour too.
    if (zoneOffset(hourStart + HOUR - 1000, timeZone) !== offset) offset = zoneOffset(ms, timeZone);
    else {
      if (offsets.size > 50_000) offsets.clear();
      offsets.set(key, offset);
    }
  }
  return offset;
}

function zoneOffset(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
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
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((wall - ms) / 60_000);
}
