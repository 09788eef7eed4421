import type { DataSource } from "typeorm";
import { REVIEW_QUEUE, type ReviewQueueData, type ReviewQueueFilter } from "../client/operations/review";
import { print } from "graphql";

/** One worklist view as the review page asks for it: a filter and maybe a deeper page. */
export interface ReviewQueueItem {
  filter: ReviewQueueFilter | null;
  after: string | null;
}

export const REVIEW_QUEUE_PAGE = 100;
const REVIEW_QUEUE_QUERY = print(REVIEW_QUEUE);

export function reviewQueueBody(item: ReviewQueueItem): string {
  return JSON.stringify({
    query: REVIEW_QUEUE_QUERY,
    variables: { filter: item.filter, first: REVIEW_QUEUE_PAGE, after: item.after },
  });
}

type Gql = <T>(cookie: string, query: string, variables: object) => Promise<T>;

/**
 * The pool of the review worklist load: city-wide, each department, each aging bucket and overdue, each
 * also one page deep (cursors read from the app itself), so the load is what reviewers click through.
 */
export async function prepareReviewQueue(
  ds: DataSource,
  gql: Gql,
  cookie: string,
  log: (line: string) => void,
): Promise<ReviewQueueItem[]> {
  const departments: { id: string }[] = await ds.query(
    `SELECT id FROM department WHERE active ORDER BY name`,
  );
  const filters: (ReviewQueueFilter | null)[] = [
    null,
    { overdue: true },
    { flagged: true },
    ...(["DAYS_0_2", "DAYS_3_5", "DAYS_6_10", "OVER_10"] as const).map((agingBucket) => ({ agingBucket })),
    ...departments.map((d) => ({ departmentId: d.id })),
  ];
  const pool: ReviewQueueItem[] = [];
  let open = 0;
  for (const filter of filters) {
    const first = await gql<ReviewQueueData>(cookie, REVIEW_QUEUE_QUERY, {
      filter,
      first: REVIEW_QUEUE_PAGE,
    });
    if (!filter) open = first.reviewQueue.progress.total;
    pool.push({ filter, after: null });
    if (first.reviewQueue.pageInfo.hasNextPage)
      pool.push({ filter, after: first.reviewQueue.pageInfo.endCursor });
  }
  log(
    `bench: review worklist: ${open.toLocaleString("en-US")} open assignments, ${pool.length} views in the pool`,
  );
  return pool;
}
