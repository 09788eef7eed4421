import type { TimelineEntry } from "../operations/assignments";
import { DateTime } from "./date-time";

/** Every change to the contact, oldest first, from the audit events: who, when, what, and why. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (!entries.length) return <p className="muted">No changes recorded yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((e, i) => (
        <li key={`${e.at}-${i}`} className="timeline__entry">
          <p className="timeline__meta">
            <DateTime value={e.at} /> · {e.actor?.name ?? <span>the system</span>}
          </p>
          <p className="timeline__summary">{e.summary}</p>
          {e.reason ? (
            <p className="timeline__reason">
              <span className="timeline__reason-label">Reason:</span> {e.reason}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
