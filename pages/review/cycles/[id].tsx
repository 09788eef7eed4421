import { useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { authOptions } from "../../../src/server/auth/auth-options";
import { AssignmentLink } from "../../../src/client/components/assignment-link";
import { DateTime } from "../../../src/client/components/date-time";
import { ReviewMarkState } from "../../../src/client/components/review-mark-state";
import { StaffLayout } from "../../../src/client/components/staff-layout";
import { apiProblem } from "../../../src/client/errors";
import { REVIEW_CYCLE } from "../../../src/client/operations/review";
import { firstQueryValue, staffPageProps } from "../../../src/client/session";

/** One review cycle as it was kept: who started and closed it, progress, and every mark. */
export default function ReviewCyclePage({ id }: { id: string }) {
  const { data, loading, error } = useQuery(REVIEW_CYCLE, { variables: { id } });
  const cycle = data?.reviewCycle;
  const title = cycle ? `Review of the week of ${cycle.weekStart}` : "Review cycle";
  return (
    <StaffLayout title={title}>
      <p className="breadcrumb">
        <Link href="/review">Weekly review</Link>
      </p>
      <h1>{title}</h1>
      {error ? (
        <div className="form-errors" role="alert">
          <p>{apiProblem(error).form ?? "The review could not be loaded."}</p>
        </div>
      ) : loading && !cycle ? (
        <p aria-live="polite">Loading…</p>
      ) : !cycle ? (
        <p className="notice notice--warning">There is no such review cycle.</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Summary</h2>
            <p>
              {cycle.status === "OPEN" ? "Open" : "Closed"}: {cycle.progress.reviewed} of{" "}
              {cycle.progress.total} open assignments reviewed.
            </p>
            <p className="muted">
              Started by {cycle.startedBy?.name ?? "a reviewer"} <DateTime value={cycle.startedAt} />
              {cycle.closedAt ? (
                <>
                  ; closed by {cycle.closedBy?.name ?? "a reviewer"} <DateTime value={cycle.closedAt} />
                </>
              ) : null}
              .
            </p>
          </section>
          <section className="panel" aria-labelledby="marks-heading">
            <h2 id="marks-heading">Marks</h2>
            {cycle.marks.length ? (
              <div className="table-wrap">
                <table className="queue-table">
                  <caption className="visually-hidden">Marks of the week of {cycle.weekStart}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Reference</th>
                      <th scope="col">Department</th>
                      <th scope="col">Category</th>
                      <th scope="col">Mark and resolution</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cycle.marks.map((m) => (
                      <tr key={m.id}>
                        <th scope="row">
                          {m.assignment ? (
                            <AssignmentLink
                              id={m.assignment.id}
                              referenceNumber={m.assignment.referenceNumber}
                              className="reference-link"
                            />
                          ) : (
                            <span className="muted">removed</span>
                          )}
                        </th>
                        <td>{m.assignment?.departmentName}</td>
                        <td>{m.assignment?.categoryName}</td>
                        <td>
                          <ReviewMarkState mark={m} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="muted">No assignment was marked.</p>
            )}
          </section>
        </>
      )}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl, params }) => {
  const session = await getServerSession(req, res, authOptions());
  const id = firstQueryValue(params?.id);
  if (!id) return { notFound: true };
  return staffPageProps(session, resolvedUrl, { id });
};
