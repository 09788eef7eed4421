import type { DataSource, EntityManager } from "typeorm";
import { config } from "../config/config";
import { logger } from "../logging/logger";
import { localDate } from "../routing/business-days";
import { insertMail, type MailToEnqueue } from "./outbox.service";

/** Longest list in one digest; the rest is counted, and the queue page has them all. */
const DIGEST_MAX_LINES = 200;

function formatDue(at: Date): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: config().STAR_TIME_ZONE,
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  })
    .format(at)
    .replace(/\u202f/g, " ");
}

/** A path in the staff portal, made absolute when the portal's public URL is known. */
function portalLink(path: string): string {
  const base = config().NEXTAUTH_URL?.replace(/\/+$/, "") ?? "";
  return `${base}${path}`;
}

/**
 * Queues the notice of a new assignment, in the caller's transaction: to the assignee when there is
 * one, else to the department's address. It names the reference number, category and due date, never
 * the constituent, the description or a confidential request's callback. Returns the outbox id, or null
 * when there is nobody to tell or the same notice was already queued.
 */
export async function notifyNewAssignment(em: EntityManager, assignmentId: string): Promise<string | null> {
  const rows: {
    id: string;
    due_at: Date;
    is_lead: boolean;
    reference_number: string;
    category_name: string;
    department_name: string;
    department_email: string | null;
    assignee_email: string | null;
  }[] = await em.query(
    `SELECT a.id, a.due_at, a.is_lead, c.reference_number, cat.name AS category_name,
            d.name AS department_name, d.email AS department_email,
            CASE WHEN s.active THEN s.email END AS assignee_email
     FROM assignment a
     JOIN contact c ON c.id = a.contact_id
     JOIN category cat ON cat.id = c.category_id
     JOIN department d ON d.id = a.department_id
     LEFT JOIN staff_user s ON s.id = a.assignee_id
     WHERE a.id = $1`,
    [assignmentId],
  );
  const a = rows[0];
  if (!a) return null;
  const notice = newAssignmentNotice({
    assignmentId: a.id,
    dueAt: new Date(a.due_at),
    isLead: a.is_lead,
    referenceNumber: a.reference_number,
    categoryName: a.category_name,
    departmentName: a.department_name,
    to: a.assignee_email ?? a.department_email,
  });
  return notice ? insertMail(em, notice.mail, notice.dedupeKey) : null;
}

export interface NewAssignmentFacts {
  assignmentId: string;
  dueAt: Date;
  isLead: boolean;
  referenceNumber: string;
  categoryName: string;
  departmentName: string;
  /** The assignee's address, else the department's. */
  to: string | null;
}

/** The notice's text and dedupe key, for a caller that already holds the facts (or null: nobody to tell). */
export function newAssignmentNotice(
  a: NewAssignmentFacts,
): { mail: MailToEnqueue; dedupeKey: string } | null {
  if (!a.to) {
    logger.warn(
      { assignmentId: a.assignmentId },
      "no assignee or department email: no assignment notice sent",
    );
    return null;
  }
  const role = a.isLead ? "to answer" : "to support (the lead department answers the constituent)";
  const text = [
    `${a.departmentName} has a new assignment ${role}.`,
    "",
    `Reference: ${a.referenceNumber}`,
    `Category: ${a.categoryName}`,
    `Due: ${formatDue(a.dueAt)}`,
    "",
    `Open it in STAR: ${portalLink(`/assignments/${a.assignmentId}`)}`,
  ].join("\n");
  return {
    mail: {
      to: a.to,
      subject: `New assignment ${a.referenceNumber}: ${a.categoryName}`,
      text,
      kind: "ASSIGNMENT_NOTICE",
    },
    dedupeKey: `assignment-notice:${a.assignmentId}:${a.to.toLowerCase()}`,
  };
}

export interface DigestRun {
  departments: number;
  mails: number;
  assignments: number;
  withoutEmail: number;
}

/**
 * One mail per department listing its open assignments that are past due at `now`. Keyed by the local
 * date, so a retried or repeated run on the same day queues nothing new.
 */
export async function sendOverdueDigests(ds: DataSource, now: Date): Promise<DigestRun> {
  const rows: {
    id: string;
    due_at: Date;
    department_id: string;
    department_name: string;
    department_email: string | null;
    reference_number: string;
    category_name: string;
    assignee_name: string | null;
  }[] = await ds.query(
    `SELECT a.id, a.due_at, a.department_id, d.name AS department_name, d.email AS department_email,
            c.reference_number, cat.name AS category_name, s.name AS assignee_name
     FROM assignment a
     JOIN department d ON d.id = a.department_id
     JOIN contact c ON c.id = a.contact_id
     JOIN category cat ON cat.id = c.category_id
     LEFT JOIN staff_user s ON s.id = a.assignee_id
     WHERE a.status IN ('OPEN', 'IN_PROGRESS') AND a.due_at < $1 AND d.active
     ORDER BY d.name, d.id, a.due_at, c.reference_number`,
    [now],
  );
  const byDepartment = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byDepartment.get(r.department_id) ?? [];
    list.push(r);
    byDepartment.set(r.department_id, list);
  }
  const day = localDate(now, config().STAR_TIME_ZONE);
  const run: DigestRun = {
    departments: byDepartment.size,
    mails: 0,
    assignments: rows.length,
    withoutEmail: 0,
  };
  await ds.transaction(async (em) => {
    for (const [departmentId, list] of byDepartment) {
      const { department_name: name, department_email: to } = list[0];
      if (!to) {
        run.withoutEmail++;
        continue;
      }
      const lines = list.slice(0, DIGEST_MAX_LINES).map((r) => {
        const days = Math.floor((now.getTime() - new Date(r.due_at).getTime()) / 86_400_000);
        const late = days >= 1 ? `${days} day${days === 1 ? "" : "s"} overdue` : "overdue today";
        const who = r.assignee_name ? `, ${r.assignee_name}` : ", unassigned";
        return `- ${r.reference_number} ${r.category_name}: due ${formatDue(new Date(r.due_at))} (${late}${who}) ${portalLink(`/assignments/${r.id}`)}`;
      });
      if (list.length > DIGEST_MAX_LINES) lines.push(`... and ${list.length - DIGEST_MAX_LINES} more`);
      const count = `${list.length} overdue assignment${list.length === 1 ? "" : "s"}`;
      const id = await insertMail(
        em,
        {
          to,
          subject: `${name}: ${count} (${day})`,
          text: [`${name} has ${count} still open past the due date:`, "", ...lines].join("\n"),
          kind: "OVERDUE_DIGEST",
        },
        `overdue-digest:${departmentId}:${day}`,
      );
      if (id) run.mails++;
    }
  });
  logger.info({ ...run, day }, "overdue digests queued");
  return run;
}
