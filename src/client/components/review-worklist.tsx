import { label, STATUS_LABELS } from "../format";
import { AGING_LABELS, type ReviewMarkFields, type ReviewRow } from "../operations/review";
import { AssignmentLink } from "./assignment-link";
import { DateTime } from "./date-time";
import { ReviewMarkForm } from "./review-mark-form";
import { ReviewMarkState } from "./review-mark-state";

interface ReviewWorklistProps {
  rows: ReviewRow[];
  /** The open cycle, when the viewer may mark in it. */
  markCycleId: string | null;
  onMarked: (row: ReviewRow, mark: ReviewMarkFields) => void;
  onStale: () => void;
}

/** The worklist's rows, one table per department (the rows arrive ordered by department). */
export function ReviewWorklist({ rows, markCycleId, onMarked, onStale }: ReviewWorklistProps) {
  const groups: { id: string; name: string; rows: ReviewRow[] }[] = [];
  for (const r of rows) {
    const last = groups.at(-1);
    if (last?.id === r.departmentId) last.rows.push(r);
    else groups.push({ id: r.departmentId, name: r.departmentName, rows: [r] });
  }
  return (
    <>
      {groups.map((g) => (
        <section key={g.id} className="panel review-group" aria-labelledby={`dept-${g.id}`}>
          <h3 id={`dept-${g.id}`}>{g.name}</h3>
          <div className="table-wrap">
            <table className="queue-table review-table">
              <caption className="visually-hidden">Open assignments of {g.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Category</th>
                  <th scope="col">Age (calendar days)</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Activity</th>
                  <th scope="col">This week&apos;s review</th>
                  {markCycleId ? (
                    <th scope="col">
                      <span className="visually-hidden">Mark</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {g.rows.map((r) => (
                  <tr key={r.assignmentId} className={r.overdue ? "queue-row--overdue" : undefined}>
                    <th scope="row">
                      <AssignmentLink
                        id={r.assignmentId}
                        referenceNumber={r.referenceNumber}
                        className="reference-link"
                      />
                      {r.isLead ? null : <span className="tag">Supporting</span>}
                      {r.confidential ? <span className="tag">Confidential</span> : null}
                    </th>
                    <td>{r.categoryName}</td>
                    <td>
                      {r.ageDays} <span className="muted">({AGING_LABELS[r.agingBucket]})</span>
                    </td>
                    <td>
                      <DateTime value={r.dueAt} dateOnly />
                      {r.overdue ? (
                        <>
                          {" "}
                          <span className="tag tag--overdue">Overdue</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {label(STATUS_LABELS, r.status)}
                      <br />
                      <span className="muted">{r.assigneeName ?? "nobody assigned"}</span>
                    </td>
                    <td>
                      {r.responseCount} response{r.responseCount === 1 ? "" : "s"} or notes
                      {r.lastActivityAt ? (
                        <>
                          <br />
                          <span className="muted">
                            last <DateTime value={r.lastActivityAt} />
                          </span>
                        </>
                      ) : null}
                      {r.openConcerns ? (
                        <>
                          <br />
                          <span className="tag tag--late">
                            {r.openConcerns} open concern{r.openConcerns === 1 ? "" : "s"}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {r.mark ? (
                        <ReviewMarkState mark={r.mark} />
                      ) : (
                        <span className="muted">Not reviewed</span>
                      )}
                    </td>
                    {markCycleId ? (
                      <td>
                        <details className="review-mark-details">
                          <summary>
                            {r.mark ? "Change mark" : "Mark"}
                            <span className="visually-hidden"> {r.referenceNumber}</span>
                          </summary>
                          <ReviewMarkForm
                            key={`${r.assignmentId}-${r.mark?.version ?? 0}`}
                            cycleId={markCycleId}
                            row={r}
                            onSaved={(m) => onMarked(r, m)}
                            onStale={onStale}
                          />
                        </details>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
