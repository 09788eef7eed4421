import type { DataSource, EntityManager } from "typeorm";
import {
  ReviewCycle,
  ReviewCycleStatus,
  ReviewMark,
  ReviewMarkKind,
  Role,
  type AssignmentStatus,
} from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput, conflict, notFound } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { insertMail } from "../mail/outbox.service";
import { localDate } from "../routing/business-days";
import { isUuid, oneOf, optionalText, optionalUuid, requiredText, uuid } from "../validation/validate";

/** Calendar days since the assignment was made, counted on the city's calendar. */
export enum AgingBucket {
  DAYS_0_2 = "DAYS_0_2",
  DAYS_3_5 = "DAYS_3_5",
  DAYS_6_10 = "DAYS_6_10",
  OVER_10 = "OVER_10",
}

export const AGING_BUCKETS: { bucket: AgingBucket; label: string; min: number; max: number | null }[] = [
  { bucket: AgingBucket.DAYS_0_2, label: "0-2 days", min: 0, max: 2 },
  { bucket: AgingBucket.DAYS_3_5, label: "3-5 days", min: 3, max: 5 },
  { bucket: AgingBucket.DAYS_6_10, label: "6-10 days", min: 6, max: 10 },
  { bucket: AgingBucket.OVER_10, label: "over 10 days", min: 11, max: null },
];

export function bucketOf(ageDays: number): AgingBucket {
  return AGING_BUCKETS.find((b) => ageDays >= b.min && (b.max == null || ageDays <= b.max))!.bucket;
}

export interface ReviewQueueFilterCommand {
  departmentId?: string | null;
  categoryId?: string | null;
  agingBucket?: AgingBucket | null;
  overdue?: boolean | null;
  /** Has a concern (any cycle) that the department has not resolved. */
  flagged?: boolean | null;
  /** No mark yet in the open cycle. */
  notReviewed?: boolean | null;
}

/** One open assignment as the worklist shows it: no constituent, description or callback. */
export interface ReviewItem {
  assignmentId: string;
  version: number;
  status: AssignmentStatus;
  isLead: boolean;
  referenceNumber: string;
  confidential: boolean;
  departmentId: string;
  departmentName: string;
  categoryId: string;
  categoryName: string;
  assigneeName: string | null;
  assignedAt: Date;
  dueAt: Date;
  ageDays: number;
  agingBucket: AgingBucket;
  overdue: boolean;
  responseCount: number;
  lastActivityAt: Date | null;
  openConcerns: number;
  markId: string | null;
}

export interface ReviewQueuePage {
  cycle: ReviewCycle | null;
  edges: { cursor: string; node: ReviewItem }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  byBucket: { bucket: AgingBucket; count: number }[];
  byDepartment: { departmentId: string; departmentName: string; count: number; reviewed: number }[];
  progress: { reviewed: number; total: number };
}

export const REVIEW_PAGE = 100;
export const MAX_REVIEW_PAGE = 500;

const active = `a.status IN ('OPEN','IN_PROGRESS')`;
const AGE = (tz: string) => `((now() AT TIME ZONE ${tz})::date - (a.assigned_at AT TIME ZONE ${tz})::date)`;
const OPEN_CONCERN = `EXISTS (SELECT 1 FROM review_mark fm WHERE fm.assignment_id = a.id
  AND fm.kind <> 'OK' AND fm.resolved_at IS NULL)`;

