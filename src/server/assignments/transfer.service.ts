import type { DataSource, EntityManager } from "typeorm";
import { Assignment, AssignmentStatus, Category, Contact, Department, Role } from "../../../entities";
import { audit } from "../audit/audit.service";
import { notifyNewAssignment } from "../mail/notification.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput, conflict, notFound } from "../errors/domain-error";
import { updateReturning } from "../db/sql";
import { route } from "../routing/routing.service";
import { optionalUuid, requiredText, uuid } from "../validation/validate";

/*
 * The five-day clock and transfers: the headline figure measures the constituent's wait, from the
 * contact's receipt (contact.received_at) to the final response. A transfer does not reset it, because a
 * misrouting is the city's delay, not the constituent's. The new department's own due date is counted
 * from the transfer (it cannot work on the request before it has it), so a late transfer can be on time
 * for the department and still late on the five-day figure.
 */

export interface TransferAssignmentCommand {
  id: string;
  version: number;
  departmentId: string;
  reason: string;
  categoryId?: string | null;
}

export interface AddSupportingAssignmentCommand {
  contactId: string;
  departmentId: string;
  reason: string;
}

const ACTIVE = [AssignmentStatus.OPEN, AssignmentStatus.IN_PROGRESS];

interface AssignmentRow {
  id: string;
  contact_id: string;
  department_id: string;
  is_lead: boolean;
  status: AssignmentStatus;
  version: number;
  due_at: Date;
}

/** DEPARTMENT users act only within their department; anything else is as if it did not exist. */
function requireOwnDepartment(viewer: Viewer, departmentId: string): void {
  if (viewer.role === Role.DEPARTMENT && viewer.departmentId !== departmentId) throw notFound("Assignment");
}

async function activeDepartment(em: EntityManager, departmentId: string): Promise<Department> {
  const department = await em.getRepository(Department).findOneBy({ id: departmentId });
  if (!department || !department.active) throw badInput("departmentId", "no such active department");
  return department;
}

/**
 * Hands a misrouted lead assignment to another department: the old one becomes TRANSFERRED and a new
 * OPEN lead assignment is due per the (possibly corrected) category's SLA, counted from now.
 */
export async function transferAssignment(
  ds: DataSource,
  viewer: Viewer | null,
  input: TransferAssignmentCommand,
): Promise<Assignment> {
  const v = requireRole(viewer, Rules.transferAssignments);
  const id = uuid("id", input.id);
  if (!Number.isInteger(input.version) || input.version < 1) throw badInput("version", "must be a version");
  const departmentId = uuid("departmentId", input.departmentId);
  const reason = requiredText("reason", input.reason, { max: 1000 });
  const categoryId = optionalUuid("categoryId", input.categoryId);

  return ds.transaction(async (em) => {
    const current = await em.getRepository(Assignment).findOneBy({ id });
    if (!current) throw notFound("Assignment");
    requireOwnDepartment(v, current.departmentId);
    if (!current.isLead) throw badInput("id", "only the lead assignment is transferred");
    if (departmentId === current.departmentId) throw badInput("departmentId", "is already the lead");
    await activeDepartment(em, departmentId);

    const contact = await em.getRepository(Contact).findOneByOrFail({ id: current.contactId });
    let category = await em.getRepository(Category).findOneByOrFail({ id: contact.categoryId });
    if (categoryId && categoryId !== category.id) {
      const corrected = await em.getRepository(Category).findOneBy({ id: categoryId });
      if (!corrected || !corrected.active) throw badInput("categoryId", "no such active category");
      await em.update(Contact, { id: contact.id }, { categoryId: corrected.id });
      await audit(em, v, {
        action: "contact.category_corrected",
        entityType: "contact",
        entityId: contact.id,
        before: { categoryId: category.id, categoryCode: category.code },
        after: { categoryId: corrected.id, categoryCode: corrected.code },
        reason,
      });
      category = corrected;
    }

    const [old] = await updateReturning<AssignmentRow>(
      em,
      `UPDATE assignment SET status = 'TRANSFERRED', version = version + 1
        WHERE id = $1 AND version = $2 AND status = ANY($3::varchar[])
        RETURNING id, contact_id, department_id, is_lead, status, version, due_at`,
      [id, input.version, ACTIVE],
    );
    if (!old) {
      const now = await em.getRepository(Assignment).findOneByOrFail({ id });
      const state = { status: now.status, version: now.version };
      if (now.version !== input.version) {
        throw conflict("The assignment changed since you read it; reload and try again", state);
      }
      throw conflict(`A ${now.status} assignment cannot be transferred`, state);
    }

    const at = new Date();
    const { dueAt } = route(category, at);
    const next = await em.getRepository(Assignment).save(
      em.create(Assignment, {
        contactId: contact.id,
        departmentId,
        isLead: true,
        status: AssignmentStatus.OPEN,
        assignedAt: at,
        dueAt,
        transferredFromId: id,
        reason,
      }),
    );
    await notifyNewAssignment(em, next.id);
    // The department that was helping now leads: its supporting assignment is folded into the new one.
    const folded = await updateReturning<{ id: string }>(
      em,
      `UPDATE assignment SET status = 'CANCELLED', version = version + 1
        WHERE contact_id = $1 AND department_id = $2 AND NOT is_lead AND status = ANY($3::varchar[])
        RETURNING id`,
      [contact.id, departmentId, ACTIVE],
    );
    await audit(em, v, {
      action: "assignment.transferred",
      entityType: "assignment",
      entityId: id,
      before: {
        departmentId: current.departmentId,
        status: current.status,
        version: current.version,
        dueAt: current.dueAt.toISOString(),
        categoryId: contact.categoryId,
      },
      after: {
        departmentId,
        status: AssignmentStatus.TRANSFERRED,
        version: old.version,
        newAssignmentId: next.id,
        dueAt: dueAt.toISOString(),
        categoryId: category.id,
        cancelledSupportIds: folded.map((f) => f.id),
      },
      reason,
    });
    return next;
  });
}

