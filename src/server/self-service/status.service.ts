import type { DataSource } from "typeorm";
import { AssignmentStatus, ContactStatus, Language } from "../../../entities";
import { contactStatus } from "../assignments/contact-status";
import { optionalText, requiredText } from "../validation/validate";
import { hitRateLimit } from "./rate-limit.service";
import { trackingCodeMatches } from "./tracking-code";

export interface PublicAnswer {
  body: string;
  sentAt: Date;
  isFinal: boolean;
}

/**
 * Everything the public status page shows: the request's progress and answers, nobody's details. Without
 * the tracking code only what Open311 publishes by reference number anyway: no answers, no language and
 * no completion time (Open311 gives only its status and last update).
 */
export interface PublicStatus {
  referenceNumber: string;
  status: ContactStatus;
  categoryName: string;
  categoryNameEs: string;
  departmentName: string;
  departmentNameEs: string;
  receivedAt: Date;
  /** As Open311's updated_datetime: the latest of the entry and of every assignment's start and end. */
  updatedAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  language: Language | null;
  trackingCodeMatched: boolean;
  answers: PublicAnswer[];
}

interface ContactRow {
  id: string;
  root_id: string;
  received_at: Date;
  entered_at: Date;
  language: Language;
  code_hash: string | null;
  category_name: string;
  category_name_es: string;
}

/**
 * The status of one request by its reference number and the tracking code from its receipt. An unknown
 * reference and a wrong code get the same answer (null) after the same work, so a code cannot be
 * probed. Answers are the lead's responses to the constituent (never internal notes), with every name,
 * email, phone and address known for the request's reporters blanked out. Without a code (omitted, not
 * blank: a blank code is a wrong one) the answer holds only what Open311 shows for the reference.
 */
export async function publicRequestStatus(
  ds: DataSource,
  referenceNumber: string,
  trackingCode: string | null | undefined,
  clientAddress: string | null | undefined,
): Promise<PublicStatus | null> {
  const ref = requiredText("referenceNumber", referenceNumber, { max: 30 }).toUpperCase();
  const code = trackingCode == null ? null : (optionalText("trackingCode", trackingCode, { max: 40 }) ?? "");
  await hitRateLimit(ds, "status", clientAddress);

  const rows: ContactRow[] = await ds.query(
    `SELECT c.id, COALESCE(c.duplicate_of_id, c.id) AS root_id, c.received_at, c.entered_at, c.language,
            t.code_hash, cat.name AS category_name, cat.name_es AS category_name_es
       FROM contact c
       JOIN category cat ON cat.id = c.category_id
       LEFT JOIN public_tracking_code t ON t.contact_id = c.id
      WHERE c.reference_number = $1`,
    [ref],
  );
  const row = rows[0];
  if (code !== null && !trackingCodeMatches(code, row?.code_hash ?? null)) return null;
  if (!row) return null;

  const assignments: {
    status: AssignmentStatus;
    is_lead: boolean;
    assigned_at: Date;
    due_at: Date | null;
    completed_at: Date | null;
    department_name: string;
    department_name_es: string;
  }[] = await ds.query(
    `SELECT a.status, a.is_lead, a.assigned_at, a.due_at, a.completed_at, d.name AS department_name,
            COALESCE(d.name_es, d.name) AS department_name_es
       FROM assignment a JOIN department d ON d.id = a.department_id
      WHERE a.contact_id = $1
      ORDER BY a.is_lead DESC, (a.status IN ('OPEN','IN_PROGRESS')) DESC, a.assigned_at DESC`,
    [row.root_id],
  );
  const lead = assignments.find((a) => a.is_lead) ?? assignments[0];
  const status = contactStatus(assignments);
  const updatedAt = new Date(
    Math.max(
      row.entered_at.getTime(),
      ...assignments.flatMap((a) => [a.assigned_at.getTime(), a.completed_at?.getTime() ?? 0]),
    ),
  );
  const open: PublicStatus = {
    referenceNumber: ref,
    status,
    categoryName: row.category_name,
    categoryNameEs: row.category_name_es,
    departmentName: lead?.department_name ?? "",
    departmentNameEs: lead?.department_name_es ?? "",
    receivedAt: row.received_at,
    updatedAt,
    dueAt: lead?.due_at ?? null,
    completedAt: null,
    language: null,
    trackingCodeMatched: false,
    answers: [],
  };
  if (code === null) return open;

  const responses: { body: string; sent_at: Date; is_final: boolean }[] = await ds.query(
    `SELECT r.body, COALESCE(r.sent_at, r.created_at) AS sent_at, r.is_final
       FROM response r JOIN assignment a ON a.id = r.assignment_id
      WHERE a.contact_id = $1 AND a.is_lead AND r.kind = 'RESPONSE'
      ORDER BY COALESCE(r.sent_at, r.created_at), r.id`,
    [row.root_id],
  );
  const redact = responses.length ? await redactorFor(ds, row.root_id) : (s: string) => s;

  return {
    ...open,
    completedAt: status === ContactStatus.CLOSED ? (lead?.completed_at ?? null) : null,
    language: row.language,
    trackingCodeMatched: true,
    answers: responses.map((r) => ({ body: redact(r.body), sentAt: r.sent_at, isFinal: r.is_final })),
  };
}

export const REDACTED = "[…]";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Ways a stored E.164 number is commonly written in a letter: +16025550123, (602) 555-0123, 602.555.0123. */
function phoneForms(e164: string): string[] {
  const digits = e164.replace(/\D/g, "");
  const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  if (national.length !== 10) return [e164, digits];
  const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  return [
    e164,
    digits,
    national,
    `(${a}) ${b}-${c}`,
    `(${a})${b}-${c}`,
    `${a}-${b}-${c}`,
    `${a}.${b}.${c}`,
    `${a} ${b} ${c}`,
  ];
}

/**
 * Answers are written to a person and may greet them by name: on a public page (which every reporter of
 * the same issue reads) each reporter's name, email, phone, address and callback is blanked.
 */
async function redactorFor(ds: DataSource, rootId: string): Promise<(text: string) => string> {
  const people: Record<string, string | null>[] = await ds.query(
    `SELECT p.first_name, p.last_name, p.organization, p.email, p.phone, p.address_line1, p.address_line2
       FROM contact c JOIN constituent p ON p.id = c.constituent_id
      WHERE c.id = $1 OR c.duplicate_of_id = $1
     UNION ALL
     SELECT NULL, NULL, NULL, cb.email, cb.phone, NULL, NULL
       FROM contact c JOIN confidential_callback cb ON cb.contact_id = c.id
      WHERE c.id = $1 OR c.duplicate_of_id = $1`,
    [rootId],
  );
  const terms = new Set<string>();
  for (const p of people) {
    for (const key of [
      "first_name",
      "last_name",
      "organization",
      "email",
      "address_line1",
      "address_line2",
    ]) {
      const v = p[key]?.trim();
      if (v && v.length >= 2) terms.add(v);
    }
    if (p.phone) for (const f of phoneForms(p.phone)) terms.add(f);
  }
  if (!terms.size) return (s) => s;
  // Longest first, so "Ana María" goes before "Ana"; whole words only, in any case.
  const alternatives = [...terms].sort((a, b) => b.length - a.length).map(escape);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return (text) => text.normalize("NFC").replace(pattern, REDACTED);
}
