import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import {
  Assignment,
  AssignmentStatus,
  Category,
  Contact,
  Department,
  Role,
  StaffUser,
} from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";
import { config } from "../config/config";
import { preparedQuery } from "../db/data-source";
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

/** A queue row; `assignee` is present (null when unassigned) when the page loaded it. */
export type QueueNode = Assignment & { assignee?: StaffUser | null };

/** The nested objects a page loads with its rows, so that the fields under a node need no more statements. */
export interface QueueIncludes {
  contact?: boolean;
  /** Only the category's short fields (no descriptions or standard responses) under the contact. */
  lightCategory?: boolean;
  assignee?: boolean;
  department?: boolean;
}

export interface AssignmentPage {
  edges: { cursor: string; node: QueueNode }[];
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
    include?: QueueIncludes;
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
  // As a set of the category's contacts (an index-only scan), hashed against the queue's rows, rather than a
  // visit to each row's contact.
  if (categoryId)
    where.push(`a.contact_id IN (SELECT cc.id FROM contact cc WHERE cc.category_id = ${p(categoryId)})`);
  if (assigneeId) where.push(`a.assignee_id = ${p(assigneeId)}`);
  if (filter.overdue != null) where.push(filter.overdue ? overdue : `NOT ${overdue}`);
  if (filter.unassigned != null)
    where.push(filter.unassigned ? `a.assignee_id IS NULL` : `a.assignee_id IS NOT NULL`);
  if (filter.reviewFlagged != null)
    where.push(
      `${filter.reviewFlagged ? "" : "NOT "}EXISTS (SELECT 1 FROM review_mark rm WHERE rm.assignment_id = a.id
        AND rm.kind <> 'OK' AND rm.resolved_at IS NULL)`,
    );

  const tz = `${p(config().STAR_TIME_ZONE)}::text`;
  // Join the contact only when a condition reads it (a category, the choke point for some roles).
  const from = `assignment a${/\bct\./.test(where.join(" ")) ? " JOIN contact ct ON ct.id = a.contact_id" : ""}`;
  // The headline counts are over active assignments only; when the list is too, one scan of the partial
  // index of active assignments answers both, instead of every assignment the department ever had.
  const activeOnly = statuses.every((s) => ACTIVE_STATUSES.includes(s));
  const countsWhere = activeOnly
    ? `${base.join(" AND ")} AND ${active}`
    : `${base.join(" AND ")} AND (${where.slice(base.length).join(" AND ")} OR ${active})`;
  const countsSql = `SELECT
      count(*) FILTER (WHERE ${where.slice(base.length).join(" AND ")})::int AS "totalCount",
      count(*) FILTER (WHERE a.status = 'OPEN')::int AS open,
      count(*) FILTER (WHERE a.status = 'IN_PROGRESS')::int AS "inProgress",
      count(*) FILTER (WHERE ${overdue})::int AS overdue,
      count(*) FILTER (WHERE ${active} AND a.assignee_id IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE ${active}
        AND (a.due_at AT TIME ZONE ${tz})::date = (now() AT TIME ZONE ${tz})::date)::int AS "dueToday"
    FROM ${from}
    WHERE ${countsWhere}`;

  const { column, dir } = ORDER_SQL[order];
  const pageWhere = [...where];
  if (args.after) {
    const c = decodeCursor(order, args.after);
    pageWhere.push(
      `(a.${column}, a.id) ${dir === "ASC" ? ">" : "<"} (${p(c.key)}::timestamptz, ${p(c.id)}::uuid)`,
    );
  }
  const rowsSql = `SELECT ${ASSIGNMENT_COLUMNS}, a.${column}::text AS "sortKey"
    FROM ${from}
    WHERE ${pageWhere.join(" AND ")}
    ORDER BY a.${column} ${dir}, a.id ${dir} LIMIT ${p(first + 1)}`;
  const include = args.include ?? {};
  const tree = [
    include.contact
      ? `${contactJson(include.lightCategory ? LIGHT_CATEGORY : FULL_CATEGORY)} AS contact`
      : null,
    include.assignee ? `${ASSIGNEE_JSON} AS assignee` : null,
    include.department ? `${DEPARTMENT_JSON} AS department` : null,
  ].filter(Boolean);
  // One statement for the page and its header: the counts' one row, then the page's rows (nested objects
  // read for those rows only, after the limit) beside it; no rows leaves the page's columns null.
  const sql = `SELECT c.*, p.* FROM (${countsSql}) c
    LEFT JOIN (SELECT r.*${tree.map((t) => `, ${t}`).join("")} FROM (${rowsSql}) r) p ON true
    ORDER BY p."${SORT_ALIAS[column]}" ${dir}, p.id ${dir}`;

