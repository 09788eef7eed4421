import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { useEffect, useState, type FormEvent } from "react";
import { authOptions } from "../../src/server/auth/auth-options";
import { DateTime } from "../../src/client/components/date-time";
import { FormErrors } from "../../src/client/components/field";
import { ReviewWorklist } from "../../src/client/components/review-worklist";
import { LoadMore } from "../../src/client/components/load-more";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem } from "../../src/client/errors";
import { label, ROLE_LABELS } from "../../src/client/format";
import { DEPARTMENTS } from "../../src/client/operations/assignments";
import { CATEGORIES } from "../../src/client/operations/reference";
import {
  AGING_LABELS,
  CLOSE_REVIEW_CYCLE,
  REVIEW_CYCLES,
  REVIEW_QUEUE,
  START_REVIEW_CYCLE,
  type AgingBucket,
  type ReviewQueueVariables,
  type ReviewRow,
} from "../../src/client/operations/review";
import { mayReadReviews, mayReview } from "../../src/client/roles";
import { firstQueryValue, staffPageProps } from "../../src/client/session";
import { useMorePages } from "../../src/client/use-more-pages";

const PAGE_SIZE = 100;

interface ReviewParams {
  department: string;
  category: string;
  age: AgingBucket | "";
  overdue: boolean;
  flagged: boolean;
  notReviewed: boolean;
}

function readParams(q: Record<string, string | string[] | undefined>): ReviewParams {
  const age = firstQueryValue(q.age) ?? "";
  return {
    department: firstQueryValue(q.department) ?? "",
    category: firstQueryValue(q.category) ?? "",
    age: age in AGING_LABELS ? (age as AgingBucket) : "",
    overdue: firstQueryValue(q.overdue) === "1",
    flagged: firstQueryValue(q.flagged) === "1",
    notReviewed: firstQueryValue(q.notReviewed) === "1",
  };
}

/** The same keys the CSV export reads, so the export is what the page shows. */
function toQuery(p: ReviewParams): Record<string, string> {
  const q: Record<string, string> = {};
  if (p.department) q.department = p.department;
  if (p.category) q.category = p.category;
  if (p.age) q.age = p.age;
  if (p.overdue) q.overdue = "1";
  if (p.flagged) q.flagged = "1";
  if (p.notReviewed) q.notReviewed = "1";
  return q;
}

