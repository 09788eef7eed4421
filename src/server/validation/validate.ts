import { badInput } from "../errors/domain-error";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[a-z]{2,}$/i;
// A tag-like sequence: plain text only, so a response or export can never carry markup.
const HTML_TAG = /<\s*\/?\s*[a-z!?][^>]*>/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function uuid(field: string, value: string): string {
  if (!isUuid(value)) throw badInput(field, "must be a valid id");
  return value.toLowerCase();
}

export function optionalUuid(field: string, value: string | null | undefined): string | null {
  return value == null || value === "" ? null : uuid(field, value);
}

interface TextRules {
  max: number;
  min?: number;
  plain?: boolean;
}

/** Trims; empty becomes null. */
export function optionalText(
  field: string,
  value: string | null | undefined,
  rules: TextRules,
): string | null {
  if (value == null) return null;
  const v = value.normalize("NFC").trim();
  if (v === "") return null;
  return checkText(field, v, rules);
}

export function requiredText(field: string, value: string | null | undefined, rules: TextRules): string {
  const v = optionalText(field, value, rules);
  if (v == null) throw badInput(field, "is required");
  return v;
}

function checkText(field: string, v: string, rules: TextRules): string {
  if ([...v].length > rules.max) throw badInput(field, `must be at most ${rules.max} characters`);
  if (rules.min && [...v].length < rules.min)
    throw badInput(field, `must be at least ${rules.min} characters`);
  if (CONTROL.test(v)) throw badInput(field, "contains control characters");
  if (rules.plain !== false && HTML_TAG.test(v))
    throw badInput(field, "must be plain text; HTML is not accepted");
  return v;
}

export function optionalEmail(field: string, value: string | null | undefined): string | null {
  const v = optionalText(field, value, { max: 320 });
  if (v == null) return null;
  if (!EMAIL.test(v)) throw badInput(field, "is not a valid email address");
  return v.toLowerCase();
}

export function optionalNumber(
  field: string,
  value: number | null | undefined,
  min: number,
  max: number,
): number | null {
  if (value == null) return null;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw badInput(field, `must be between ${min} and ${max}`);
  }
  return value;
}

export function requiredDate(field: string, value: Date | null | undefined): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw badInput(field, "must be a date and time");
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw badInput(field, `must be one of ${allowed.join(", ")}`);
  return value as T;
}
