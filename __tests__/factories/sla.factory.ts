import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { AssignmentStatus } from "../../entities";

let n = 0;

export interface AssignmentSpec {
  departmentId: string;
  status: AssignmentStatus | `${AssignmentStatus}`;
  isLead?: boolean;
  assignedAt?: Date;
  dueAt: Date;
  completedAt?: Date | null;
}

export interface RequestSpec {
  categoryId: string;
  receivedAt: Date;
  /** When it was entered and first assigned; the receipt by default. */
  enteredAt?: Date;
  constituentId?: string | null;
  language?: "en" | "es";
  confidential?: boolean;
  /** In order; each lead after the first is the transfer of the lead before it. */
  assignments: AssignmentSpec[];
}

/**
 * A contact and its assignments written as rows, with the exact times given: for figures that depend on
 * history (transfers, completions days ago) that the services would stamp with now().
 */
export async function makeRequest(
  ds: DataSource,
  spec: RequestSpec,
): Promise<{ contactId: string; referenceNumber: string; assignmentIds: string[] }> {
  const contactId = randomUUID();
  const referenceNumber = `SLA-${++n}-${contactId.slice(0, 8)}`;
  await ds.query(
    `INSERT INTO contact (id, reference_number, channel, received_at, entered_at, category_id, description,
                          constituent_id, language, confidential)
     VALUES ($1, $2, 'PHONE', $3, $8, $4, 'A request for the figures', $5, $6, $7)`,
    [
      contactId,
      referenceNumber,
      spec.receivedAt,
      spec.categoryId,
      spec.constituentId ?? null,
      spec.language ?? "en",
      spec.confidential ?? false,
      spec.enteredAt ?? spec.receivedAt,
    ],
  );
  const assignmentIds: string[] = [];
  let previousLead: string | null = null;
  for (const a of spec.assignments) {
    const id = randomUUID();
    const isLead = a.isLead ?? true;
    await ds.query(
      `INSERT INTO assignment (id, contact_id, department_id, is_lead, status, assigned_at, due_at, completed_at,
                               transferred_from_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        contactId,
        a.departmentId,
        isLead,
        a.status,
        a.assignedAt ?? spec.enteredAt ?? spec.receivedAt,
        a.dueAt,
        a.completedAt ?? null,
        isLead ? previousLead : null,
      ],
    );
    if (isLead) previousLead = id;
    assignmentIds.push(id);
  }
  return { contactId, referenceNumber, assignmentIds };
}

/** A response or note on an assignment, written at the given time. */
export async function makeResponse(
  ds: DataSource,
  r: { assignmentId: string; kind?: "RESPONSE" | "NOTE"; body: string; isFinal?: boolean; createdAt: Date },
): Promise<string> {
  const id = randomUUID();
  const kind = r.kind ?? "RESPONSE";
  await ds.query(
    `INSERT INTO response (id, assignment_id, kind, body, channel, sent_at, is_final, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`,
    [id, r.assignmentId, kind, r.body, kind === "RESPONSE" ? "EMAIL" : null, r.createdAt, r.isFinal ?? false],
  );
  return id;
}