/**
 * Asks another department to help with a contact. It posts internal notes; only the lead answers the
 * constituent. Its due date follows the category's SLA from now.
 */
export async function addSupportingAssignment(
  ds: DataSource,
  viewer: Viewer | null,
  input: AddSupportingAssignmentCommand,
): Promise<Assignment> {
  const v = requireRole(viewer, Rules.addSupportingAssignments);
  const contactId = uuid("contactId", input.contactId);
  const departmentId = uuid("departmentId", input.departmentId);
  const reason = requiredText("reason", input.reason, { max: 1000 });

  return ds.transaction(async (em) => {
    const contact = await em.getRepository(Contact).findOneBy({ id: contactId });
    if (!contact) throw notFound("Contact");
    const assignments = await em.getRepository(Assignment).findBy({ contactId });
    const lead = assignments.find((a) => a.isLead && ACTIVE.includes(a.status));
    if (v.role === Role.DEPARTMENT && (!lead || lead.departmentId !== v.departmentId)) {
      // Only the lead department asks for help; other departments see nothing here.
      throw notFound("Contact");
    }
    if (!lead) throw badInput("contactId", "has no open lead assignment");
    if (departmentId === lead.departmentId) throw badInput("departmentId", "is the lead department");
    if (assignments.some((a) => !a.isLead && a.departmentId === departmentId && ACTIVE.includes(a.status))) {
      throw badInput("departmentId", "already supports this contact");
    }
    await activeDepartment(em, departmentId);
    const category = await em.getRepository(Category).findOneByOrFail({ id: contact.categoryId });

    const at = new Date();
    const { dueAt } = route(category, at);
    let support: Assignment;
    try {
      support = await em.getRepository(Assignment).save(
        em.create(Assignment, {
          contactId,
          departmentId,
          isLead: false,
          status: AssignmentStatus.OPEN,
          assignedAt: at,
          dueAt,
          reason,
        }),
      );
    } catch (err) {
      // A concurrent request added the same department first (assignment_one_active_support).
      if ((err as { code?: string }).code === "23505") {
        throw badInput("departmentId", "already supports this contact");
      }
      throw err;
    }
    await notifyNewAssignment(em, support.id);
    await audit(em, v, {
      action: "assignment.support_requested",
      entityType: "assignment",
      entityId: support.id,
      after: { contactId, departmentId, leadAssignmentId: lead.id, dueAt: dueAt.toISOString() },
      reason,
    });
    return support;
  });
}
