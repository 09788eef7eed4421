import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { useEffect, useState, type FormEvent } from "react";
import { authOptions } from "../src/server/auth/auth-options";
import { FormErrors } from "../src/client/components/field";
import { QueueCounts, QueueTable } from "../src/client/components/queue-table";
import { LoadMore } from "../src/client/components/load-more";
import { StaffLayout } from "../src/client/components/staff-layout";
import { apiProblem } from "../src/client/errors";
import { label, ROLE_LABELS } from "../src/client/format";
import {
  CLAIM_ASSIGNMENT,
  DEPARTMENTS,
  QUEUE,
  type AssignmentOrder,
  type AssignmentStatus,
  type QueueRow,
  type QueueVariables,
} from "../src/client/operations/assignments";
import { CATEGORIES } from "../src/client/operations/reference";
import { DEPARTMENT_STAFF } from "../src/client/operations/staff";
import { mayReadQueue, mayWorkQueue } from "../src/client/roles";
import { firstQueryValue, staffPageProps } from "../src/client/session";
import { useMorePages } from "../src/client/use-more-pages";

const PAGE_SIZE = 50;

const STATUS_CHOICES: { value: string; text: string; statuses: AssignmentStatus[] }[] = [
  { value: "", text: "Open and in progress", statuses: ["OPEN", "IN_PROGRESS"] },
  { value: "OPEN", text: "Open (not started)", statuses: ["OPEN"] },
  { value: "IN_PROGRESS", text: "In progress", statuses: ["IN_PROGRESS"] },
];

const SORTS: { value: AssignmentOrder; text: string }[] = [
  { value: "DUE_AT_ASC", text: "Due date, soonest first" },
  { value: "DUE_AT_DESC", text: "Due date, latest first" },
  { value: "ASSIGNED_AT_ASC", text: "Assigned, oldest first" },
  { value: "ASSIGNED_AT_DESC", text: "Assigned, newest first" },
  { value: "STATUS", text: "Status (open first), then due date" },
  { value: "CATEGORY", text: "Category, then due date" },
  { value: "ASSIGNEE", text: "Assignee (unassigned first), then due date" },
];

/** The filters as the URL holds them, so that a filtered queue can be bookmarked and shared. */
export interface QueueParams {
  department: string;
  status: string;
  category: string;
  overdue: boolean;
  unassigned: boolean;
  /** "" anyone, "me", or a colleague's id. */
  assignee: string;
  reviewFlagged: boolean;
  sort: AssignmentOrder;
}

function readParams(q: Record<string, string | string[] | undefined>): QueueParams {
  const sort = firstQueryValue(q.sort);
  const status = firstQueryValue(q.status) ?? "";
  return {
    department: firstQueryValue(q.department) ?? "",
    status: STATUS_CHOICES.some((s) => s.value === status) ? status : "",
    category: firstQueryValue(q.category) ?? "",
    overdue: firstQueryValue(q.overdue) === "1",
    unassigned: firstQueryValue(q.unassigned) === "1",
    assignee: firstQueryValue(q.mine) === "1" ? "me" : (firstQueryValue(q.assignee) ?? ""),
    reviewFlagged: firstQueryValue(q.reviewFlagged) === "1",
    sort: SORTS.find((s) => s.value === sort)?.value ?? "DUE_AT_ASC",
  };
}

function toQuery(p: QueueParams): Record<string, string> {
  const q: Record<string, string> = {};
  if (p.department) q.department = p.department;
  if (p.status) q.status = p.status;
  if (p.category) q.category = p.category;
  if (p.overdue) q.overdue = "1";
  if (p.unassigned) q.unassigned = "1";
  if (p.assignee === "me") q.mine = "1";
  else if (p.assignee) q.assignee = p.assignee;
  if (p.reviewFlagged) q.reviewFlagged = "1";
  if (p.sort !== "DUE_AT_ASC") q.sort = p.sort;
  return q;
}

