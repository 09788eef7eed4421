/**
 * What Open311 publishes of a request's own text. Open311 is public to anyone, with no key: a
 * description may carry its submitter's email, phone or name (typed by them, or by a clerk taking a
 * call), so those are masked before the text leaves. The location is not masked: where the
 * pothole is, is what a non-confidential request is about, even when it is in front of the submitter's
 * home. A confidential request publishes no description and no location at all (see open311.service.ts).
 */

export const EMAIL_MASK = "[email removed]";
export const PHONE_MASK = "[phone removed]";
export const NAME_MASK = "[name removed]";
export const ADDRESS_MASK = "[address removed]";

const EMAIL = /[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"']+\.[a-z]{2,}/gi;
// North American numbers in their usual spellings, and international ones written from the "+".
const PHONE =
  /(?<![\d+])(?:(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}|\+\d[\d\s.-]{6,16}\d)(?!\d)/g;
// Particles of compound surnames: too common as words to mask on their own.
const PARTICLES = new Set(["de", "del", "la", "las", "los", "el", "y", "da", "di", "du", "van", "von", "le"]);

export interface SubmitterFacts {
  firstName: string | null;
  lastName: string | null;
  addressLine1: string | null;
}

/** One folded code unit per code point of the text: lower case, accents dropped. */
function fold(text: string): { points: string[]; folded: string } {
  const points = Array.from(text);
  const folded = points.map((p) => (p.normalize("NFD")[0] ?? p).toLowerCase()).join("");
  return { points, folded };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function maskWords(text: string, words: string[], mask: string): string {
  if (!words.length) return text;
  const { points, folded } = fold(text);
  const alternatives = words
    .map((w) => fold(w).folded)
    .sort((a, b) => b.length - a.length)
    .map((w) => escapeRegExp(w).replace(/\s+/g, "\\s+"));
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "gu");
  const out: string[] = [];
  let last = 0;
  for (const m of folded.matchAll(re)) {
    // The folded text has one code unit per code point, so its indexes are the original's code points.
    out.push(points.slice(last, m.index).join(""), mask);
    last = m.index + m[0].length;
  }
  if (last === 0) return text;
  out.push(points.slice(last).join(""));
  return out.join("");
}

// Cheap folding of a whole text at once, to decide whether the exact (slower) masking is needed at all.
const MARKS = /\p{M}+/gu;
const quickFold = (s: string) => s.normalize("NFD").replace(MARKS, "").toLowerCase();

function nameWords(...names: (string | null)[]): string[] {
  return names
    .flatMap((n) => (n ?? "").split(/[\s-]+/))
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ""))
    .filter((w) => [...w].length >= 2 && !PARTICLES.has(quickFold(w)));
}

const DIGITS = /\d{3}/;

/** The description as Open311 shows it: emails, phone numbers and the submitter's name and home masked. */
export function publicDescription(
  text: string,
  submitter: SubmitterFacts | null,
  locationAddress: string | null,
): string {
  let out = text;
  if (out.includes("@")) out = out.replace(EMAIL, EMAIL_MASK);
  if (DIGITS.test(out)) out = out.replace(PHONE, PHONE_MASK);
  if (!submitter) return out;
  const folded = quickFold(out);
  const home = submitter.addressLine1?.trim() ? quickFold(submitter.addressLine1.trim()) : null;
  // A home that is also the location is published as the location anyway.
  if (home && folded.includes(home) && !(locationAddress && quickFold(locationAddress).includes(home))) {
    out = maskWords(out, [submitter.addressLine1!.trim()], ADDRESS_MASK);
  }
  const names = nameWords(submitter.firstName, submitter.lastName).filter((w) =>
    folded.includes(quickFold(w)),
  );
  return names.length ? maskWords(out, names, NAME_MASK) : out;
}
