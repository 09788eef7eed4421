import type { DataSource, EntityManager } from "typeorm";
import { AssignmentStatus, Role, type Assignment } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";
import { config } from "../config/config";
import { badInput, notFound } from "../errors/domain-error";
import { isUuid, optionalUuid } from "../validation/validate";

export enum AssignmentOrder {
  DUE_AT_ASC = "DUE_AT_ASC",
  DUE_AT_DESC = "DUE_AT_DESC",
  ASSIGNED_AT_ASC = "ASSIGNED_AT_ASC",
  ASSIGNED_AT_DESC = "ASSIGNED_AT_DESC",
}

export interface AssignmentFilterCommand {
  departmentId?: string | null;
  status?: AssignmentStatus[] | null;
  categoryId?: string | null;
  assigneeId?: string | null;
  overdue?: boolean | null;
  unassigned?: boolean | null;
  /** Has a review concern from the City Manager's Office that the department has not resolved. */
  reviewFlagged?: boolean | null;
}

export interface AssignmentCounts {
  open: number;
  inProgress: number;
  overdue: number;
  unassigned: number;
  dueToday: number;
}

export interface AssignmentPage {
  edges: { cursor: string; node: Assignment }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  counts: AssignmentCounts;
}

export const ACTIVE_STATUSES = [AssignmentStatus.OPEN, AssignmentStatus.IN_PROGRESS];
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export const ASSIGNMENT_COLUMNS = `a.id, a.contact_id AS "contactId", a.department_id AS "departmentId",
  a.is_lead AS "isLead", a.status, a.assignee_id AS "assigneeId", a.assigned_at AS "assignedAt",
  a.due_at AS "dueAt", a.completed_at AS "completedAt", a.created_at AS "createdAt", a.version`;

/** Overdue: past its due date and still being worked. */
export function isOverdue(a: Pick<Assignment, "status" | "dueAt">, now = new Date()): boolean {
  return ACTIVE_STATUSES.includes(a.status) && a.dueAt.getTime() < now.getTime();
}

/**
 * What of the assignment table a viewer may see, as a predicate over `a` (assignment) and `ct` (its
 * contact): a department only its own assignments, everyone through the confidentiality choke point.
 */
export function assignmentScope(viewer: Viewer, offset: number): { sql: string; params: unknown[] } {
  if (viewer.role === Role.DEPARTMENT) {
    // The choke point lets a department see any contact it holds an assignment on, and `a` is one: the
    // department's own assignments are its whole scope, and no join to the contact is needed to say so.
    return { sql: `a.department_id = $${offset + 1}`, params: [viewer.departmentId] };
  }
  return contactFilter(viewer, "ct", offset);
}

