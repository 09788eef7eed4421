import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import {
  Assignment,
  AssignmentStatus,
  Category,
  Channel,
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
import { isUuid, optionalText, optionalUuid } from "../validation/validate";

export enum AssignmentOrder {
  DUE_AT_ASC = "DUE_AT_ASC",
  DUE_AT_DESC = "DUE_AT_DESC",
  ASSIGNED_AT_ASC = "ASSIGNED_AT_ASC",
  ASSIGNED_AT_DESC = "ASSIGNED_AT_DESC",
  /** Open before in progress (then the closed states), each soonest due first. */
  STATUS = "STATUS",
  /** By category name, each soonest due first. */
  CATEGORY = "CATEGORY",
  /** Unassigned first, then by assignee name, each soonest due first. */
  ASSIGNEE = "ASSIGNEE",
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
  // Analysts' narrower questions; they read the assignment's contact.
  referenceNumber?: string | null;
  channel?: Channel[] | null;
  assignedFrom?: Date | null;
  assignedTo?: Date | null;
  completedFrom?: Date | null;
  completedTo?: Date | null;
  text?: string | null;
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

/**
 * A queue order: an optional text group (status, category or assignee) ahead of a time column, ties broken
 * on id. The group is a text expression over `a`, so one row comparison pages through every order.
 */
interface OrderSpec {
  group: string | null;
  column: "due_at" | "assigned_at";
  dir: "ASC" | "DESC";
}

const STATUS_RANK = `(CASE a.status WHEN 'OPEN' THEN '1' WHEN 'IN_PROGRESS' THEN '2' WHEN 'COMPLETED' THEN '3'
  WHEN 'TRANSFERRED' THEN '4' ELSE '5' END)`;

const ORDER_SQL: Record<AssignmentOrder, OrderSpec> = {
  DUE_AT_ASC: { group: null, column: "due_at", dir: "ASC" },
  DUE_AT_DESC: { group: null, column: "due_at", dir: "DESC" },
  ASSIGNED_AT_ASC: { group: null, column: "assigned_at", dir: "ASC" },
  ASSIGNED_AT_DESC: { group: null, column: "assigned_at", dir: "DESC" },
  STATUS: { group: STATUS_RANK, column: "due_at", dir: "ASC" },
  CATEGORY: {
    group: `(SELECT og.name FROM contact oc JOIN category og ON og.id = oc.category_id WHERE oc.id = a.contact_id)`,
    column: "due_at",
    dir: "ASC",
  },
  ASSIGNEE: {
    group: `COALESCE((SELECT os.name FROM staff_user os WHERE os.id = a.assignee_id), '')`,
    column: "due_at",
    dir: "ASC",
  },
};

const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

interface CursorKey {
  group: string | null;
  key: string;
  id: string;
}

// The sort key travels as PostgreSQL's own text form, so microseconds survive the round trip.
function encodeCursor(order: AssignmentOrder, c: CursorKey): string {
  return Buffer.from(JSON.stringify([order, c.key, c.id, c.group])).toString("base64url");
}

function decodeCursor(order: AssignmentOrder, cursor: string): CursorKey {
  const grouped = ORDER_SQL[order].group !== null;
  try {
    const [o, key, id, group] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (o === order && typeof key === "string" && typeof id === "string" && isUuid(id)) {
      const groupOk = grouped ? typeof group === "string" : group == null;
      if (groupOk && PG_TIMESTAMPTZ.test(key)) return { key, id, group: grouped ? (group as string) : null };
    }
  } catch {
    // fall through: a cursor we did not write
  }
  throw badInput("after", "is not a cursor of this list and order");
}

function period(field: string, from: Date | null | undefined, to: Date | null | undefined) {
  for (const [name, d] of [
    [`${field}From`, from],
    [`${field}To`, to],
  ] as const) {
    if (d != null && (!(d instanceof Date) || Number.isNaN(d.getTime())))
      throw badInput(`filter.${name}`, "must be a date");
  }
  if (from && to && from > to) throw badInput(`filter.${field}To`, `must not be before ${field}From`);
  return { from: from ?? null, to: to ?? null };
}

/** The filters over the assignment's contact and its times; the contact is joined when one is used. */
function contactAndTimeConditions(filter: AssignmentFilterCommand, p: (value: unknown) => string): string[] {
  const out: string[] = [];
  const ref = optionalText("filter.referenceNumber", filter.referenceNumber, { max: 30 });
  if (ref) out.push(`ct.reference_number = ${p(ref.toUpperCase())}`);
  if (filter.channel?.length) {
    const channels = [...new Set(filter.channel)];
    for (const c of channels) {
      if (!Object.values(Channel).includes(c)) throw badInput("filter.channel", `unknown value ${String(c)}`);
    }
    out.push(`ct.channel = ANY(${p(channels)}::varchar[])`);
  }
  const text = optionalText("filter.text", filter.text, { max: 200 });
  if (text) out.push(`ct.description_tsv @@ websearch_to_tsquery('simple', ${p(text)})`);
  const assigned = period("assigned", filter.assignedFrom, filter.assignedTo);
  if (assigned.from) out.push(`a.assigned_at >= ${p(assigned.from)}`);
  if (assigned.to) out.push(`a.assigned_at < ${p(assigned.to)}`);
  const completed = period("completed", filter.completedFrom, filter.completedTo);
  if (completed.from) out.push(`a.completed_at >= ${p(completed.from)}`);
  if (completed.to) out.push(`a.completed_at < ${p(completed.to)}`);
  return out;
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

  // Active statuses are written out, not only passed as a value: the plan PostgreSQL keeps for the prepared
  // statement (made without the values) can then still read the partial indexes of active assignments.
  const activeOnly = statuses.every((s) => ACTIVE_STATUSES.includes(s));
  const allActive = activeOnly && ACTIVE_STATUSES.every((s) => statuses.includes(s));
  const conds = activeOnly ? [active] : [];
  if (!allActive) conds.push(`a.status = ANY(${p(statuses)}::varchar[])`);
  // One probe of the (category, contact) index per queue row, never a visit to the row's contact; kept a
  // subquery (OFFSET 0) so that it is not turned into a hash of every contact the category ever had.
  if (categoryId)
    conds.push(
      `EXISTS (SELECT 1 FROM contact cc WHERE cc.category_id = ${p(categoryId)} AND cc.id = a.contact_id OFFSET 0)`,
    );
  if (assigneeId) conds.push(`a.assignee_id = ${p(assigneeId)}`);
  if (filter.overdue != null) conds.push(filter.overdue ? overdue : `NOT ${overdue}`);
  if (filter.unassigned != null)
    conds.push(filter.unassigned ? `a.assignee_id IS NULL` : `a.assignee_id IS NOT NULL`);
  if (filter.reviewFlagged != null)
    conds.push(
      `${filter.reviewFlagged ? "" : "NOT "}EXISTS (SELECT 1 FROM review_mark rm WHERE rm.assignment_id = a.id
        AND rm.kind <> 'OK' AND rm.resolved_at IS NULL)`,
    );
  conds.push(...contactAndTimeConditions(filter, p));
  const where = [...base, ...conds];

  const tz = `${p(config().STAR_TIME_ZONE)}::text`;
  // Join the contact only when a condition reads it (a category, the choke point for some roles).
  const from = `assignment a${/\bct\./.test(where.join(" ")) ? " JOIN contact ct ON ct.id = a.contact_id" : ""}`;
  // The headline counts are over active assignments only; when the list is too, one scan of the partial
  // index of active assignments answers both, instead of every assignment the department ever had, and the
  // scan's own condition stands for each count's test of the status.
  const countsWhere = activeOnly
    ? `${base.join(" AND ")} AND ${active}`
    : `${base.join(" AND ")} AND (${conds.join(" AND ")} OR ${active})`;
  const listed = activeOnly ? conds.slice(1) : conds;
  const ofActive = (c: string) => (activeOnly ? c : `${active} AND ${c}`);
  // The city's date of a due date is worked out only for those within two days of now (no day is longer,
  // whatever the clocks do), rather than a time zone conversion for every active assignment; the subqueries
  // are computed once for the statement.
  const dueToday = `a.due_at > (SELECT now() - interval '2 days') AND a.due_at < (SELECT now() + interval '2 days')
        AND (a.due_at AT TIME ZONE ${tz})::date = (SELECT (now() AT TIME ZONE ${tz})::date)`;
  const countsSql = `SELECT
      ${listed.length ? `count(*) FILTER (WHERE ${listed.join(" AND ")})` : "count(*)"}::int AS "totalCount",
      count(*) FILTER (WHERE a.status = 'OPEN')::int AS open,
      count(*) FILTER (WHERE a.status = 'IN_PROGRESS')::int AS "inProgress",
      count(*) FILTER (WHERE ${ofActive("a.due_at < now()")})::int AS overdue,
      count(*) FILTER (WHERE ${ofActive("a.assignee_id IS NULL")})::int AS unassigned,
      count(*) FILTER (WHERE ${ofActive(dueToday)})::int AS "dueToday"
    FROM ${from}
    WHERE ${countsWhere}`;

  const { group, column, dir } = ORDER_SQL[order];
  const pageWhere = [...where];
  if (args.after) {
    const c = decodeCursor(order, args.after);
    const keys = `a.${column}, a.id`;
    const values = `${p(c.key)}::timestamptz, ${p(c.id)}::uuid`;
    pageWhere.push(
      group
        ? `(${group}, ${keys}) ${dir === "ASC" ? ">" : "<"} (${p(c.group)}::text, ${values})`
        : `(${keys}) ${dir === "ASC" ? ">" : "<"} (${values})`,
    );
  }
  // The limit is written out (a whole number checked above) so that the kept plan knows the page is small.
  const rowsSql = `SELECT ${ASSIGNMENT_COLUMNS}, a.${column}::text AS "sortKey"${group ? `, ${group} AS "sortGroup"` : ""}
    FROM ${from}
    WHERE ${pageWhere.join(" AND ")}
    ORDER BY ${group ? `${group} ${dir}, ` : ""}a.${column} ${dir}, a.id ${dir} LIMIT ${first + 1}`;
  const include = args.include ?? {};
  const nested = [
    include.contact ? CONTACT : null,
    include.contact ? (include.lightCategory ? LIGHT_CATEGORY : FULL_CATEGORY) : null,
    include.assignee ? ASSIGNEE : null,
    include.department ? DEPARTMENT : null,
  ].filter((n): n is Nested => n !== null);
  // One statement for the page and its header: the counts' one row, then the page's rows (nested objects
  // joined to those rows only, after the limit, as plain columns) beside it; no rows leaves them null.
  const sql = `SELECT c.*, p.* FROM (${countsSql}) c
    LEFT JOIN (SELECT r.*${nested.map((n) => `, ${n.columns}`).join("")}
      FROM (${rowsSql}) r${nested.map((n) => (n.join ? ` ${n.join}` : "")).join("")}) p ON true
    ORDER BY ${group ? `p."sortGroup" ${dir}, ` : ""}p."${SORT_ALIAS[column]}" ${dir}, p.id ${dir}`;

  const { rows } = await preparedQuery<QueueStatementRow>(ds, {
    name: statementName(sql),
    text: sql,
    values: params,
  });
  const { totalCount, open, inProgress, overdue: late, unassigned, dueToday: today } = rows[0];
  const found = rows[0].id === null ? [] : rows;
  const edges = found.slice(0, first).map((r) => ({
    cursor: encodeCursor(order, { group: r.sortGroup ?? null, key: r.sortKey, id: r.id }),
    node: toNode(r, include),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: found.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
    counts: { open, inProgress, overdue: late, unassigned, dueToday: today },
  };
}

type QueueStatementRow = AssignmentCounts & { totalCount: number } & Assignment & {
    sortKey: string;
    sortGroup?: string | null;
  } & Record<string, unknown>;

/** A nested object of a queue row: its columns under a prefix, and the join that reads them. */
interface Nested {
  prefix: string;
  fields: readonly (readonly [column: string, key: string])[];
  columns: string;
  join: string | null;
}

function nested(
  prefix: string,
  alias: string,
  join: string | null,
  fields: readonly (readonly [column: string, key: string])[],
): Nested {
  const columns = fields.map(([c, k]) => `${alias}.${c} AS "${prefix}.${k}"`).join(", ");
  return { prefix, fields, columns, join };
}

function pick(r: Record<string, unknown>, n: Nested): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [, key] of n.fields) out[key] = r[`${n.prefix}.${key}`];
  return out;
}

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
  if (include.contact) {
    node.contact = Object.assign(new Contact(), pick(r, CONTACT), {
      category: Object.assign(
        new Category(),
        pick(r, include.lightCategory ? LIGHT_CATEGORY : FULL_CATEGORY),
      ),
    });
  }
  if (include.assignee)
    node.assignee = r["assignee.id"] == null ? null : Object.assign(new StaffUser(), pick(r, ASSIGNEE));
  if (include.department) node.department = Object.assign(new Department(), pick(r, DEPARTMENT));
  return node;
}

const SORT_ALIAS: Record<string, string> = { due_at: "dueAt", assigned_at: "assignedAt" };

// The page's nested objects, over the page's rows `r`: what the API shows of each entity (not its bookkeeping
// columns such as a category's creation time), so the objects are the loaders' rows less those.
const CONTACT = nested("contact", "k", `JOIN contact k ON k.id = r."contactId"`, [
  ["id", "id"],
  ["reference_number", "referenceNumber"],
  ["channel", "channel"],
  ["received_at", "receivedAt"],
  ["entered_at", "enteredAt"],
  ["entered_by_id", "enteredById"],
  ["category_id", "categoryId"],
  ["description", "description"],
  ["location_address", "locationAddress"],
  ["location_lat", "locationLat"],
  ["location_long", "locationLong"],
  ["constituent_id", "constituentId"],
  ["confidential", "confidential"],
  ["language", "language"],
  ["duplicate_of_id", "duplicateOfId"],
  ["public_record_notice_given", "publicRecordNoticeGiven"],
]);

const LIGHT_CATEGORY_FIELDS = [
  ["id", "id"],
  ["code", "code"],
  ["name", "name"],
  ["name_es", "nameEs"],
  ["department_id", "departmentId"],
  ["sla_business_days", "slaBusinessDays"],
  ["open311_service_code", "open311ServiceCode"],
  ["active", "active"],
] as const;

const CATEGORY_JOIN = `JOIN category cat ON cat.id = k.category_id`;

const LIGHT_CATEGORY = nested("category", "cat", CATEGORY_JOIN, LIGHT_CATEGORY_FIELDS);

const FULL_CATEGORY = nested("category", "cat", CATEGORY_JOIN, [
  ...LIGHT_CATEGORY_FIELDS,
  ["description", "description"],
  ["description_es", "descriptionEs"],
  ["standard_response", "standardResponse"],
  ["standard_response_es", "standardResponseEs"],
  ["open311_attributes", "open311Attributes"],
  ["keywords", "keywords"],
]);

const ASSIGNEE = nested("assignee", "su", `LEFT JOIN staff_user su ON su.id = r."assigneeId"`, [
  ["id", "id"],
  ["email", "email"],
  ["name", "name"],
  ["role", "role"],
  ["department_id", "departmentId"],
  ["active", "active"],
]);

const DEPARTMENT = nested("department", "dep", `JOIN department dep ON dep.id = r."departmentId"`, [
  ["id", "id"],
  ["code", "code"],
  ["name", "name"],
  ["email", "email"],
  ["active", "active"],
]);

const names = new Map<string, string>();

/**
 * One name per statement text: a queue statement is planned once per connection. The texts differ only
 * by which filters are present, the role's scope and the page size, so there are few of them.
 */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `star-queue-${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}
