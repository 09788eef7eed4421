import type { DataSource } from "typeorm";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { contactFilter } from "../confidentiality/visibility";
import { badInput } from "../errors/domain-error";
import { csvHeader, csvLine, type CsvColumn } from "../records/csv";
import { addDays, localDate, zonedInstant, type PlainDate } from "../routing/business-days";
import { textSimilarity } from "./text-similarity";

export enum FindingKind {
  /** More than one final answer, or answers from more than one department. */
  CONFLICTING_ANSWERS = "CONFLICTING_ANSWERS",
  /** A final answer far from the category's standard response. */
  DEPARTS_FROM_STANDARD = "DEPARTS_FROM_STANDARD",
  /** The same constituent about the same category again, the earlier contact still open or unanswered. */
  REPEAT_CONTACT = "REPEAT_CONTACT",
  /** A request transferred more than twice. */
  TRANSFERRED_OFTEN = "TRANSFERRED_OFTEN",
  /** An open or in-progress assignment with no activity for days. */
  NO_ACTIVITY = "NO_ACTIVITY",
}

/** "More than twice" is the rule: a third transfer means the routing needs a look. */
export const MAX_TRANSFERS = 2;
const DEFAULT_DAYS = 7;
const MAX_LIMIT = 1000;

export interface ConsistencyFinding {
  kind: FindingKind;
  contactId: string;
  referenceNumber: string;
  assignmentId: string | null;
  departmentNames: string[];
  categoryName: string;
  detail: string;
  /** DEPARTS_FROM_STANDARD: the similarity (0..1); CONFLICTING_ANSWERS: final answers; else a count. */
  score: number | null;
  relatedReferenceNumber: string | null;
  at: Date;
}

