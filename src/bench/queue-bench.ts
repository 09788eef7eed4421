import { isDeepStrictEqual } from "node:util";
import type { DataSource } from "typeorm";
import { config } from "../server/config/config";
import {
  NOTE_BODY,
  QUEUE_PAGE,
  QUEUE_QUERY,
  RESPOND_MUTATION,
  type QueueFilter,
  type QueueItem,
  type RespondItem,
} from "./scenarios";

/** The department whose queue is measured, and its size in the dataset. */
export const QUEUE_DEPARTMENT = "STREETS";
export const QUEUE_USER = "streets@star.local";
export const QUEUE_SIZE = 1000;

const ORDERS: Record<string, string> = {
  DUE_AT_ASC: "a.due_at ASC, a.id ASC",
  DUE_AT_DESC: "a.due_at DESC, a.id DESC",
  ASSIGNED_AT_ASC: "a.assigned_at ASC, a.id ASC",
  ASSIGNED_AT_DESC: "a.assigned_at DESC, a.id DESC",
  STATUS: "array_position(ARRAY['OPEN','IN_PROGRESS']::varchar[], a.status) ASC, a.due_at ASC, a.id ASC",
  CATEGORY: `(SELECT g.name FROM contact k JOIN category g ON g.id = k.category_id WHERE k.id = a.contact_id) ASC,
    a.due_at ASC, a.id ASC`,
  ASSIGNEE: `(SELECT u.name FROM staff_user u WHERE u.id = a.assignee_id) ASC NULLS FIRST, a.due_at ASC, a.id ASC`,
};

const ACTIVE = `a.status IN ('OPEN','IN_PROGRESS')`;

type Gql = <T>(cookie: string, query: string, variables: object) => Promise<T>;

export interface QueueAdjustment {
  departmentId: string;
  activeBefore: number;
  completed: number;
  reopened: number;
}

/**
 * Exactly QUEUE_SIZE open or in-progress assignments in the department: the ones past that (in hash order,
 * so the same ones on every run) are completed; too few, and the latest completed ones are taken up again.
 */
export async function adjustQueueSize(ds: DataSource): Promise<QueueAdjustment> {
  const [dept] = await ds.query(`SELECT id FROM department WHERE code = $1`, [QUEUE_DEPARTMENT]);
  if (!dept) throw new Error(`queue: no department ${QUEUE_DEPARTMENT}`);
  const [{ n: activeBefore }] = await ds.query(
    `SELECT count(*)::int AS n FROM assignment a WHERE a.department_id = $1 AND ${ACTIVE}`,
    [dept.id],
  );
  let completed = 0;
  let reopened = 0;
  if (activeBefore > QUEUE_SIZE) {
    const [, n] = await ds.query(
      `UPDATE assignment a
          SET status = 'COMPLETED', completed_at = least(now(), a.assigned_at + interval '2 days'),
              version = a.version + 1
         FROM (SELECT id FROM assignment a WHERE a.department_id = $1 AND ${ACTIVE}
                ORDER BY md5(a.id::text) OFFSET $2) extra
        WHERE a.id = extra.id`,
      [dept.id, QUEUE_SIZE],
    );
    completed = n;
  } else if (activeBefore < QUEUE_SIZE) {
    const [, n] = await ds.query(
      `UPDATE assignment a SET status = 'IN_PROGRESS', completed_at = NULL, version = a.version + 1
         FROM (SELECT id FROM assignment a WHERE a.department_id = $1 AND a.status = 'COMPLETED'
                ORDER BY a.assigned_at DESC, a.id LIMIT $2) more
        WHERE a.id = more.id`,
      [dept.id, QUEUE_SIZE - activeBefore],
    );
    reopened = n;
  }
  // The bench's server runs without autovacuum: vacuum as a production server's autovacuum would after
  // such a batch, so that the visibility map (which the queue's index-only scans read) is current.
  await ds.query(`VACUUM (ANALYZE) assignment, contact`);
  return { departmentId: dept.id, activeBefore, completed, reopened };
}

