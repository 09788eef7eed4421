import type { DataSource } from "typeorm";
import { Assignment, type Contact } from "../../entities";
import type { Viewer } from "../../src/server/auth/viewer";
import { makeConstituent, makeContact } from "./constituent.factory";

export type AssignmentOverrides = Partial<
  Pick<Assignment, "status" | "dueAt" | "assignedAt" | "assigneeId" | "completedAt">
>;

/** A recorded contact and its lead assignment, with the assignment's columns overridden as given. */
export async function makeAssignment(
  ds: DataSource,
  viewer: Viewer,
  opts: { categoryId: string; contact?: Partial<Contact>; assignment?: AssignmentOverrides },
): Promise<{ contact: Contact; assignment: Assignment }> {
  const constituentId =
    opts.contact?.confidential || opts.contact?.constituentId
      ? (opts.contact.constituentId ?? null)
      : (await makeConstituent(ds, viewer)).id;
  const contact = await makeContact(ds, viewer, {
    categoryId: opts.categoryId,
    constituentId,
    confidential: opts.contact?.confidential ?? null,
    language: opts.contact?.language ?? null,
  });
  const repo = ds.getRepository(Assignment);
  const lead = contact.assignments![0];
  if (opts.assignment) await repo.update({ id: lead.id }, opts.assignment);
  return { contact, assignment: await repo.findOneByOrFail({ id: lead.id }) };
}

/**
 * An answer to the constituent already on the assignment, written as a row (the version is not bumped):
 * for tests about what follows the answer, such as completing the lead.
 */
export async function makeAnswer(ds: DataSource, assignmentId: string, body = "We fixed it."): Promise<void> {
  await ds.query(
    `INSERT INTO response (assignment_id, kind, body, channel, is_final, sent_at)
     VALUES ($1, 'RESPONSE', $2, 'PHONE', false, now())`,
    [assignmentId, body],
  );
}
