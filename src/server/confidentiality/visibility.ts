import { Role } from "../../../entities/enums";
import type { Viewer } from "../auth/viewer";

/**
 * The one choke point for confidential requests. Every query that reads contacts narrows with
 * `contactFilter`, and every read of a callback goes through `mayReadCallback`.
 *
 * A confidential request stores no name or address at all; what remains (its details) is shown to the
 * City Manager's Office, analysts, the departments assigned to it, and the clerk who entered it. Its
 * volunteered callback is shown only to the assigned departments and the City Manager's Office.
 */
export interface SqlFilter {
  sql: string;
  params: unknown[];
}

/**
 * A SQL predicate over a contact row aliased `alias`; `$n` placeholders start after `offset` params.
 * `alias` must be a trusted identifier (never user input).
 */
export function contactFilter(viewer: Viewer, alias: string, offset: number): SqlFilter {
  const p = (n: number) => `$${offset + n}`;
  switch (viewer.role) {
    case Role.REVIEWER:
    case Role.ANALYST:
      return { sql: "TRUE", params: [] };
    case Role.INTAKE:
      return { sql: `(NOT ${alias}.confidential OR ${alias}.entered_by_id = ${p(1)})`, params: [viewer.id] };
    case Role.DEPARTMENT:
      return {
        sql:
          `(NOT ${alias}.confidential OR ${alias}.entered_by_id = ${p(1)} OR EXISTS (SELECT 1 FROM assignment va ` +
          `WHERE va.contact_id = ${alias}.id AND va.department_id = ${p(2)}))`,
        params: [viewer.id, viewer.departmentId],
      };
    default:
      return { sql: "FALSE", params: [] };
  }
}

export interface ContactFacts {
  confidential: boolean;
  enteredById: string | null;
  departmentIds: readonly string[];
}

/** The same rule as `contactFilter`, for a contact already in memory. */
export function maySeeContact(viewer: Viewer, c: ContactFacts): boolean {
  switch (viewer.role) {
    case Role.REVIEWER:
    case Role.ANALYST:
      return true;
    case Role.INTAKE:
      return !c.confidential || c.enteredById === viewer.id;
    case Role.DEPARTMENT:
      return (
        !c.confidential ||
        c.enteredById === viewer.id ||
        (!!viewer.departmentId && c.departmentIds.includes(viewer.departmentId))
      );
    default:
      return false;
  }
}

/** Callbacks: never analysts, search, exports or public records; departments only when assigned. */
export function mayReadCallback(viewer: Viewer, departmentIds: readonly string[]): boolean {
  if (viewer.role === Role.REVIEWER) return true;
  if (viewer.role === Role.DEPARTMENT)
    return !!viewer.departmentId && departmentIds.includes(viewer.departmentId);
  return false;
}

/**
 * Letters, faxes and photos of a confidential request usually carry the very name and address it keeps
 * out of STAR, so only those who may act on the request see them (not analysts).
 */
export function mayReadConfidentialDocuments(viewer: Viewer): boolean {
  return viewer.role !== Role.ANALYST;
}

// What leaves the city entirely follows stricter rules than any staff role: public records packages apply
// src/server/records/redaction.ts (no person for a confidential request, never a callback); Open311
// publishes only the fields of src/server/open311/open311-privacy.ts, and the public status page only
// those of src/server/self-service/status.service.ts.
