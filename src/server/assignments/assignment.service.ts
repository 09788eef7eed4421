import { In, type DataSource, type EntityManager } from "typeorm";
import {
  AssignmentStatus,
  Constituent,
  Contact,
  Response,
  ResponseChannel,
  ResponseKind,
  Role,
  StaffUser,
  type Assignment,
} from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";
import { updateReturning } from "../db/sql";
import { reportersOf } from "../intake/duplicate-contacts.service";
import { discardStored, storeResponseLetter } from "../letters/letter.service";
import { logger } from "../logging/logger";
import { notifyNewAssignment } from "../mail/notification.service";
import { enqueueMail } from "../mail/outbox.service";
import { badInput, conflict, forbidden, notFound } from "../errors/domain-error";
import { oneOf, optionalUuid, requiredText, uuid } from "../validation/validate";
import { ACTIVE_STATUSES, ASSIGNMENT_COLUMNS, findVisibleAssignment } from "./queue.service";

export interface ClaimAssignmentCommand {
  id: string;
  version: number;
  assigneeId?: string | null;
}

export interface CompleteAssignmentCommand {
  id: string;
  version: number;
}

export interface RespondToAssignmentCommand {
  assignmentId: string;
  version: number;
  kind: ResponseKind;
  body: string;
  channel?: ResponseChannel | null;
  isFinal?: boolean | null;
  attachmentIds?: string[] | null;
  acknowledgedResponseId?: string | null;
  /** Render the body as a PDF letter on the city's letterhead, attached to the response. */
  generateLetter?: boolean | null;
}

export interface ReopenContactCommand {
  contactId: string;
  reason: string;
}

function version(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw badInput(field, "must be the version you read");
  return value;
}

function stale(current: Pick<Assignment, "status" | "version">): never {
  throw conflict("The assignment changed since you read it: reload and try again", {
    status: current.status,
    version: current.version,
  });
}

function illegal(a: Pick<Assignment, "status" | "version">, what: string): never {
  throw conflict(`A ${a.status} assignment cannot be ${what}`, { status: a.status, version: a.version });
}

/** Reads the assignment as the viewer may see it and checks the version they read. */
async function loadForChange(
  em: EntityManager,
  v: Viewer,
  id: string,
  expected: number,
): Promise<Assignment> {
  const a = await findVisibleAssignment(em, v, id);
  if (!a) throw notFound("Assignment");
  if (a.version !== expected) stale(a);
  return a;
}

/**
 * `UPDATE ... WHERE id = $1 AND version = $2`: a concurrent writer that got there first leaves 0 rows,
 * which becomes CONFLICT with the state that won.
 */
async function updateVersioned(
  em: EntityManager,
  id: string,
  expected: number,
  set: string,
  params: unknown[],
): Promise<Assignment> {
  const rows = await updateReturning<Assignment>(
    em,
    `UPDATE assignment a SET ${set}, version = a.version + 1
      WHERE a.id = $1 AND a.version = $2 RETURNING ${ASSIGNMENT_COLUMNS}`,
    [id, expected, ...params],
  );
  if (rows.length) return rows[0];
  const [current] = await em.query(`SELECT status, version FROM assignment WHERE id = $1`, [id]);
  if (!current) throw notFound("Assignment");
  stale(current);
}

const snapshot = (a: Assignment) => ({
  status: a.status,
  assigneeId: a.assigneeId,
  completedAt: a.completedAt?.toISOString() ?? null,
  version: a.version,
});

