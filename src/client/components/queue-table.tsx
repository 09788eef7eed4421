import Link from "next/link";
import { label, STATUS_LABELS } from "../format";
import type { AssignmentCounts, QueueRow } from "../operations/assignments";
import { DateTime } from "./date-time";

const COUNTS: { key: keyof AssignmentCounts; text: string }[] = [
  { key: "open", text: "Open" },
  { key: "inProgress", text: "In progress" },
  { key: "overdue", text: "Overdue" },
  { key: "unassigned", text: "Unassigned" },
  { key: "dueToday", text: "Due today" },
];

/** The figures at the top of the queue, for the whole queue (not just the rows loaded). */
export function QueueCounts({ counts }: { counts: AssignmentCounts }) {
  return (
    <dl className="counts" aria-label="Queue counts">
      {COUNTS.map((c) => (
        <div key={c.key} className={`count${c.key === "overdue" && counts.overdue ? " count--overdue" : ""}`}>
          <dt>{c.text}</dt>
          <dd>{counts[c.key].toLocaleString("en-US")}</dd>
        </div>
      ))}
    </dl>
  );
}

interface QueueTableProps {
  rows: QueueRow[];
  totalCount: number;
  /** Null when the viewer may not claim (analysts read only). */
  onClaim: ((row: QueueRow) => void) | null;
  claimingId: string | null;
  showDepartment: boolean;
}

export function QueueTable({ rows, totalCount, onClaim, claimingId, showDepartment }: QueueTableProps) {
  return (
    <div className="table-wrap">
      <table className="queue-table">
        <caption>
          Assignments{" "}
          <span className="muted">
            (showing {rows.length.toLocaleString("en-US")} of {totalCount.toLocaleString("en-US")})
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Category</th>
            {showDepartment ? <th scope="col">Department</th> : null}
            <th scope="col">Received</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">Assignee</th>
            <th scope="col">Reporters</th>
            {onClaim ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.overdue ? "queue-row--overdue" : undefined}>
              <th scope="row">
                <Link href={`/assignments/${encodeURIComponent(r.id)}`} className="reference-link">
                  {r.contact.referenceNumber}
                </Link>
                {r.isLead ? null : <span className="tag">Supporting</span>}
                {r.reviewFlagged ? <span className="tag tag--late">Review concern</span> : null}
              </th>
              <td>{r.contact.category.name}</td>
              {showDepartment ? <td>{r.department.name}</td> : null}
              <td>
                <DateTime value={r.contact.receivedAt} />
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
              <td>{label(STATUS_LABELS, r.status)}</td>
              <td>{r.assignee?.name ?? <span className="muted">nobody</span>}</td>
              <td>{r.reporterCount > 1 ? `${r.reporterCount} reporters` : null}</td>
              {onClaim ? (
                <td>
                  {r.assignee ? null : (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={claimingId === r.id}
                      onClick={() => onClaim(r)}
                    >
                      {claimingId === r.id ? "Claiming…" : "Claim"}
                      <span className="visually-hidden"> {r.contact.referenceNumber}</span>
                    </button>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
