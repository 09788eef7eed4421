import { AgingBucket, type ReviewQueueFilterCommand } from "./review.service";

type Query = Partial<Record<string, string | string[]>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || null;
const flag = (v: string | string[] | undefined) => {
  const s = first(v);
  return s === "1" ? true : s === "0" ? false : null;
};

/** The worklist filter as the review page's URL holds it, so an export matches what is on screen. */
export function reviewFilterFromQuery(q: Query): ReviewQueueFilterCommand {
  const age = first(q.age);
  return {
    departmentId: first(q.department),
    categoryId: first(q.category),
    agingBucket: age ? (age as AgingBucket) : null,
    overdue: flag(q.overdue),
    flagged: flag(q.flagged),
    notReviewed: flag(q.notReviewed),
  };
}