/** Claim for oneself, or give to a colleague in the assignment's department: OPEN -> IN_PROGRESS. */
export async function claimAssignment(
  ds: DataSource,
  viewer: Viewer | null,
  input: ClaimAssignmentCommand,
): Promise<Assignment> {
  const v = requireRole(viewer, Rules.workAssignments);
  const id = uuid("id", input.id);
  const expected = version("version", input.version);
  const assigneeId = optionalUuid("assigneeId", input.assigneeId) ?? v.id;
  return ds.transaction(async (em) => {
    const before = await loadForChange(em, v, id, expected);
    if (!ACTIVE_STATUSES.includes(before.status)) illegal(before, "claimed");
    const assignee = await em.getRepository(StaffUser).findOneBy({ id: assigneeId });
    if (
      !assignee ||
      !assignee.active ||
      assignee.role !== Role.DEPARTMENT ||
      assignee.departmentId !== before.departmentId
    ) {
      throw badInput(
        "assigneeId",
        input.assigneeId
          ? "must be an active colleague in the assignment's department"
          : "only staff of the assignment's department can claim it; name a colleague there",
      );
    }
    const after = await updateVersioned(em, id, expected, `assignee_id = $3, status = 'IN_PROGRESS'`, [
      assigneeId,
    ]);
    await audit(em, v, {
      action: assigneeId === v.id ? "assignment.claimed" : "assignment.given",
      entityType: "assignment",
      entityId: id,
      before: snapshot(before),
      after: { ...snapshot(after), contactId: after.contactId, assigneeName: assignee.name },
    });
    // Work given to someone else is news to them; a claim is not.
    if (assigneeId !== v.id) await notifyNewAssignment(em, id);
    return after;
  });
}

export async function completeAssignment(
  ds: DataSource,
  viewer: Viewer | null,
  input: CompleteAssignmentCommand,
): Promise<Assignment> {
  const v = requireRole(viewer, Rules.workAssignments);
  const id = uuid("id", input.id);
  const expected = version("version", input.version);
  return ds.transaction(async (em) => {
    const before = await loadForChange(em, v, id, expected);
    if (!ACTIVE_STATUSES.includes(before.status)) illegal(before, "completed");
    // Closing a request nobody answered is the "no response" STAR exists to end: the lead answers first.
    if (before.isLead && !(await hasAnswer(em, before.contactId))) {
      throw conflict(
        "The constituent has no answer yet: record the response to them (a final response completes the assignment)",
        { status: before.status, version: before.version, reason: "NO_ANSWER" },
      );
    }
    const after = await updateVersioned(em, id, expected, `status = 'COMPLETED', completed_at = now()`, []);
    await audit(em, v, {
      action: "assignment.completed",
      entityType: "assignment",
      entityId: id,
      before: snapshot(before),
      after: { ...snapshot(after), contactId: after.contactId },
    });
    return after;
  });
}

/** Whether the constituent has been answered on this contact (a response, not an internal note). */
async function hasAnswer(em: EntityManager, contactId: string): Promise<boolean> {
  const rows = await em.query(
    `SELECT 1 FROM response r JOIN assignment a ON a.id = r.assignment_id
      WHERE a.contact_id = $1 AND r.kind = 'RESPONSE' LIMIT 1`,
    [contactId],
  );
  return rows.length > 0;
}

/** The latest final answer the constituent already got for this contact, from any of its assignments. */
async function earlierFinal(em: EntityManager, contactId: string): Promise<Response | null> {
  const rows = await em.query(
    `SELECT r.id, r.body, r.sent_at AS "sentAt", r.channel FROM response r
       JOIN assignment a ON a.id = r.assignment_id
      WHERE a.contact_id = $1 AND r.kind = 'RESPONSE' AND r.is_final
      ORDER BY r.created_at DESC, r.id DESC LIMIT 1`,
    [contactId],
  );
  return rows[0] ?? null;
}

/**
 * A response to the constituent (lead assignment only) or an internal note (never delivered). A final
 * response completes the assignment; a second final answer to one contact needs the earlier one shown
 * and acknowledged, so a constituent never gets two conflicting answers by accident.
 */