interface Page {
  assignments: {
    edges: { cursor: string; node: { id: string; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
    counts: { open: number; inProgress: number; overdue: number; unassigned: number; dueToday: number };
  };
}

/** The filter as SQL over `a` (assignment) and `ct` (contact), written apart from the service's. */
function filterSql(f: QueueFilter, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [f.status ? `a.status = ANY(${p(f.status)}::varchar[])` : ACTIVE];
  if (f.categoryId) where.push(`ct.category_id = ${p(f.categoryId)}`);
  if (f.assigneeId) where.push(`a.assignee_id = ${p(f.assigneeId)}`);
  if (f.overdue != null) where.push(`${f.overdue ? "" : "NOT "}(${ACTIVE} AND a.due_at < now())`);
  if (f.unassigned != null) where.push(`a.assignee_id IS ${f.unassigned ? "" : "NOT "}NULL`);
  return where.join(" AND ");
}

export interface QueuePrep {
  pool: QueueItem[];
  pagesChecked: number;
  combinations: number;
}

/**
 * Walks every page of every order and filter as the department user, checking each walk against SQL
 * (the same ids in the same order, the same headline counts), and keeps the pages as the load's pool:
 * first pages and later ones (from a cursor) in equal measure.
 */
export async function prepareQueue(
  ds: DataSource,
  gql: Gql,
  cookie: string,
  deptId: string,
): Promise<QueuePrep> {
  const tz = config().STAR_TIME_ZONE;
  const [expectCounts] = await ds.query(
    `SELECT count(*) FILTER (WHERE a.status = 'OPEN')::int AS open,
            count(*) FILTER (WHERE a.status = 'IN_PROGRESS')::int AS "inProgress",
            count(*) FILTER (WHERE a.due_at < now())::int AS overdue,
            count(*) FILTER (WHERE a.assignee_id IS NULL)::int AS unassigned,
            count(*) FILTER (WHERE (a.due_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date)::int
              AS "dueToday"
       FROM assignment a WHERE a.department_id = $1 AND ${ACTIVE}`,
    [deptId, tz],
  );
  const cats: { id: string }[] = await ds.query(
    `SELECT id FROM category WHERE department_id = $1 ORDER BY code`,
    [deptId],
  );
  const staff: { id: string }[] = await ds.query(
    `SELECT id FROM staff_user WHERE department_id = $1 AND role = 'DEPARTMENT' ORDER BY email`,
    [deptId],
  );
  const filters: QueueFilter[] = [
    {},
    { overdue: true },
    { overdue: false },
    { unassigned: true },
    { unassigned: false },
    { status: ["OPEN"] },
    { status: ["IN_PROGRESS"] },
    { overdue: true, unassigned: true },
    ...cats.map((c) => ({ categoryId: c.id })),
    ...staff.map((s) => ({ assigneeId: s.id })),
  ];
  const firsts: QueueItem[] = [];
  const deeper: QueueItem[] = [];
  let pagesChecked = 0;
  for (const orderBy of Object.keys(ORDERS)) {
    for (const filter of filters) {
      const params: unknown[] = [deptId];
      const want: { id: string }[] = await ds.query(
        `SELECT a.id FROM assignment a JOIN contact ct ON ct.id = a.contact_id
          WHERE a.department_id = $1 AND ${filterSql(filter, params)} ORDER BY ${ORDERS[orderBy]}`,
        params,
      );
      const got: string[] = [];
      let after: string | null = null;
      for (;;) {
        const item: QueueItem = { orderBy, filter, after };
        (after ? deeper : firsts).push(item);
        const { assignments: page }: Page = await gql<Page>(cookie, QUEUE_QUERY, {
          filter,
          orderBy,
          first: QUEUE_PAGE,
          after,
        });
        pagesChecked++;
        const what = `queue ${orderBy} ${JSON.stringify(filter)}`;
        if (page.totalCount !== want.length)
          throw new Error(`${what}: totalCount ${page.totalCount}, SQL says ${want.length}`);
        if (!isDeepStrictEqual(page.counts, expectCounts))
          throw new Error(
            `${what}: counts ${JSON.stringify(page.counts)}, SQL says ${JSON.stringify(expectCounts)}`,
          );
        if (page.edges.length > QUEUE_PAGE) throw new Error(`${what}: ${page.edges.length} rows on a page`);
        got.push(...page.edges.map((e) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      if (
        !isDeepStrictEqual(
          got,
          want.map((r) => r.id),
        )
      )
        throw new Error(`queue ${orderBy} ${JSON.stringify(filter)}: the pages differ from SQL's order`);
    }
  }
  const pool: QueueItem[] = [];
  for (let i = 0; i < Math.max(firsts.length, deeper.length); i++) {
    pool.push(firsts[i % firsts.length]);
    if (deeper.length) pool.push(deeper[i % deeper.length]);
  }
  return { pool, pagesChecked, combinations: firsts.length };
}

/** The department's open assignments with their current versions, read just before each load phase. */
export async function respondPool(ds: DataSource, deptId: string): Promise<RespondItem[]> {
  const rows: { id: string; version: number }[] = await ds.query(
    // Leads only: half the load answers the constituent, which only the lead department may do.
    `SELECT a.id, a.version FROM assignment a WHERE a.department_id = $1 AND a.is_lead AND ${ACTIVE}
      ORDER BY md5(a.id::text)`,
    [deptId],
  );
  return rows.map((r) => ({ assignmentId: r.id, version: r.version }));
}

/**
 * What the respond load leaves in the department's open assignments: the sum of their versions and the
 * notes and responses written by the user's account, once neither has moved for half a second.
 */
export async function respondSettled(
  ds: DataSource,
  deptId: string,
): Promise<{ versions: number; notes: number }> {
  const read = async (): Promise<{ versions: number; notes: number }> =>
    (
      await ds.query(
        `SELECT (SELECT coalesce(sum(a.version), 0)::int FROM assignment a
                  WHERE a.department_id = $1 AND ${ACTIVE}) AS versions,
                (SELECT count(*)::int FROM response r JOIN staff_user s ON s.id = r.author_id
                  WHERE s.email = $2 AND r.body LIKE $3) AS notes`,
        [deptId, QUEUE_USER, `${NOTE_BODY}%`],
      )
    )[0];
  let last = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await read();
    if (isDeepStrictEqual(now, last)) return now;
    last = now;
  }
}

/** One note moves the version on and leaves the status; the same version again is a CONFLICT. */
export async function checkRespond(
  ds: DataSource,
  url: string,
  cookie: string,
  item: RespondItem,
): Promise<void> {
  type Answer = {
    data?: { respondToAssignment: { kind: string; isFinal: boolean; channel: string | null } };
  };
  type Failure = { errors?: { extensions?: { code?: string; version?: number } }[] };
  const post = async (version: number) => {
    const res = await fetch(`${url}/api/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({
        query: RESPOND_MUTATION,
        variables: {
          input: { assignmentId: item.assignmentId, version, kind: "NOTE", body: `${NOTE_BODY} check` },
        },
      }),
    });
    return (await res.json()) as Answer & Failure;
  };
  const [before] = await ds.query(`SELECT status, version FROM assignment WHERE id = $1`, [
    item.assignmentId,
  ]);
  const first = await post(before.version);
  const r = first.data?.respondToAssignment;
  if (!r || r.kind !== "NOTE" || r.isFinal || r.channel !== null)
    throw new Error(`respond: unexpected answer ${JSON.stringify(first).slice(0, 500)}`);
  const [after] = await ds.query(`SELECT status, version FROM assignment WHERE id = $1`, [item.assignmentId]);
  if (after.version !== before.version + 1 || after.status !== before.status)
    throw new Error(`respond: the note left ${JSON.stringify(after)} from ${JSON.stringify(before)}`);
  const again = await post(before.version);
  const e = again.errors?.[0]?.extensions;
  if (e?.code !== "CONFLICT" || e.version !== after.version)
    throw new Error(`respond: a stale version gave ${JSON.stringify(again).slice(0, 500)}, want CONFLICT`);
}