export interface ConsistencyFilter {
  /** City dates, both included; default the last seven days. */
  from?: string | null;
  to?: string | null;
  kinds?: FindingKind[] | null;
  /** Per kind; default and cap 1000. */
  limit?: number | null;
  now?: Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function cityDate(field: string, value: string): PlainDate {
  if (!DATE.test(value) || addDays(value, 0) !== value) throw badInput(field, "must be a date as YYYY-MM-DD");
  return value;
}

interface Period {
  start: Date;
  end: Date;
  /** Staleness is judged at the period's end, or now when that is later. */
  asOf: Date;
}

/**
 * The weekly review's consistency findings for a period. Findings about confidential requests are left
 * out for viewers whom the confidentiality rules do not let read them (administrators).
 */
export async function consistencyFindings(
  ds: DataSource,
  viewer: Viewer | null,
  filter: ConsistencyFilter = {},
): Promise<ConsistencyFinding[]> {
  const v = requireRole(viewer, Rules.readConsistencyFindings);
  const cfg = config();
  const now = filter.now ?? new Date();
  const tz = cfg.STAR_TIME_ZONE;
  const to = filter.to ? cityDate("to", filter.to) : localDate(now, tz);
  const from = filter.from ? cityDate("from", filter.from) : addDays(to, -(DEFAULT_DAYS - 1));
  if (to < from) throw badInput("to", "must not be before from");
  if (addDays(from, 400) <= to) throw badInput("to", "spans at most 400 days");
  const limit = filter.limit ?? MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw badInput("limit", `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const kinds = new Set(filter.kinds?.length ? filter.kinds : Object.values(FindingKind));
  for (const k of kinds) if (!Object.values(FindingKind).includes(k)) throw badInput("kinds", "unknown kind");
  const end = zonedInstant(addDays(to, 1), 0, tz);
  const period: Period = { start: zonedInstant(from, 0, tz), end, asOf: end < now ? end : now };

  const out: ConsistencyFinding[] = [];
  const run = async (kind: FindingKind, find: (p: Period) => Promise<ConsistencyFinding[]>) => {
    if (kinds.has(kind)) out.push(...(await find(period)));
  };
  const vis = (alias: string, offset: number) => {
    const c = contactFilter(v, alias, offset);
    return { sql: `(NOT ${alias}.confidential OR ${c.sql})`, params: c.params };
  };

  await run(FindingKind.CONFLICTING_ANSWERS, async (p) => {
    const f = vis("k", 3);
    const rows: Row[] = await ds.query(
      `SELECT k.id AS contact_id, k.reference_number, cat.name AS category_name,
              count(*) FILTER (WHERE r.is_final)::int AS finals,
              count(DISTINCT a.department_id)::int AS departments,
              array_agg(DISTINCT d.name ORDER BY d.name) AS department_names,
              max(r.created_at) AS at
         FROM contact k
         JOIN category cat ON cat.id = k.category_id
         JOIN assignment a ON a.contact_id = k.id
         JOIN department d ON d.id = a.department_id
         JOIN response r ON r.assignment_id = a.id AND r.kind = 'RESPONSE'
        WHERE k.id IN (SELECT a2.contact_id FROM response r2 JOIN assignment a2 ON a2.id = r2.assignment_id
                        WHERE r2.kind = 'RESPONSE' AND r2.created_at >= $1 AND r2.created_at < $2)
          AND ${f.sql}
        GROUP BY k.id, k.reference_number, cat.name
       HAVING count(*) FILTER (WHERE r.is_final) > 1 OR count(DISTINCT a.department_id) > 1
        ORDER BY max(r.created_at) DESC LIMIT $3`,
      [p.start, p.end, limit, ...f.params],
    );
    return rows.map((r) =>
      finding(FindingKind.CONFLICTING_ANSWERS, r, {
        score: r.finals,
        detail:
          r.departments > 1
            ? `Answers from ${r.departments} departments (${r.finals} final)`
            : `${r.finals} final answers`,
      }),
    );
  });

  await run(FindingKind.DEPARTS_FROM_STANDARD, async (p) => {
    const f = vis("k", 2);
    const rows: (Row & { body: string; standard: string })[] = await ds.query(
      `SELECT k.id AS contact_id, k.reference_number, cat.name AS category_name, a.id AS assignment_id,
              ARRAY[d.name] AS department_names, r.created_at AS at, r.body,
              CASE WHEN k.language = 'es' AND cat.standard_response_es <> '' THEN cat.standard_response_es
                   ELSE cat.standard_response END AS standard
         FROM response r
         JOIN assignment a ON a.id = r.assignment_id
         JOIN contact k ON k.id = a.contact_id
         JOIN category cat ON cat.id = k.category_id
         JOIN department d ON d.id = a.department_id
        WHERE r.kind = 'RESPONSE' AND r.is_final AND r.created_at >= $1 AND r.created_at < $2
          AND cat.standard_response <> '' AND ${f.sql}
        ORDER BY r.created_at DESC`,
      [p.start, p.end, ...f.params],
    );
    const threshold = cfg.STAR_CONSISTENCY_SIMILARITY_THRESHOLD;
    const found: ConsistencyFinding[] = [];
    for (const r of rows) {
      const similarity = textSimilarity(r.body, r.standard);
      if (similarity >= threshold) continue;
      found.push(
        finding(FindingKind.DEPARTS_FROM_STANDARD, r, {
          score: Math.round(similarity * 1000) / 1000,
          detail: `The final answer is ${Math.round(similarity * 100)}% similar to the standard response (threshold ${Math.round(threshold * 100)}%)`,
        }),
      );
      if (found.length >= limit) break;
    }
    return found;
  });

  await run(FindingKind.REPEAT_CONTACT, async (p) => {
    const f = vis("b", 3);
    const e = vis("e", 3 + f.params.length);
    const rows: (Row & { related: string })[] = await ds.query(
      `SELECT b.id AS contact_id, b.reference_number, cat.name AS category_name, b.received_at AS at,
              e.reference_number AS related,
              ARRAY(SELECT d.name FROM assignment x JOIN department d ON d.id = x.department_id
                     WHERE x.contact_id = COALESCE(e.duplicate_of_id, e.id) AND x.is_lead
                     ORDER BY x.assigned_at DESC LIMIT 1) AS department_names,
              NOT EXISTS (SELECT 1 FROM assignment x WHERE x.contact_id = COALESCE(e.duplicate_of_id, e.id)
                           AND x.is_lead AND x.status = 'COMPLETED' AND x.completed_at <= b.received_at)
                AND EXISTS (SELECT 1 FROM assignment x WHERE x.contact_id = COALESCE(e.duplicate_of_id, e.id)
                             AND x.is_lead AND x.status IN ('OPEN','IN_PROGRESS','COMPLETED')) AS still_open
         FROM contact b
         JOIN contact e ON e.constituent_id = b.constituent_id AND e.category_id = b.category_id
          AND e.id <> b.id AND e.received_at <= b.received_at
          AND e.received_at > b.received_at - make_interval(days => $3)
         JOIN category cat ON cat.id = b.category_id
        WHERE b.constituent_id IS NOT NULL AND b.received_at >= $1 AND b.received_at < $2
          AND (e.received_at < b.received_at OR e.entered_at < b.entered_at)
          -- A report linked as a duplicate is answered through its first report: judge that one.
          AND (NOT EXISTS (SELECT 1 FROM assignment x WHERE x.contact_id = COALESCE(e.duplicate_of_id, e.id)
                            AND x.is_lead AND x.status = 'COMPLETED' AND x.completed_at <= b.received_at)
               OR NOT EXISTS (SELECT 1 FROM response r JOIN assignment x ON x.id = r.assignment_id
                               WHERE x.contact_id = COALESCE(e.duplicate_of_id, e.id) AND r.kind = 'RESPONSE'))
          AND ${f.sql} AND ${e.sql}
        ORDER BY b.received_at DESC LIMIT ${limit}`,
      [p.start, p.end, cfg.STAR_REPEAT_CONTACT_DAYS, ...f.params, ...e.params],
    );
    return rows.map((r) =>
      finding(FindingKind.REPEAT_CONTACT, r, {
        related: r.related,
        detail: r.still_open
          ? `Contacted again about the same category while ${r.related} was still open`
          : `Contacted again about the same category after ${r.related} was closed without an answer`,
      }),
    );
  });

  await run(FindingKind.TRANSFERRED_OFTEN, async (p) => {
    const f = vis("k", 3);
    const rows: (Row & { transfers: number })[] = await ds.query(
      `SELECT k.id AS contact_id, k.reference_number, cat.name AS category_name,
              (SELECT x.id FROM assignment x WHERE x.contact_id = k.id AND x.is_lead
                ORDER BY x.assigned_at DESC, x.created_at DESC LIMIT 1) AS assignment_id,
              count(*) FILTER (WHERE a.is_lead AND a.status = 'TRANSFERRED')::int AS transfers,
              array_agg(DISTINCT d.name ORDER BY d.name) FILTER (WHERE a.is_lead) AS department_names,
              max(a.assigned_at) FILTER (WHERE a.transferred_from_id IS NOT NULL) AS at
         FROM contact k
         JOIN category cat ON cat.id = k.category_id
         JOIN assignment a ON a.contact_id = k.id
         JOIN department d ON d.id = a.department_id
        WHERE k.id IN (SELECT t.contact_id FROM assignment t
                        WHERE t.transferred_from_id IS NOT NULL AND t.assigned_at >= $1 AND t.assigned_at < $2)
          AND ${f.sql}
        GROUP BY k.id, k.reference_number, cat.name
       HAVING count(*) FILTER (WHERE a.is_lead AND a.status = 'TRANSFERRED') > ${MAX_TRANSFERS}
        ORDER BY at DESC LIMIT $3`,
      [p.start, p.end, limit, ...f.params],
    );
    return rows.map((r) =>
      finding(FindingKind.TRANSFERRED_OFTEN, r, {
        score: r.transfers,
        detail: `Transferred ${r.transfers} times`,
      }),
    );
  });

  await run(FindingKind.NO_ACTIVITY, async (p) => {
    const f = vis("k", 2);
    const rows: (Row & { days: number })[] = await ds.query(
      `SELECT k.id AS contact_id, k.reference_number, cat.name AS category_name, a.id AS assignment_id,
              ARRAY[d.name] AS department_names, x.last AS at,
              floor(extract(epoch FROM $1::timestamptz - x.last) / 86400)::int AS days
         FROM assignment a
         JOIN contact k ON k.id = a.contact_id
         JOIN category cat ON cat.id = k.category_id
         JOIN department d ON d.id = a.department_id
         CROSS JOIN LATERAL (
           SELECT greatest(a.assigned_at,
                    (SELECT max(r.created_at) FROM response r WHERE r.assignment_id = a.id),
                    (SELECT max(ev.at) FROM audit_event ev
                      WHERE ev.entity_type = 'assignment' AND ev.entity_id = a.id::text)) AS last) x
        WHERE a.status IN ('OPEN', 'IN_PROGRESS')
          AND a.assigned_at < $1::timestamptz - make_interval(days => $2)
          AND x.last < $1::timestamptz - make_interval(days => $2)
          AND ${f.sql}
        ORDER BY x.last ASC LIMIT ${limit}`,
      [p.asOf, cfg.STAR_STALE_ASSIGNMENT_DAYS, ...f.params],
    );
    return rows.map((r) =>
      finding(FindingKind.NO_ACTIVITY, r, { score: r.days, detail: `No activity for ${r.days} days` }),
    );
  });

  return out;
}

interface Row {
  contact_id: string;
  reference_number: string;
  category_name: string;
  assignment_id?: string | null;
  department_names: string[] | null;
  at: Date;
  finals: number;
  departments: number;
  still_open?: boolean;
}

function finding(
  kind: FindingKind,
  r: Row,
  extra: { detail: string; score?: number | null; related?: string | null },
): ConsistencyFinding {
  return {
    kind,
    contactId: r.contact_id,
    referenceNumber: r.reference_number,
    assignmentId: r.assignment_id ?? null,
    departmentNames: (r.department_names ?? []).filter(Boolean),
    categoryName: r.category_name,
    detail: extra.detail,
    score: extra.score ?? null,
    relatedReferenceNumber: extra.related ?? null,
    at: r.at,
  };
}

const FINDING_COLUMNS: CsvColumn<ConsistencyFinding>[] = [
  { header: "kind", value: (f) => f.kind },
  { header: "reference_number", value: (f) => f.referenceNumber },
  { header: "departments", value: (f) => f.departmentNames.join("; ") },
  { header: "category", value: (f) => f.categoryName },
  { header: "detail", value: (f) => f.detail },
  { header: "score", value: (f) => f.score },
  { header: "related_reference_number", value: (f) => f.relatedReferenceNumber },
  { header: "at", value: (f) => f.at.toISOString() },
  { header: "contact_id", value: (f) => f.contactId },
  { header: "assignment_id", value: (f) => f.assignmentId },
];

/** The findings as CSV (RFC 4180, CRLF); cells a spreadsheet would run as formulas are neutralised. */
export function consistencyFindingsCsv(findings: readonly ConsistencyFinding[]): string {
  return csvHeader(FINDING_COLUMNS) + findings.map((f) => csvLine(FINDING_COLUMNS, f)).join("");
}