export async function respondToAssignment(
  ds: DataSource,
  viewer: Viewer | null,
  input: RespondToAssignmentCommand,
): Promise<Response> {
  const v = requireRole(viewer, Rules.workAssignments);
  const id = uuid("assignmentId", input.assignmentId);
  const expected = version("version", input.version);
  const kind = oneOf("kind", input.kind, Object.values(ResponseKind));
  const body = requiredText("body", input.body, { max: 20000 });
  const isFinal = input.isFinal === true;
  const channel =
    input.channel == null ? null : oneOf("channel", input.channel, Object.values(ResponseChannel));
  if (kind === ResponseKind.NOTE && channel) throw badInput("channel", "an internal note is never delivered");
  if (kind === ResponseKind.NOTE && isFinal) throw badInput("isFinal", "only a response can be final");
  if (kind === ResponseKind.RESPONSE && !channel)
    throw badInput("channel", "say how the response was delivered");
  const acknowledgedResponseId = optionalUuid("acknowledgedResponseId", input.acknowledgedResponseId);
  const attachmentIds = [
    ...new Set((input.attachmentIds ?? []).map((a, i) => uuid(`attachmentIds[${i}]`, a))),
  ];
  if (attachmentIds.length > 20) throw badInput("attachmentIds", "at most 20 attachments per response");
  const generateLetter = input.generateLetter === true;
  if (generateLetter && kind !== ResponseKind.RESPONSE)
    throw badInput("generateLetter", "only a response to the constituent becomes a letter");

  // Objects stored for a generated letter; removed again if the transaction does not commit.
  const stored: string[] = [];
  const committed = ds.transaction(async (em) => {
    const before = await loadForChange(em, v, id, expected);
    if (!ACTIVE_STATUSES.includes(before.status)) illegal(before, "answered");
    if (kind === ResponseKind.RESPONSE && !before.isLead) {
      throw forbidden("Only the lead department answers the constituent; a supporting one posts notes");
    }
    const set =
      kind === ResponseKind.NOTE
        ? `status = a.status`
        : isFinal
          ? `status = 'COMPLETED', completed_at = now()`
          : `status = 'IN_PROGRESS'`;
    // The versioned update first: it locks the assignment, so the check below cannot race another answer.
    const after = await updateVersioned(em, id, expected, set, []);
    const now = new Date();
    let ack: string | null = null;
    if (kind === ResponseKind.RESPONSE && isFinal) {
      const earlier = await earlierFinal(em, before.contactId);
      if (earlier && acknowledgedResponseId !== earlier.id) {
        throw conflict("This contact already has a final answer: read it and acknowledge it first", {
          earlierResponseId: earlier.id,
          earlierResponseBody: earlier.body,
          earlierSentAt: earlier.sentAt?.toISOString() ?? null,
          status: before.status,
          version: before.version,
        });
      }
      ack = earlier?.id ?? null;
    } else if (acknowledgedResponseId) {
      throw badInput("acknowledgedResponseId", "only a final response acknowledges an earlier one");
    }

    const response = await em.getRepository(Response).save(
      em.create(Response, {
        assignmentId: id,
        kind,
        body,
        channel,
        sentAt: kind === ResponseKind.RESPONSE ? now : null,
        authorId: v.id,
        isFinal,
        acknowledgedResponseId: ack,
      }),
    );
    if (attachmentIds.length) {
      const [, linked] = (await em.query(
        `UPDATE attachment SET response_id = $1, contact_id = $2
          WHERE id = ANY($3::uuid[]) AND contact_id IS NULL AND response_id IS NULL AND uploaded_by_id = $4`,
        [response.id, before.contactId, attachmentIds, v.id],
      )) as [unknown, number];
      if (linked !== attachmentIds.length) {
        throw badInput("attachmentIds", "unknown attachment, or not an unlinked upload of yours");
      }
    }
    const letter = generateLetter
      ? await storeResponseLetter(
          em,
          {
            responseId: response.id,
            contactId: before.contactId,
            departmentId: before.departmentId,
            body,
            sentAt: now,
            authorId: v.id,
          },
          stored,
        )
      : null;

    // The outbox row commits with the response, so an SMTP outage loses nothing.
    let mailId: string | null = null;
    if (kind === ResponseKind.RESPONSE && channel === ResponseChannel.EMAIL) {
      const contact = await em.getRepository(Contact).findOneByOrFail({ id: before.contactId });
      const to = contact.constituentId
        ? (await em.getRepository(Constituent).findOneBy({ id: contact.constituentId }))?.email
        : null;
      if (!to) throw badInput("channel", "the constituent has no email address on record");
      mailId = await enqueueMail(em, {
        to,
        subject: `Your request ${contact.referenceNumber}`,
        text: body,
        kind: "RESPONSE",
        responseId: response.id,
      });
    }
    if (kind === ResponseKind.RESPONSE && isFinal)
      await answerLinkedReporters(em, before.contactId, body, response.id);

    await audit(em, v, {
      action: kind === ResponseKind.NOTE ? "note.added" : "response.sent",
      entityType: "response",
      entityId: response.id,
      before: snapshot(before),
      after: {
        ...snapshot(after),
        assignmentId: id,
        contactId: after.contactId,
        kind,
        channel,
        isFinal,
        acknowledgedResponseId: ack,
        attachmentIds,
        letterAttachmentId: letter?.id ?? null,
        mailId,
      },
    });
    return response;
  });
  try {
    return await committed;
  } catch (err) {
    await discardStored(stored, (e, key) =>
      logger.error({ err: e, key }, "could not remove an orphaned letter"),
    );
    throw err;
  }
}

