import type { DataSource } from "typeorm";
import type { Viewer } from "../auth/viewer";
import { Rules, requireRole } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";

export interface TimelineEntry {
  at: Date;
  actorId: string | null;
  action: string;
  summary: string;
  reason: string | null;
}

interface AuditRow {
  contactId: string;
  at: Date;
  actorId: string | null;
  action: string;
  after: Record<string, unknown> | null;
  reason: string | null;
}

const lower = (v: unknown) =>
  String(v ?? "")
    .toLowerCase()
    .replace(/_/g, " ");

/**
 * One short line per action, built only from codes and staff names in the audit row, never from the
 * stored before/after values of the constituent's record, so the timeline adds no personal data.
 */
const SUMMARIES: Record<string, (after: Record<string, unknown>) => string> = {
  "contact.recorded": (a) => `Recorded (${lower(a.channel)}) and routed to a department`,
  "assignment.claimed": (a) => `Claimed by ${a.assigneeName ?? "a staff member"}`,
  "assignment.given": (a) => `Given to ${a.assigneeName ?? "a colleague"}`,
  "assignment.completed": () => "Assignment completed",
  "assignment.reopened": () => "Reopened",
  "response.sent": (a) =>
    `${a.isFinal ? "Final response" : "Response"} sent by ${lower(a.channel)}` +
    (a.acknowledgedResponseId ? ", after acknowledging the earlier answer" : ""),
  "note.added": () => "Internal note added",
  "assignment.transferred": () => "Transferred to another department",
  "assignment.support_requested": () => "Another department asked to help",
  "contact.linked_duplicate": () => "Linked as a duplicate of an earlier report",
  "contact.submitted": (a) => `Submitted (${lower(a.channel ?? "web")}) and routed to a department`,
  "contact.category_corrected": () => "Category corrected",
  "letter.reissued": () => "Response letter generated again",
};

export function summarize(action: string, after: Record<string, unknown> | null): string {
  const f = SUMMARIES[action];
  if (f) return f(after ?? {});
  const words = lower(action.replace(/\./g, " "));
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The history of many contacts at once (a DataLoader batch): audit events on each contact, its
 * assignments and their responses, oldest first. Contacts the viewer may not see get an empty list.
 */
export async function loadTimelines(
  ds: DataSource,
  viewer: Viewer | null,
  contactIds: readonly string[],
): Promise<TimelineEntry[][]> {
  const v = requireRole(viewer, Rules.readTimeline);
  const filter = contactFilter(v, "ct", 1);
  const rows: AuditRow[] = await ds.query(
    `WITH visible AS (SELECT ct.id FROM contact ct WHERE ct.id = ANY($1::uuid[]) AND ${filter.sql}),
     subjects AS (
       SELECT 'contact'::text AS entity_type, id::text AS entity_id, id AS contact_id FROM visible
       UNION ALL
       SELECT 'assignment', a.id::text, a.contact_id FROM assignment a WHERE a.contact_id IN (SELECT id FROM visible)
       UNION ALL
       SELECT 'response', r.id::text, a.contact_id FROM response r JOIN assignment a ON a.id = r.assignment_id
        WHERE a.contact_id IN (SELECT id FROM visible))
     SELECT s.contact_id AS "contactId", e.at, e.actor_id AS "actorId", e.action, e.after, e.reason
       FROM subjects s JOIN audit_event e ON e.entity_type = s.entity_type AND e.entity_id = s.entity_id
      ORDER BY e.at, e.id`,
    [contactIds, ...filter.params],
  );
  const groups = new Map<string, TimelineEntry[]>(contactIds.map((id) => [id, []]));
  for (const r of rows) {
    groups.get(r.contactId)?.push({
      at: new Date(r.at),
      actorId: r.actorId,
      action: r.action,
      summary: summarize(r.action, r.after),
      reason: r.reason,
    });
  }
  return contactIds.map((id) => groups.get(id) ?? []);
}