export default function ReviewPage() {
  const router = useRouter();
  const { data: session } = useSession();
  const user = session?.user;
  const params = readParams(router.query);
  const reviewer = mayReview(user?.role);
  const variables: ReviewQueueVariables = {
    filter: {
      departmentId: params.department || null,
      categoryId: params.category || null,
      agingBucket: params.age || null,
      overdue: params.overdue || null,
      flagged: params.flagged || null,
      notReviewed: params.notReviewed || null,
    },
    first: PAGE_SIZE,
  };
  const readable = mayReadReviews(user?.role);
  const queue = useQuery(REVIEW_QUEUE, { variables, skip: !readable, fetchPolicy: "cache-and-network" });
  const cycles = useQuery(REVIEW_CYCLES, { variables: { limit: 26 }, skip: !readable });
  const departments = useQuery(DEPARTMENTS, { skip: !readable });
  const categories = useQuery(CATEGORIES, { skip: !readable });
  const client = useApolloClient();
  const [start, starting] = useMutation(START_REVIEW_CYCLE);
  const [close, closing] = useMutation(CLOSE_REVIEW_CYCLE);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const queryKey = JSON.stringify(variables);
  const pages = useMorePages<ReviewRow>(
    queryKey,
    queue.data?.reviewQueue,
    async (after) =>
      (
        await client.query({
          query: REVIEW_QUEUE,
          variables: { ...variables, after },
          fetchPolicy: "network-only",
        })
      ).data?.reviewQueue,
    setProblem,
  );
  const { rows, hasNext, loadingMore, loadMore } = pages;

  useEffect(() => {
    if (problem) document.getElementById("review-problem")?.focus();
  }, [problem]);

  if (user && !readable) {
    return (
      <StaffLayout title="Weekly review">
        <h1>Weekly review</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, user.role)} role does not take part in the weekly review.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  const conn = queue.data?.reviewQueue;
  const cycle = conn?.cycle ?? null;
  const csvQuery = new URLSearchParams(toQuery(params)).toString();

  async function refresh() {
    pages.reset();
    await Promise.all([queue.refetch(), cycles.refetch()]);
  }

  async function startCycle() {
    setProblem(null);
    setNotice(null);
    try {
      const res = await start();
      setNotice(`This week's review (week of ${res.data?.startReviewCycle.weekStart}) is started.`);
    } catch (err) {
      setProblem(apiProblem(err).form ?? "The review could not be started.");
    } finally {
      await refresh();
    }
  }

  async function closeCycle() {
    if (!cycle) return;
    setProblem(null);
    setNotice(null);
    try {
      const res = await close({ variables: { input: { id: cycle.id, version: cycle.version } } });
      const p = res.data?.closeReviewCycle.progress;
      setNotice(
        `The review of the week of ${cycle.weekStart} is closed: ${p?.reviewed} of ${p?.total} reviewed.`,
      );
    } catch (err) {
      const p = apiProblem(err);
      setProblem(
        p.code === "CONFLICT"
          ? "The review changed since you loaded it; here is the current state."
          : (p.form ?? "The review could not be closed."),
      );
    } finally {
      await refresh();
    }
  }

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const age = String(f.get("age") ?? "");
    const next: ReviewParams = {
      department: String(f.get("department") ?? ""),
      category: String(f.get("category") ?? ""),
      age: age in AGING_LABELS ? (age as AgingBucket) : "",
      overdue: f.get("overdue") === "on",
      flagged: f.get("flagged") === "on",
      notReviewed: f.get("notReviewed") === "on",
    };
    void router.push({ pathname: "/review", query: toQuery(next) }, undefined, { shallow: true });
  }

  const loadProblem = queue.error ? apiProblem(queue.error) : null;
  const pastCycles = cycles.data?.reviewCycles.filter((c) => c.status === "CLOSED") ?? [];
  return (
    <StaffLayout title="Weekly review">
      <h1>Weekly review</h1>
      <p className="muted">
        Every open assignment city-wide. Age is counted in calendar days since the assignment was made.
      </p>

      <section className="panel" aria-labelledby="cycle-heading">
        <h2 id="cycle-heading">This week&apos;s review</h2>
        {!conn ? (
          <p aria-live="polite">Loading…</p>
        ) : cycle ? (
          <>
            <p>
              Week of <strong>{cycle.weekStart}</strong>, started by {cycle.startedBy?.name ?? "a reviewer"}{" "}
              <DateTime value={cycle.startedAt} />.
            </p>
            <p id="review-progress-text">
              <strong>
                {conn.progress.reviewed.toLocaleString("en-US")} of{" "}
                {conn.progress.total.toLocaleString("en-US")}
              </strong>{" "}
              open assignments reviewed.
            </p>
            <progress
              max={Math.max(conn.progress.total, 1)}
              value={conn.progress.reviewed}
              aria-labelledby="review-progress-text"
            />
            {reviewer ? (
              <div className="actions">
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={closing.loading}
                  onClick={() => void closeCycle()}
                >
                  {closing.loading ? "Closing…" : "Close this week's review"}
                </button>
              </div>
            ) : null}
          </>
        ) : (
          <>
            <p>No review is open.</p>
            {reviewer ? (
              <div className="actions">
                <button
                  type="button"
                  className="button button--primary"
                  disabled={starting.loading}
                  onClick={() => void startCycle()}
                >
                  {starting.loading ? "Starting…" : "Start this week's review"}
                </button>
              </div>
            ) : null}
          </>
        )}
        <ul className="review-links">
          <li>
            <Link href="/review/packet">Weekly review packet (printable)</Link>
          </li>
          <li>
            <Link href="/reports">The five-day figure</Link>
          </li>
          <li>
            <Link href="/reports/findings">Consistency findings</Link>
          </li>
          <li>
            <a href="/api/review/packet.pdf">Weekly review packet (PDF)</a>
          </li>
          <li>
            <a href={`/api/review/worklist.csv${csvQuery ? `?${csvQuery}` : ""}`}>
              Download this worklist (CSV)
            </a>
          </li>
        </ul>
      </section>

      <div>{problem ? <FormErrors id="review-problem" messages={[problem]} /> : null}</div>
      <div role="status" aria-live="polite" className={notice ? "notice notice--ok" : "status-line"}>
        {notice}
      </div>

      {conn ? (
        <section className="panel" aria-labelledby="aging-heading">
          <h2 id="aging-heading">
            Open assignments{" "}
            <span className="muted">({conn.totalCount.toLocaleString("en-US")} shown by the filter)</span>
          </h2>
          <dl className="counts" aria-label="By age">
            {conn.byBucket.map((b) => (
              <div
                key={b.bucket}
                className={`count${b.bucket === "OVER_10" && b.count ? " count--overdue" : ""}`}
              >
                <dt>{AGING_LABELS[b.bucket]}</dt>
                <dd>{b.count.toLocaleString("en-US")}</dd>
              </div>
            ))}
          </dl>
          {conn.byDepartment.length ? (
            <div className="table-wrap">
              <table className="queue-table">
                <caption>By department</caption>
                <thead>
                  <tr>
                    <th scope="col">Department</th>
                    <th scope="col">Shown</th>
                    <th scope="col">Reviewed this week</th>
                  </tr>
                </thead>
                <tbody>
                  {conn.byDepartment.map((d) => (
                    <tr key={d.departmentId}>
                      <th scope="row">{d.departmentName}</th>
                      <td>{d.count.toLocaleString("en-US")}</td>
                      <td>
                        {cycle ? (
                          d.reviewed.toLocaleString("en-US")
                        ) : (
                          <span className="muted">no open review</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}

      <form
        key={JSON.stringify(params)}
        className="panel queue-filters"
        aria-labelledby="review-filters-heading"
        onSubmit={apply}
        role="search"
      >
        <h2 id="review-filters-heading">Filter the worklist</h2>
        <div className="grid">
          <div className="field">
            <label htmlFor="review-department">Department</label>
            <select id="review-department" name="department" defaultValue={params.department}>
              <option value="">All departments</option>
              {departments.data?.departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="review-category">Category</label>
            <select id="review-category" name="category" defaultValue={params.category}>
              <option value="">All categories</option>
              {categories.data?.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="review-age">Age (calendar days since assigned)</label>
            <select id="review-age" name="age" defaultValue={params.age}>
              <option value="">Any age</option>
              {Object.entries(AGING_LABELS).map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="checkbox-row">
          <div className="checkbox">
            <input type="checkbox" id="review-overdue" name="overdue" defaultChecked={params.overdue} />
            <label htmlFor="review-overdue">Overdue only</label>
          </div>
          <div className="checkbox">
            <input type="checkbox" id="review-flagged" name="flagged" defaultChecked={params.flagged} />
            <label htmlFor="review-flagged">With an unresolved concern</label>
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id="review-not-reviewed"
              name="notReviewed"
              defaultChecked={params.notReviewed}
              disabled={!cycle}
            />
            <label htmlFor="review-not-reviewed">Not yet reviewed this week</label>
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button">
            Apply
          </button>
          <Link href="/review" className="button button--secondary">
            Clear filters
          </Link>
        </div>
      </form>

      <h2>Worklist</h2>
      {loadProblem ? (
        <div className="form-errors" role="alert">
          <p>{loadProblem.form ?? "The worklist could not be loaded."}</p>
        </div>
      ) : !conn ? (
        <p aria-live="polite">Loading the worklist…</p>
      ) : rows.length ? (
        <>
          <p className="muted">
            Showing {rows.length.toLocaleString("en-US")} of {conn.totalCount.toLocaleString("en-US")}, by
            department, oldest first.
          </p>
          <ReviewWorklist
            rows={rows}
            markCycleId={reviewer && cycle ? cycle.id : null}
            onMarked={(r, m) => {
              setNotice(`${r.referenceNumber} marked ${m.kind === "OK" ? "OK" : "for the department"}.`);
              void refresh();
            }}
            onStale={() => void refresh()}
          />
          <LoadMore
            hasNext={hasNext}
            loading={loadingMore}
            onLoad={() => {
              setProblem(null);
              void loadMore();
            }}
          />
        </>
      ) : (
        <p className="notice">No open assignments match the filter.</p>
      )}

      <section className="panel" aria-labelledby="past-heading">
        <h2 id="past-heading">Past reviews</h2>
        {pastCycles.length ? (
          <ul className="review-cycles">
            {pastCycles.map((c) => (
              <li key={c.id}>
                <Link href={`/review/cycles/${encodeURIComponent(c.id)}`}>Week of {c.weekStart}</Link>{" "}
                <span className="muted">
                  {c.progress.reviewed} of {c.progress.total} reviewed, closed{" "}
                  {c.closedAt ? <DateTime value={c.closedAt} /> : null}
                  {c.closedBy ? ` by ${c.closedBy.name}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No review has been closed yet.</p>
        )}
      </section>
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
