import { toE164 } from "../intake/phone";
import { similarity, textKey } from "./text-key";

export interface MatchCandidate {
  firstName: string | null;
  lastName: string | null;
  organization: string | null;
  email: string | null;
  phone: string | null;
  addressLine1: string | null;
  nameKey: string;
  addressKey: string;
}

export interface Match {
  score: number;
  reasons: string[];
}

interface Part {
  score: number;
  reason: string;
}

/** Independent pieces of evidence add up without passing 1: two weak matches beat one. */
function combine(parts: Part[]): Match {
  const kept = parts.filter((p) => p.score > 0).sort((a, b) => b.score - a.score);
  const score = 1 - kept.reduce((rest, p) => rest * (1 - Math.min(p.score, 1)), 1);
  return { score: Math.round(score * 1000) / 1000, reasons: kept.map((p) => p.reason) };
}

const pct = (n: number) => `${Math.round(n * 100)}%`;

/** Like textKey but keeping accents: two texts with the same key differ here only in their accents. */
const withAccents = (s: string) =>
  s
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.]+/gu, " ")
    .trim();

function nameEvidence(query: string, queryKey: string, c: MatchCandidate): Part | null {
  const first = textKey(c.firstName);
  const last = textKey(c.lastName);
  const full = textKey(c.firstName, c.lastName);
  const swapped = textKey(c.lastName, c.firstName);
  if (full && queryKey === full) {
    const accents = withAccents(query) !== withAccents([c.firstName, c.lastName].filter(Boolean).join(" "));
    return { score: 1, reason: accents ? "name matches (accents ignored)" : "name matches" };
  }
  if (swapped && queryKey === swapped)
    return { score: 0.97, reason: "name matches with first and last swapped" };
  const org = textKey(c.organization);
  if (org && queryKey === org) return { score: 0.95, reason: "organization matches" };

  const words = queryKey.split(" ");
  let best = Math.max(similarity(queryKey, full), org ? similarity(queryKey, org) : 0);
  if (words.length === 1) {
    // One word typed: compare it with each name on file.
    best = Math.max(best, 0.9 * Math.max(similarity(queryKey, first), similarity(queryKey, last)));
  }
  if (best < 0.25) return null;
  return { score: best * 0.95, reason: `name similar (${pct(best)})` };
}

/** How well a record matches what a clerk typed into the search box: a name, phone, email or address. */
export function scoreSearchMatch(query: string, c: MatchCandidate): Match {
  const parts: Part[] = [];
  const queryKey = textKey(query);
  const lowered = query.trim().toLowerCase();

  const phone = toE164(query);
  const digits = query.replace(/\D/g, "");
  if (c.phone && phone && c.phone === phone) parts.push({ score: 1, reason: "phone matches" });
  else if (
    c.phone &&
    !phone &&
    digits.length >= 7 &&
    /^[\d\s().+-]+$/.test(query) &&
    c.phone.endsWith(digits)
  ) {
    parts.push({ score: 0.8, reason: `phone ends in ${digits}` });
  }

  if (c.email && lowered.length >= 3) {
    const email = c.email.toLowerCase();
    if (email === lowered) parts.push({ score: 1, reason: "email matches" });
    else if (email.includes(lowered)) {
      parts.push({
        score: 0.6 + 0.3 * (lowered.length / email.length),
        reason: `email contains "${lowered}"`,
      });
    }
  }

  if (!phone && queryKey.length >= 2) {
    const name = nameEvidence(query, queryKey, c);
    if (name) parts.push(name);
    if (c.addressKey && queryKey.length >= 4) {
      if (c.addressKey.includes(queryKey)) {
        parts.push({
          score: 0.55 + 0.4 * (queryKey.length / c.addressKey.length),
          reason: "address contains the text",
        });
      } else {
        const s = similarity(queryKey, c.addressKey);
        if (s >= 0.35) parts.push({ score: s * 0.8, reason: `address similar (${pct(s)})` });
      }
    }
  }
  return combine(parts);
}

export interface DuplicateProbe {
  firstName: string | null;
  lastName: string | null;
  organization: string | null;
  email: string | null;
  phone: string | null;
  /** textKey of the whole address */
  addressKey: string;
}

/** How likely a new record is the same person as one on file. A shared name alone is not enough. */
export function scoreDuplicate(probe: DuplicateProbe, c: MatchCandidate): Match {
  const parts: Part[] = [];
  if (probe.email && c.email && probe.email.toLowerCase() === c.email.toLowerCase()) {
    parts.push({ score: 0.95, reason: "same email" });
  }
  if (probe.phone && c.phone && probe.phone === c.phone) parts.push({ score: 0.9, reason: "same phone" });

  const probeName = textKey(probe.firstName, probe.lastName);
  const fileName = textKey(c.firstName, c.lastName);
  if (probeName && fileName) {
    const swapped = textKey(c.lastName, c.firstName);
    // Below LIKELY_DUPLICATE on its own: many people share a name.
    if (probeName === fileName) parts.push({ score: 0.55, reason: "same name" });
    else if (probeName === swapped)
      parts.push({ score: 0.5, reason: "same name with first and last swapped" });
    else {
      const s = similarity(probeName, fileName);
      if (s >= 0.45) parts.push({ score: s * 0.55, reason: `similar name (${pct(s)})` });
    }
  }
  const probeOrg = textKey(probe.organization);
  if (probeOrg && probeOrg === textKey(c.organization))
    parts.push({ score: 0.5, reason: "same organization" });

  if (probe.addressKey && c.addressKey) {
    const s = similarity(probe.addressKey, c.addressKey);
    if (s >= 0.6) parts.push({ score: s * 0.5, reason: `same address (${pct(s)})` });
  }
  return combine(parts);
}

/** At or above this, createConstituent asks the clerk to confirm. */
export const LIKELY_DUPLICATE = 0.6;
