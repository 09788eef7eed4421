import {
  CHANNEL_LABELS,
  formatBytes,
  label,
  LANGUAGE_LABELS,
  RESPONSE_CHANNEL_LABELS,
  STATUS_LABELS,
} from "../format";
import type { HistoryAssignment, HistoryContact } from "../operations/constituents";
import { DateTime } from "./date-time";
import { ResponseExtras } from "./response-extras";

const FINISHED = new Set(["COMPLETED", "TRANSFERRED", "CANCELLED"]);

function isOverdue(a: HistoryAssignment, now: number): boolean {
  return !FINISHED.has(a.status) && new Date(a.dueAt).getTime() < now;
}

function completedLate(a: HistoryAssignment): boolean {
  return !!a.completedAt && new Date(a.completedAt).getTime() > new Date(a.dueAt).getTime();
}

function Assignment({ a, now }: { a: HistoryAssignment; now: number }) {
  const overdue = isOverdue(a, now);
  return (
    <li className={`assignment${overdue ? " assignment--overdue" : ""}`}>
      <p className="assignment__head">
        <strong>{a.department.name}</strong>
        {a.isLead ? <span className="tag">Lead</span> : null}
        <span className="tag">{label(STATUS_LABELS, a.status)}</span>
        {overdue ? <span className="tag tag--overdue">Overdue</span> : null}
        {completedLate(a) ? <span className="tag tag--late">Completed late</span> : null}
      </p>
      <dl className="facts facts--inline">
        <div>
          <dt>Assigned</dt>
          <dd>
            <DateTime value={a.assignedAt} />
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>
            <DateTime value={a.dueAt} />
          </dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>
            {a.completedAt ? <DateTime value={a.completedAt} /> : <span className="muted">not yet</span>}
          </dd>
        </div>
      </dl>
      {a.responses.length ? (
        <ul className="responses" aria-label={`Responses from ${a.department.name}`}>
          {a.responses.map((r) => (
            <li key={r.id} className={r.kind === "NOTE" ? "response response--note" : "response"}>
              <p className="response__meta">
                {r.kind === "NOTE" ? (
                  <span className="tag tag--note">Internal note</span>
                ) : (
                  <span className="tag">{r.isFinal ? "Final response" : "Response"}</span>
                )}
                {r.channel ? <span> by {label(RESPONSE_CHANNEL_LABELS, r.channel)}</span> : null}
                <span>
                  {" · "}
                  {r.kind === "NOTE" ? "written " : r.sentAt ? "sent " : "written "}
                  <DateTime value={r.kind === "NOTE" ? r.createdAt : (r.sentAt ?? r.createdAt)} />
                </span>
              </p>
              <p className="prose">{r.body}</p>
              <ResponseExtras attachments={r.attachments} delivery={r.delivery} channel={r.channel} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No responses yet.</p>
      )}
    </li>
  );
}

/** One contact on the constituent screen: what was asked, who has it, what was said. */
export function ContactHistoryItem({ c, now }: { c: HistoryContact; now: number }) {
  const headingId = `contact-${c.id}`;
  return (
    <li className="history-item">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          <span className="reference-number reference-number--small">{c.referenceNumber}</span>
          <span className="history-item__category">{c.category.name}</span>
        </h3>
        <dl className="facts facts--inline">
          <div>
            <dt>Status</dt>
            <dd>{label(STATUS_LABELS, c.status)}</dd>
          </div>
          <div>
            <dt>Channel</dt>
            <dd>{label(CHANNEL_LABELS, c.channel)}</dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>
              <DateTime value={c.receivedAt} />
            </dd>
          </div>
          <div>
            <dt>Location</dt>
            <dd>{c.locationAddress || <span className="muted">none given</span>}</dd>
          </div>
          <div>
            <dt>Language</dt>
            <dd>{label(LANGUAGE_LABELS, c.language)}</dd>
          </div>
        </dl>
        <p className="prose description">{c.description}</p>
        <h4>Assignments</h4>
        {c.assignments.length ? (
          <ul className="assignments">
            {c.assignments.map((a) => (
              <Assignment key={a.id} a={a} now={now} />
            ))}
          </ul>
        ) : (
          <p className="muted">Not assigned.</p>
        )}
        {c.attachments.length ? (
          <>
            <h4>Attachments</h4>
            <ul className="file-list">
              {c.attachments.map((f) => (
                <li key={f.id}>
                  <a href={f.downloadUrl}>{f.fileName}</a>{" "}
                  <span className="muted">
                    ({f.contentType}, {formatBytes(f.sizeBytes)})
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </article>
    </li>
  );
}