  const { rows } = await preparedQuery<QueueStatementRow>(ds, {
    name: statementName(sql),
    text: sql,
    values: params,
  });
  const { totalCount, open, inProgress, overdue: late, unassigned, dueToday } = rows[0];
  const found = rows[0].id === null ? [] : rows;
  const edges = found.slice(0, first).map((r) => ({
    cursor: encodeCursor(order, r.sortKey, r.id),
    node: toNode(r, include),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: found.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
    counts: { open, inProgress, overdue: late, unassigned, dueToday },
  };
}

type Json<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

type QueueStatementRow = AssignmentCounts & { totalCount: number } & Assignment & {
    sortKey: string;
    contact?: Json<Contact> & { category: Partial<Category> };
    assignee?: Partial<StaffUser> | null;
    department?: Partial<Department>;
  };

// Entity instances, so that the field resolvers take them as they are.
function toNode(r: QueueStatementRow, include: QueueIncludes): QueueNode {
  const node: QueueNode = Object.assign(new Assignment(), {
    id: r.id,
    contactId: r.contactId,
    departmentId: r.departmentId,
    isLead: r.isLead,
    status: r.status,
    assigneeId: r.assigneeId,
    assignedAt: r.assignedAt,
    dueAt: r.dueAt,
    completedAt: r.completedAt,
    createdAt: r.createdAt,
    version: r.version,
  });
  if (r.contact) {
    const { category, ...contact } = r.contact;
    node.contact = Object.assign(new Contact(), contact, {
      receivedAt: new Date(contact.receivedAt),
      enteredAt: new Date(contact.enteredAt),
      category: Object.assign(new Category(), category),
    });
  }
  if (include.assignee) node.assignee = r.assignee ? Object.assign(new StaffUser(), r.assignee) : null;
  if (r.department) node.department = Object.assign(new Department(), r.department);
  return node;
}

const SORT_ALIAS: Record<string, string> = { due_at: "dueAt", assigned_at: "assignedAt" };

// The page's tree, over the page's rows `r`: what the API shows of each entity (not its bookkeeping
// columns such as a category's creation time), so the objects are the loaders' rows less those.
const contactJson = (category: string) => `(SELECT row_to_json(k) FROM (
    SELECT ct.id, ct.reference_number AS "referenceNumber", ct.channel, ct.received_at AS "receivedAt",
           ct.entered_at AS "enteredAt", ct.entered_by_id AS "enteredById", ct.category_id AS "categoryId",
           ct.description, ct.location_address AS "locationAddress", ct.location_lat AS "locationLat",
           ct.location_long AS "locationLong", ct.constituent_id AS "constituentId", ct.confidential,
           ct.language, ct.duplicate_of_id AS "duplicateOfId",
           ct.public_record_notice_given AS "publicRecordNoticeGiven",
           (SELECT row_to_json(g) FROM (SELECT ${category} FROM category cat WHERE cat.id = ct.category_id) g)
             AS category
      FROM contact ct WHERE ct.id = r."contactId") k)`;

const LIGHT_CATEGORY = `cat.id, cat.code, cat.name, cat.name_es AS "nameEs", cat.department_id AS "departmentId",
  cat.sla_business_days AS "slaBusinessDays", cat.open311_service_code AS "open311ServiceCode", cat.active`;

const FULL_CATEGORY = `${LIGHT_CATEGORY}, cat.description, cat.description_es AS "descriptionEs",
  cat.standard_response AS "standardResponse", cat.standard_response_es AS "standardResponseEs",
  cat.open311_attributes AS "open311Attributes", cat.keywords`;

const ASSIGNEE_JSON = `(SELECT row_to_json(s) FROM (
    SELECT su.id, su.email, su.name, su.role, su.department_id AS "departmentId", su.active
      FROM staff_user su WHERE su.id = r."assigneeId") s)`;

const DEPARTMENT_JSON = `(SELECT row_to_json(d) FROM (
    SELECT dep.id, dep.code, dep.name, dep.email, dep.active
      FROM department dep WHERE dep.id = r."departmentId") d)`;

const names = new Map<string, string>();

/**
 * One name per statement text: a queue statement is planned once per connection. The texts differ only
 * by which filters are present and the role's scope, so there are few of them.
 */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `star-queue-${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}