/** Reopening takes a reason: the lead assignment goes back to IN_PROGRESS. */
export async function reopenContact(
  ds: DataSource,
  viewer: Viewer | null,
  input: ReopenContactCommand,
): Promise<Contact> {
  const v = requireRole(viewer, Rules.workAssignments);
  const contactId = uuid("contactId", input.contactId);
  const reason = requiredText("reason", input.reason, { max: 1000 });
  return ds.transaction(async (em) => {
    const filter = contactFilter(v, "ct", 1);
    const [contact] = await em.query(`SELECT ct.id FROM contact ct WHERE ct.id = $1 AND ${filter.sql}`, [
      contactId,
      ...filter.params,
    ]);
    if (!contact) throw notFound("Contact");
    const leads: Assignment[] = await em.query(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignment a
        WHERE a.contact_id = $1 AND a.is_lead AND a.status NOT IN ('TRANSFERRED','CANCELLED')`,
      [contactId],
    );
    const lead = leads[0] ?? null;
    if (!lead) throw conflict("This contact has no lead assignment to reopen");
    if (v.role === Role.DEPARTMENT && lead.departmentId !== v.departmentId) {
      throw forbidden("Only the lead department or the City Manager's Office reopens a contact");
    }
    if (lead.status !== AssignmentStatus.COMPLETED) illegal(lead, "reopened");
    const after = await updateVersioned(
      em,
      lead.id,
      lead.version,
      `status = 'IN_PROGRESS', completed_at = NULL`,
      [],
    );
    await audit(em, v, {
      action: "assignment.reopened",
      entityType: "assignment",
      entityId: lead.id,
      before: snapshot(lead),
      after: { ...snapshot(after), contactId },
      reason,
    });
    return em.getRepository(Contact).findOneByOrFail({ id: contactId });
  });
}

/**
 * The same issue reported again is answered once, by the lead: everyone who reported it and left an
 * email gets that answer under their own reference number (the others read it on the status page).
 */
async function answerLinkedReporters(em: EntityManager, contactId: string, body: string, responseId: string) {
  const reporters = (await reportersOf(em, contactId)).filter(
    (r) => r.contactId !== contactId && r.constituentId,
  );
  if (!reporters.length) return;
  const people = await em
    .getRepository(Constituent)
    .findBy({ id: In(reporters.map((r) => r.constituentId!)) });
  const emails = new Map(people.map((p) => [p.id, p.email]));
  for (const r of reporters) {
    const to = emails.get(r.constituentId!);
    if (to) {
      await enqueueMail(em, {
        to,
        subject: `Your request ${r.referenceNumber}`,
        text: body,
        kind: "RESPONSE",
        responseId,
      });
    }
  }
}