/** The Monday of the week `now` falls in, on the city's calendar. */
export function weekStartOf(now: Date, timeZone = config().STAR_TIME_ZONE): string {
  const day = localDate(now, timeZone);
  const d = new Date(`${day}T12:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

export async function findOpenCycle(db: DataSource | EntityManager): Promise<ReviewCycle | null> {
  return db.getRepository(ReviewCycle).findOneBy({ status: ReviewCycleStatus.OPEN });
}

const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

// The sort key travels as PostgreSQL's own text form, so microseconds survive the round trip.
function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

function decodeCursor(cursor: string): { name: string; departmentId: string; key: string; id: string } {
  try {
    const parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const [name, departmentId, key, id] = parts;
    if (
      parts.length === 4 &&
      typeof name === "string" &&
      typeof key === "string" &&
      typeof departmentId === "string" &&
      typeof id === "string" &&
      isUuid(departmentId) &&
      isUuid(id) &&
      PG_TIMESTAMPTZ.test(key)
    ) {
      return { name, departmentId, key, id };
    }
  } catch {
    // fall through: not a cursor of this list
  }
  throw badInput("after", "is not a cursor of the review worklist");
}

/**
 * The worklist: every open assignment city-wide, grouped by department (ordered by department name,
 * then oldest first), with counts per aging bucket and department and the open cycle's progress.
 * Rows carry only what a review needs (reference, category, dates, activity): no constituent,
 * description or callback, so administrators and analysts may read it.
 */
export async function reviewQueue(
  ds: DataSource,
  viewer: Viewer | null,
  args: { filter?: ReviewQueueFilterCommand | null; first?: number | null; after?: string | null },
): Promise<ReviewQueuePage> {
  requireRole(viewer, Rules.readReviews);
  const filter = args.filter ?? {};
  const first = args.first ?? REVIEW_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_REVIEW_PAGE)
    throw badInput("first", `must be between 1 and ${MAX_REVIEW_PAGE}`);
  const departmentId = optionalUuid("filter.departmentId", filter.departmentId);
  const categoryId = optionalUuid("filter.categoryId", filter.categoryId);
  const bucket =
    filter.agingBucket == null
      ? null
      : AGING_BUCKETS.find(
          (b) => b.bucket === oneOf("filter.agingBucket", filter.agingBucket, Object.values(AgingBucket)),
        )!;
  const cycle = await findOpenCycle(ds);
  if (filter.notReviewed != null && !cycle)
    throw badInput("filter.notReviewed", "there is no open review cycle; start this week's review first");

  const params: unknown[] = [config().STAR_TIME_ZONE, cycle?.id ?? null];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const tz = `$1::text`;
  const cycleParam = `$2::uuid`;
  const age = AGE(tz);
  const where: string[] = [];
  if (departmentId) where.push(`a.department_id = ${p(departmentId)}`);
  if (categoryId) where.push(`ct.category_id = ${p(categoryId)}`);
  if (bucket) {
    where.push(`${age} >= ${p(bucket.min)}::int`);
    if (bucket.max != null) where.push(`${age} <= ${p(bucket.max)}::int`);
  }
  if (filter.overdue != null) where.push(`${filter.overdue ? "" : "NOT "}(a.due_at < now())`);
  if (filter.flagged != null) where.push(`${filter.flagged ? "" : "NOT "}${OPEN_CONCERN}`);
  if (filter.notReviewed != null) where.push(`(cm.id IS ${filter.notReviewed ? "" : "NOT "}NULL)`);
  const filtered = where.length ? where.join(" AND ") : "TRUE";

  const from = `assignment a
    JOIN contact ct ON ct.id = a.contact_id
    JOIN department d ON d.id = a.department_id
    LEFT JOIN review_mark cm ON cm.cycle_id = ${cycleParam} AND cm.assignment_id = a.id`;

  const pageWhere = [active, filtered];
  const pageParams = [...params];
  if (args.after) {
    const c = decodeCursor(args.after);
    pageParams.push(c.name, c.departmentId, c.key, c.id);
    const n = pageParams.length;
    pageWhere.push(
      `(d.name, d.id, a.assigned_at, a.id) > ($${n - 3}::text, $${n - 2}::uuid, $${n - 1}::timestamptz, $${n}::uuid)`,
    );
  }
  pageParams.push(first + 1);
  const pageSql = `SELECT a.id AS "assignmentId", a.version, a.status, a.is_lead AS "isLead",
      ct.reference_number AS "referenceNumber", ct.confidential,
      d.id AS "departmentId", d.name AS "departmentName",
      cat.id AS "categoryId", cat.name AS "categoryName", s.name AS "assigneeName",
      a.assigned_at AS "assignedAt", a.assigned_at::text AS "sortKey", a.due_at AS "dueAt",
      ${age}::int AS "ageDays", (a.due_at < now()) AS overdue,
      (SELECT count(*)::int FROM response r WHERE r.assignment_id = a.id) AS "responseCount",
      (SELECT max(r.created_at) FROM response r WHERE r.assignment_id = a.id) AS "lastActivityAt",
      (SELECT count(*)::int FROM review_mark fm WHERE fm.assignment_id = a.id
        AND fm.kind <> 'OK' AND fm.resolved_at IS NULL) AS "openConcerns",
      cm.id AS "markId"
    FROM ${from}
    JOIN category cat ON cat.id = ct.category_id
    LEFT JOIN staff_user s ON s.id = a.assignee_id
    WHERE ${pageWhere.join(" AND ")}
    ORDER BY d.name, d.id, a.assigned_at, a.id
    LIMIT $${pageParams.length}`;

  // The counts read every open assignment: aggregate per department first, and join the contact only
  // when the category filter needs it.
  const bucketSql = AGING_BUCKETS.map(
    (b) =>
      `count(*) FILTER (WHERE ${filtered} AND g.age >= ${b.min}${b.max == null ? "" : ` AND g.age <= ${b.max}`})::int AS "${b.bucket}"`,
  ).join(",\n      ");
  const countsSql = `SELECT d.id AS "departmentId", d.name AS "departmentName", x.*
    FROM (SELECT a.department_id,
        count(*)::int AS "all", count(cm.id)::int AS "reviewed",
        count(*) FILTER (WHERE ${filtered})::int AS "count",
        ${bucketSql}
      FROM assignment a${categoryId ? " JOIN contact ct ON ct.id = a.contact_id" : ""}
      LEFT JOIN review_mark cm ON cm.cycle_id = ${cycleParam} AND cm.assignment_id = a.id
      CROSS JOIN LATERAL (SELECT ${age} AS age) g
      WHERE ${active}
      GROUP BY a.department_id) x
    JOIN department d ON d.id = x.department_id
    ORDER BY d.name, d.id`;

  const [rows, counts] = await Promise.all([
    ds.query(pageSql, pageParams) as Promise<(ReviewItem & { sortKey: string })[]>,
    ds.query(countsSql, params) as Promise<
      ({
        departmentId: string;
        departmentName: string;
        all: number;
        reviewed: number;
        count: number;
      } & Record<AgingBucket, number>)[]
    >,
  ]);
  const page = rows.slice(0, first);
  const edges = page.map(({ sortKey, ...row }) => ({
    cursor: encodeCursor([row.departmentName, row.departmentId, sortKey, row.assignmentId]),
    node: { ...row, agingBucket: bucketOf(row.ageDays) },
  }));
  return {
    cycle,
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: counts.reduce((n, c) => n + c.count, 0),
    byBucket: AGING_BUCKETS.map((b) => ({
      bucket: b.bucket,
      count: counts.reduce((n, c) => n + c[b.bucket], 0),
    })),
    byDepartment: counts
      .filter((c) => c.count > 0)
      .map((c) => ({
        departmentId: c.departmentId,
        departmentName: c.departmentName,
        count: c.count,
        reviewed: c.reviewed,
      })),
    progress: {
      reviewed: counts.reduce((n, c) => n + c.reviewed, 0),
      total: counts.reduce((n, c) => n + c.all, 0),
    },
  };
}

/** Marked and open assignments of a cycle: live while it is open, as it closed afterwards. */
export async function cycleProgress(
  db: DataSource | EntityManager,
  cycle: ReviewCycle,
): Promise<{ reviewed: number; total: number }> {
  if (cycle.status === ReviewCycleStatus.CLOSED && cycle.totalAtClose != null) {
    return { reviewed: cycle.reviewedAtClose ?? 0, total: cycle.totalAtClose };
  }
  const [row]: { reviewed: number; total: number }[] = await db.query(
    `SELECT count(m.id)::int AS reviewed, count(*)::int AS total
       FROM assignment a LEFT JOIN review_mark m ON m.cycle_id = $1 AND m.assignment_id = a.id
      WHERE ${active}`,
    [cycle.id],
  );
  return row;
}

export async function listReviewCycles(
  ds: DataSource,
  viewer: Viewer | null,
  limit: number | null | undefined,
): Promise<ReviewCycle[]> {
  requireRole(viewer, Rules.readReviews);
  const take = limit ?? 52;
  if (!Number.isInteger(take) || take < 1 || take > 500) throw badInput("limit", "must be between 1 and 500");
  return ds.getRepository(ReviewCycle).find({ order: { weekStart: "DESC", startedAt: "DESC" }, take });
}

export async function loadReviewCycle(
  ds: DataSource,
  viewer: Viewer | null,
  id: string,
): Promise<ReviewCycle> {
  requireRole(viewer, Rules.readReviews);
  const cycle = isUuid(id) ? await ds.getRepository(ReviewCycle).findOneBy({ id }) : null;
  if (!cycle) throw notFound("Review cycle");
  return cycle;
}

/** The marks of a cycle, in the order they were made, for the cycle's page and the packet. */
export async function marksOfCycle(
  db: DataSource | EntityManager,
  viewer: Viewer | null,
  cycleId: string,
): Promise<ReviewMark[]> {
  requireRole(viewer, Rules.readReviews);
  return db.getRepository(ReviewMark).find({
    where: { cycleId },
    order: { markedAt: "ASC", id: "ASC" },
  });
}

/** A viewer's marks on assignments: a department only its own, the reviewers everything. */
export async function marksOfAssignments(
  ds: DataSource,
  viewer: Viewer | null,
  assignmentIds: readonly string[],
): Promise<ReviewMark[][]> {
  const v = requireRole(viewer, Rules.readReviewMarks);
  const rows = await ds.query(
    `SELECT ${MARK_COLUMNS} FROM review_mark m
      WHERE m.assignment_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR m.department_id = $2::uuid)
      ORDER BY m.marked_at DESC, m.id`,
    [
      assignmentIds,
      v.role === Role.DEPARTMENT ? (v.departmentId ?? "00000000-0000-0000-0000-000000000000") : null,
    ],
  );
  const groups = new Map<string, ReviewMark[]>(assignmentIds.map((id) => [id, []]));
  for (const r of rows as ReviewMark[]) groups.get(r.assignmentId)?.push(r);
  return assignmentIds.map((id) => groups.get(id) ?? []);
}

const MARK_COLUMNS = `m.id, m.cycle_id AS "cycleId", m.assignment_id AS "assignmentId",
  m.department_id AS "departmentId", m.kind, m.note, m.marked_by_id AS "markedById", m.marked_at AS "markedAt",
  m.resolved_by_id AS "resolvedById", m.resolved_at AS "resolvedAt", m.resolution_note AS "resolutionNote",
  m.created_at AS "createdAt", m.version`;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === "23505";
}

function requiredVersion(field: string, value: number | null | undefined): number {
  if (value == null || !Number.isInteger(value) || value < 1)
    throw badInput(field, "must be the version you read");
  return value;
}

/** Starts this week's review. Only one cycle is open at a time; the partial unique index decides races. */
export async function startReviewCycle(
  ds: DataSource,
  viewer: Viewer | null,
  now = new Date(),
): Promise<ReviewCycle> {
  const v = requireRole(viewer, Rules.reviewAssignments);
  const weekStart = weekStartOf(now);
  try {
    return await ds.transaction(async (em) => {
      const open = await findOpenCycle(em);
      if (open) throw openCycleConflict(open);
      const cycle = await em
        .getRepository(ReviewCycle)
        .save(em.create(ReviewCycle, { weekStart, startedById: v.id, status: ReviewCycleStatus.OPEN }));
      await audit(em, v, {
        action: "review.cycle_started",
        entityType: "review_cycle",
        entityId: cycle.id,
        after: { weekStart, status: cycle.status },
      });
      return cycle;
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const open = await findOpenCycle(ds);
    throw open ? openCycleConflict(open) : err;
  }
}

function openCycleConflict(open: ReviewCycle) {
  return conflict(`The review of the week of ${open.weekStart} is still open: close it first`, {
    cycleId: open.id,
    weekStart: open.weekStart,
  });
}

export interface CloseReviewCycleCommand {
  id: string;
  version: number;
}

export async function closeReviewCycle(
  ds: DataSource,
  viewer: Viewer | null,
  input: CloseReviewCycleCommand,
): Promise<ReviewCycle> {
  const v = requireRole(viewer, Rules.reviewAssignments);
  const id = uuid("id", input.id);
  const expected = requiredVersion("version", input.version);
  return ds.transaction(async (em) => {
    const cycle = await em
      .getRepository(ReviewCycle)
      .findOne({ where: { id }, lock: { mode: "pessimistic_write" } });
    if (!cycle) throw notFound("Review cycle");
    if (cycle.version !== expected)
      throw conflict("The review cycle changed since you read it: reload and try again", {
        status: cycle.status,
        version: cycle.version,
      });
    if (cycle.status !== ReviewCycleStatus.OPEN) throw conflict("The review cycle is already closed");
    const progress = await cycleProgress(em, cycle);
    await em.query(
      `UPDATE review_cycle SET status = 'CLOSED', closed_at = now(), closed_by_id = $2,
         total_at_close = $3, reviewed_at_close = $4, version = version + 1 WHERE id = $1`,
      [id, v.id, progress.total, progress.reviewed],
    );
    await audit(em, v, {
      action: "review.cycle_closed",
      entityType: "review_cycle",
      entityId: id,
      before: { status: cycle.status, version: cycle.version },
      after: { status: ReviewCycleStatus.CLOSED, ...progress },
    });
    return em.getRepository(ReviewCycle).findOneByOrFail({ id });
  });
}

export interface MarkAssignmentCommand {
  cycleId: string;
  assignmentId: string;
  kind: ReviewMarkKind;
  note?: string | null;
  /** The mark's version you read; omit for the first mark of the assignment in this cycle. */
  version?: number | null;
}

const snapshot = (m: ReviewMark) => ({
  kind: m.kind,
  note: m.note,
  resolvedAt: m.resolvedAt ? new Date(m.resolvedAt).toISOString() : null,
  version: m.version,
});

/**
 * Marks one open assignment in the open cycle; marking it again updates the mark (with the version
 * read, or CONFLICT). A concern (anything but OK) needs a note, flags the assignment in the
 * department's queue until resolved, and mails the department.
 */
export async function markAssignment(
  ds: DataSource,
  viewer: Viewer | null,
  input: MarkAssignmentCommand,
): Promise<ReviewMark> {
  const v = requireRole(viewer, Rules.reviewAssignments);
  const cycleId = uuid("cycleId", input.cycleId);
  const assignmentId = uuid("assignmentId", input.assignmentId);
  const kind = oneOf("kind", input.kind, Object.values(ReviewMarkKind));
  const note =
    kind === ReviewMarkKind.OK
      ? optionalText("note", input.note, { max: 4000 })
      : requiredText("note", input.note, { max: 4000 });
  const expected = input.version == null ? null : requiredVersion("version", input.version);
  try {
    return await ds.transaction(async (em) => {
      const [cycle]: { status: ReviewCycleStatus }[] = await em.query(
        `SELECT status FROM review_cycle WHERE id = $1 FOR SHARE`,
        [cycleId],
      );
      if (!cycle) throw notFound("Review cycle");
      if (cycle.status !== ReviewCycleStatus.OPEN)
        throw conflict("The review cycle is closed: marks can no longer change");
      const [a]: { id: string; status: AssignmentStatus; department_id: string }[] = await em.query(
        `SELECT id, status, department_id FROM assignment WHERE id = $1`,
        [assignmentId],
      );
      if (!a) throw notFound("Assignment");
      if (a.status !== "OPEN" && a.status !== "IN_PROGRESS")
        throw conflict(`A ${a.status} assignment is no longer reviewed`, { status: a.status });

      const [existing]: ReviewMark[] = await em.query(
        `SELECT ${MARK_COLUMNS} FROM review_mark m WHERE m.cycle_id = $1 AND m.assignment_id = $2 FOR UPDATE`,
        [cycleId, assignmentId],
      );
      let mark: ReviewMark;
      if (!existing) {
        if (expected != null) throw conflict("The mark was removed or never existed: reload and try again");
        const [row]: ReviewMark[] = await em.query(
          `INSERT INTO review_mark AS m (cycle_id, assignment_id, department_id, kind, note, marked_by_id)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${MARK_COLUMNS}`,
          [cycleId, assignmentId, a.department_id, kind, note, v.id],
        );
        mark = row;
      } else {
        if (expected !== existing.version)
          throw conflict("The mark changed since you read it: reload and try again", {
            kind: existing.kind,
            version: existing.version,
          });
        const [rows] = (await em.query(
          `UPDATE review_mark m SET kind = $2, note = $3, marked_by_id = $4, marked_at = now(),
             resolved_at = NULL, resolved_by_id = NULL, resolution_note = NULL, version = m.version + 1
           WHERE m.id = $1 RETURNING ${MARK_COLUMNS}`,
          [existing.id, kind, note, v.id],
        )) as [ReviewMark[], number];
        mark = rows[0];
      }
      const mailId = kind === ReviewMarkKind.OK ? null : await notifyDepartment(em, mark);
      await audit(em, v, {
        action: existing ? "review.mark_changed" : "review.marked",
        entityType: "review_mark",
        entityId: mark.id,
        before: existing ? snapshot(existing) : null,
        after: { ...snapshot(mark), cycleId, assignmentId, mailId },
      });
      return mark;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict("Someone marked this assignment at the same moment: reload and try again");
    throw err;
  }
}

export interface ResolveReviewMarkCommand {
  id: string;
  version: number;
  resolutionNote: string;
}

/** The department answers a concern with a note; the reviewer sees it on the worklist and the cycle. */
export async function resolveReviewMark(
  ds: DataSource,
  viewer: Viewer | null,
  input: ResolveReviewMarkCommand,
): Promise<ReviewMark> {
  const v = requireRole(viewer, Rules.resolveReviewMarks);
  const id = uuid("id", input.id);
  const expected = requiredVersion("version", input.version);
  const resolutionNote = requiredText("resolutionNote", input.resolutionNote, { max: 4000 });
  return ds.transaction(async (em) => {
    const [mark]: ReviewMark[] = await em.query(
      `SELECT ${MARK_COLUMNS} FROM review_mark m WHERE m.id = $1 FOR UPDATE`,
      [id],
    );
    // Another department's mark is simply not there.
    if (!mark || (v.role === Role.DEPARTMENT && mark.departmentId !== v.departmentId))
      throw notFound("Review mark");
    if (mark.kind === ReviewMarkKind.OK) throw badInput("id", "an OK mark needs no resolution");
    if (mark.version !== expected)
      throw conflict("The mark changed since you read it: reload and try again", {
        kind: mark.kind,
        version: mark.version,
      });
    if (mark.resolvedAt) throw conflict("The mark is already resolved", { version: mark.version });
    const [rows] = (await em.query(
      `UPDATE review_mark m SET resolved_at = now(), resolved_by_id = $2, resolution_note = $3,
         version = m.version + 1 WHERE m.id = $1 RETURNING ${MARK_COLUMNS}`,
      [id, v.id, resolutionNote],
    )) as [ReviewMark[], number];
    await audit(em, v, {
      action: "review.mark_resolved",
      entityType: "review_mark",
      entityId: id,
      before: snapshot(mark),
      after: { ...snapshot(rows[0]), assignmentId: mark.assignmentId },
    });
    return rows[0];
  });
}

export const MARK_KIND_LABELS: Record<ReviewMarkKind, string> = {
  OK: "OK",
  FOLLOW_UP: "Follow-up",
  CONSISTENCY: "Consistency concern",
  POLICY: "Policy concern",
};

function portalLink(path: string): string {
  const base = config().NEXTAUTH_URL?.replace(/\/+$/, "") ?? "";
  return `${base}${path}`;
}

/**
 * Mails the department (the assignee when there is one) about a concern, in the caller's transaction.
 * It names the reference, the kind and the reviewer's note, never the constituent.
 */
async function notifyDepartment(em: EntityManager, mark: ReviewMark): Promise<string | null> {
  const [row]: {
    reference_number: string;
    category_name: string;
    department_name: string;
    department_email: string | null;
    assignee_email: string | null;
  }[] = await em.query(
    `SELECT c.reference_number, cat.name AS category_name, d.name AS department_name,
            d.email AS department_email, CASE WHEN s.active THEN s.email END AS assignee_email
       FROM assignment a
       JOIN contact c ON c.id = a.contact_id
       JOIN category cat ON cat.id = c.category_id
       JOIN department d ON d.id = a.department_id
       LEFT JOIN staff_user s ON s.id = a.assignee_id
      WHERE a.id = $1`,
    [mark.assignmentId],
  );
  const to = row?.assignee_email ?? row?.department_email;
  if (!row || !to) {
    logger.warn({ markId: mark.id }, "no assignee or department email: review concern not mailed");
    return null;
  }
  const what = MARK_KIND_LABELS[mark.kind];
  const text = [
    `The City Manager's Office reviewed ${row.reference_number} (${row.category_name}, ${row.department_name}) and asks for action: ${what}.`,
    "",
    mark.note ?? "",
    "",
    `Resolve it with a note on the assignment: ${portalLink(`/assignments/${mark.assignmentId}`)}`,
  ].join("\n");
  return insertMail(
    em,
    { to, subject: `Review ${what.toLowerCase()}: ${row.reference_number}`, text, kind: "REVIEW_MARK" },
    `review-mark:${mark.id}:${mark.version}`,
  );
}

/** Whether the viewer may resolve this mark: its own department, or the City Manager's Office. */
export function mayResolve(
  viewer: Viewer,
  mark: Pick<ReviewMark, "departmentId" | "kind" | "resolvedAt">,
): boolean {
  if (mark.kind === ReviewMarkKind.OK || mark.resolvedAt) return false;
  if (viewer.role === Role.REVIEWER) return true;
  return viewer.role === Role.DEPARTMENT && viewer.departmentId === mark.departmentId;
}