export default function QueuePage() {
  const router = useRouter();
  const { data: session } = useSession();
  const user = session?.user;
  const params = readParams(router.query);
  const cityWide = user?.role === "REVIEWER" || user?.role === "ANALYST";
  const departmentId = cityWide ? params.department || null : (user?.departmentId ?? null);

  const variables: QueueVariables = {
    filter: {
      departmentId,
      status: STATUS_CHOICES.find((s) => s.value === params.status)!.statuses,
      categoryId: params.category || null,
      overdue: params.overdue || null,
      unassigned: params.unassigned || null,
      assigneeId: params.assignee === "me" ? (user?.id ?? null) : params.assignee || null,
      reviewFlagged: params.reviewFlagged || null,
    },
    orderBy: params.sort,
    first: PAGE_SIZE,
  };
  const queue = useQuery(QUEUE, { variables, skip: !user, fetchPolicy: "cache-and-network" });
  const departments = useQuery(DEPARTMENTS, { skip: !cityWide });
  const categories = useQuery(CATEGORIES, { skip: !user });
  const colleagues = useQuery(DEPARTMENT_STAFF, {
    variables: { departmentId: departmentId ?? "" },
    skip: !user || !departmentId || !mayWorkQueue(user.role),
  });
  const client = useApolloClient();
  const [claim] = useMutation(CLAIM_ASSIGNMENT);

  const queryKey = JSON.stringify(variables);
  const [claimingId, setClaimingId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const pages = useMorePages<QueueRow>(
    queryKey,
    queue.data?.assignments,
    async (after) =>
      (await client.query({ query: QUEUE, variables: { ...variables, after }, fetchPolicy: "network-only" }))
        .data?.assignments,
    setProblem,
  );
  const { rows, hasNext, loadingMore, loadMore } = pages;

  useEffect(() => {
    if (problem) document.getElementById("queue-problem")?.focus();
  }, [problem]);

  if (user && !mayReadQueue(user.role)) {
    return (
      <StaffLayout title="Queue">
        <h1>Queue</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, user.role)} role has no work queue.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  const conn = queue.data?.assignments;
  const departmentName = cityWide
    ? (departments.data?.departments.find((d) => d.id === params.department)?.name ?? "All departments")
    : (rows[0]?.department.name ?? "Your department");

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const next: QueueParams = {
      department: String(f.get("department") ?? ""),
      status: String(f.get("status") ?? ""),
      category: String(f.get("category") ?? ""),
      overdue: f.get("overdue") === "on",
      unassigned: f.get("unassigned") === "on",
      assignee: String(f.get("assignee") ?? ""),
      reviewFlagged: f.get("reviewFlagged") === "on",
      sort: (String(f.get("sort") ?? "") as AssignmentOrder) || "DUE_AT_ASC",
    };
    void router.push({ pathname: "/queue", query: toQuery(next) }, undefined, { shallow: true });
  }

  async function claimRow(row: QueueRow) {
    setClaimingId(row.id);
    setProblem(null);
    setNotice(null);
    try {
      await claim({ variables: { input: { id: row.id, version: row.version } } });
      setNotice(`You claimed ${row.contact.referenceNumber}.`);
    } catch (err) {
      const p = apiProblem(err);
      setProblem(
        p.code === "CONFLICT"
          ? "Someone else changed this assignment; here is the current state."
          : (p.form ?? Object.values(p.fields)[0] ?? "The assignment could not be claimed."),
      );
    } finally {
      setClaimingId(null);
      pages.reset();
      void queue.refetch();
    }
  }

  const loadProblem = queue.error ? apiProblem(queue.error) : null;
  return (
    <StaffLayout title="Queue">
      <h1>
        Queue <span className="muted">· {departmentName}</span>
      </h1>
      {conn ? <QueueCounts counts={conn.counts} /> : null}

      <form
        // Remounted when the URL changes (back button, "Clear filters") so the fields show the URL's filters.
        key={JSON.stringify(params)}
        className="panel queue-filters"
        aria-labelledby="filters-heading"
        onSubmit={apply}
        role="search"
      >
        <h2 id="filters-heading">Filter and sort</h2>
        <div className="grid">
          {cityWide ? (
            <div className="field">
              <label htmlFor="filter-department">Department</label>
              <select id="filter-department" name="department" defaultValue={params.department}>
                <option value="">All departments</option>
                {departments.data?.departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="filter-status">Status</label>
            <select id="filter-status" name="status" defaultValue={params.status}>
              {STATUS_CHOICES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.text}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-category">Category</label>
            <select id="filter-category" name="category" defaultValue={params.category}>
              <option value="">All categories</option>
              {categories.data?.categories
                .filter((c) => cityWide || !departmentId || c.department.id === departmentId)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-assignee">Assigned to</label>
            <select id="filter-assignee" name="assignee" defaultValue={params.assignee}>
              <option value="">Anyone</option>
              {user?.role === "DEPARTMENT" ? <option value="me">Me</option> : null}
              {colleagues.data?.departmentStaff
                .filter((s) => !(user?.role === "DEPARTMENT" && s.id === user.id))
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              {params.assignee &&
              params.assignee !== "me" &&
              !colleagues.data?.departmentStaff.some((s) => s.id === params.assignee) ? (
                <option value={params.assignee}>Someone no longer listed</option>
              ) : null}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-sort">Sort by</label>
            <select id="filter-sort" name="sort" defaultValue={params.sort}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.text}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="checkbox-row">
          <div className="checkbox">
            <input type="checkbox" id="filter-overdue" name="overdue" defaultChecked={params.overdue} />
            <label htmlFor="filter-overdue">Overdue only</label>
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id="filter-unassigned"
              name="unassigned"
              defaultChecked={params.unassigned}
            />
            <label htmlFor="filter-unassigned">Unassigned only</label>
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id="filter-review-flagged"
              name="reviewFlagged"
              defaultChecked={params.reviewFlagged}
            />
            <label htmlFor="filter-review-flagged">With a review concern</label>
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button">
            Apply
          </button>
          <Link href="/queue" className="button button--secondary">
            Clear filters
          </Link>
        </div>
      </form>

      {problem ? <FormErrors id="queue-problem" messages={[problem]} /> : null}
      <div role="status" aria-live="polite" className="status-line">
        {notice}
      </div>

      {loadProblem ? (
        <div className="form-errors" role="alert">
          <p>{loadProblem.form ?? "The queue could not be loaded."}</p>
        </div>
      ) : !conn ? (
        <p aria-live="polite">Loading the queue…</p>
      ) : rows.length ? (
        <>
          <QueueTable
            rows={rows}
            totalCount={conn.totalCount}
            onClaim={mayWorkQueue(user?.role) ? (r) => void claimRow(r) : null}
            claimingId={claimingId}
            showDepartment={cityWide && !params.department}
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
        <p>Nothing in the queue matches these filters.</p>
      )}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
