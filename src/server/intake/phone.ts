import { badInput } from "../errors/domain-error";

/**
 * Normalises a phone number typed in any common format to E.164. Numbers without a country code are
 * taken as North American (NANP); an extension is not part of the number and is refused.
 * Returns null when the input cannot be a phone number.
 */
export function toE164(input: string): string | null {
  const raw = input.trim();
  if (!/^[+\d\s().\-/]+$/.test(raw)) return null;
  const digits = raw.replace(/\D/g, "");
  if (raw.startsWith("+")) {
    if (digits.startsWith("1")) return nanp(digits.slice(1));
    return digits.length >= 8 && digits.length <= 15 && !digits.startsWith("0") ? `+${digits}` : null;
  }
  if (digits.startsWith("011")) {
    const intl = digits.slice(3);
    return intl.length >= 8 && intl.length <= 15 && !intl.startsWith("0") ? `+${intl}` : null;
  }
  if (digits.length === 11 && digits.startsWith("1")) return nanp(digits.slice(1));
  if (digits.length === 10) return nanp(digits);
  return null;
}

function nanp(ten: string): string | null {
  // Area code and exchange never start with 0 or 1.
  if (!/^[2-9]\d{2}[2-9]\d{6}$/.test(ten)) return null;
  return `+1${ten}`;
}

export function normalizePhone(field: string, input: string | null | undefined): string | null {
  if (input == null || input.trim() === "") return null;
  const e164 = toE164(input);
  if (!e164) throw badInput(field, "is not a valid phone number (use 10 digits, or + and the country code)");
  return e164;
}

/** How staff read a number back to a caller: (602) 555-0123. */
export function formatPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}