/** One assignment as the viewer may see it; another department's is simply not there. */
export async function findVisibleAssignment(
  db: DataSource | EntityManager,
  viewer: Viewer,
  id: string,
): Promise<Assignment | null> {
  if (!isUuid(id)) return null;
  const scope = assignmentScope(viewer, 1);
  const rows: Assignment[] = await db.query(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM assignment a JOIN contact ct ON ct.id = a.contact_id
      WHERE a.id = $1 AND ${scope.sql}`,
    [id, ...scope.params],
  );
  return rows[0] ?? null;
}

export async function loadAssignment(ds: DataSource, viewer: Viewer | null, id: string): Promise<Assignment> {
  const v = requireRole(viewer, Rules.readAssignments);
  const found = await findVisibleAssignment(ds, v, id);
  if (!found) throw notFound("Assignment");
  return found;
}

const ORDER_SQL: Record<AssignmentOrder, { column: string; dir: "ASC" | "DESC" }> = {
  DUE_AT_ASC: { column: "due_at", dir: "ASC" },
  DUE_AT_DESC: { column: "due_at", dir: "DESC" },
  ASSIGNED_AT_ASC: { column: "assigned_at", dir: "ASC" },
  ASSIGNED_AT_DESC: { column: "assigned_at", dir: "DESC" },
};

const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

// The sort key travels as PostgreSQL's own text form, so microseconds survive the round trip.
function encodeCursor(order: AssignmentOrder, key: string, id: string): string {
  return Buffer.from(JSON.stringify([order, key, id])).toString("base64url");
}

function decodeCursor(order: AssignmentOrder, cursor: string): { key: string; id: string } {
  try {
    const [o, key, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (o === order && typeof key === "string" && typeof id === "string" && isUuid(id)) {
      if (PG_TIMESTAMPTZ.test(key)) return { key, id };
    }
  } catch {
    // fall through: a cursor we did not write
  }
  throw badInput("after", "is not a cursor of this list and order");
}

/**
 * A queue page: keyset pagination on (sort column, id), so every page costs the same two statements
 * (the page, then the total and the header counts) however deep it is.
 */
export async function listAssignments(
  ds: DataSource,
  viewer: Viewer | null,
  args: {
    filter?: AssignmentFilterCommand | null;
    orderBy?: AssignmentOrder | null;
    first?: number | null;
    after?: string | null;
  },
): Promise<AssignmentPage> {
  const v = requireRole(viewer, Rules.readAssignments);
  const filter = args.filter ?? {};
  const order = args.orderBy ?? AssignmentOrder.DUE_AT_ASC;
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw badInput("first", `must be between 1 and ${MAX_PAGE}`);
  const departmentId = optionalUuid("filter.departmentId", filter.departmentId);
  const categoryId = optionalUuid("filter.categoryId", filter.categoryId);
  const assigneeId = optionalUuid("filter.assigneeId", filter.assigneeId);
  const statuses = filter.status?.length ? [...new Set(filter.status)] : ACTIVE_STATUSES;
  for (const s of statuses) {
    if (!Object.values(AssignmentStatus).includes(s)) throw badInput("filter.status", "unknown status");
  }

  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const scope = assignmentScope(v, 0);
  params.push(...scope.params);
  const base = [scope.sql];
  // A department's queue is always its own; the filter cannot widen it.
  if (departmentId && v.role !== Role.DEPARTMENT) base.push(`a.department_id = ${p(departmentId)}`);
  const active = `a.status IN ('OPEN','IN_PROGRESS')`;
  const overdue = `(${active} AND a.due_at < now())`;

  const where = [...base, `a.status = ANY(${p(statuses)}::varchar[])`];
  if (categoryId) where.push(`ct.category_id = ${p(categoryId)}`);
  if (assigneeId) where.push(`a.assignee_id = ${p(assigneeId)}`);
  if (filter.overdue != null) where.push(filter.overdue ? overdue : `NOT ${overdue}`);
  if (filter.unassigned != null)
    where.push(filter.unassigned ? `a.assignee_id IS NULL` : `a.assignee_id IS NOT NULL`);
  if (filter.reviewFlagged != null)
    where.push(
      `${filter.reviewFlagged ? "" : "NOT "}EXISTS (SELECT 1 FROM review_mark rm WHERE rm.assignment_id = a.id
        AND rm.kind <> 'OK' AND rm.resolved_at IS NULL)`,
    );

  // The time zone only the counts use: a parameter the page statement never mentions has no type.
  const tz = `$${params.length + 1}::text`;
  // Join the contact only when a condition reads it (a category, the choke point for some roles).
  const from = `assignment a${/\bct\./.test(where.join(" ")) ? " JOIN contact ct ON ct.id = a.contact_id" : ""}`;
  const countsSql = `SELECT
      count(*) FILTER (WHERE ${where.join(" AND ")})::int AS "totalCount",
      count(*) FILTER (WHERE a.status = 'OPEN')::int AS open,
      count(*) FILTER (WHERE a.status = 'IN_PROGRESS')::int AS "inProgress",
      count(*) FILTER (WHERE ${overdue})::int AS overdue,
      count(*) FILTER (WHERE ${active} AND a.assignee_id IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE ${active}
        AND (a.due_at AT TIME ZONE ${tz})::date = (now() AT TIME ZONE ${tz})::date)::int AS "dueToday"
    FROM ${from}
    WHERE ${base.join(" AND ")} AND (${where.slice(base.length).join(" AND ")} OR ${active})`;
  const countParams = [...params, config().STAR_TIME_ZONE];

  const { column, dir } = ORDER_SQL[order];
  const pageWhere = [...where];
  if (args.after) {
    const c = decodeCursor(order, args.after);
    pageWhere.push(
      `(a.${column}, a.id) ${dir === "ASC" ? ">" : "<"} (${p(c.key)}::timestamptz, ${p(c.id)}::uuid)`,
    );
  }
  const pageSql = `SELECT ${ASSIGNMENT_COLUMNS}, a.${column}::text AS "sortKey"
    FROM ${from}
    WHERE ${pageWhere.join(" AND ")}
    ORDER BY a.${column} ${dir}, a.id ${dir} LIMIT ${p(first + 1)}`;

  const [rows, [counts]] = await Promise.all([
    ds.query(pageSql, params) as Promise<(Assignment & { sortKey: string })[]>,
    ds.query(countsSql, countParams) as Promise<(AssignmentCounts & { totalCount: number })[]>,
  ]);
  const page = rows.slice(0, first);
  const edges = page.map(({ sortKey, ...row }) => ({
    cursor: encodeCursor(order, sortKey, row.id),
    node: row as Assignment,
  }));
  const { totalCount, ...headline } = counts;
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
    counts: headline,
  };
}
