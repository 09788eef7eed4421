import { MARK_KIND_LABELS, type ReviewMarkFields } from "../operations/review";
import { DateTime } from "./date-time";

/** A mark as words: its kind, note and, for a concern, whether the department has resolved it. */
export function ReviewMarkState({ mark }: { mark: ReviewMarkFields }) {
  return (
    <div className="review-mark-state">
      <p>
        <span className={`tag${mark.kind === "OK" ? "" : " tag--late"}`}>{MARK_KIND_LABELS[mark.kind]}</span>
        {mark.markedBy ? <span className="muted"> by {mark.markedBy.name}, </span> : " "}
        <span className="muted">
          <DateTime value={mark.markedAt} />
        </span>
      </p>
      {mark.note ? <p className="review-mark-state__note">{mark.note}</p> : null}
      {mark.kind === "OK" ? null : mark.resolvedAt ? (
        <p className="review-mark-state__resolution">
          <strong>Resolved</strong>
          {mark.resolvedBy ? ` by ${mark.resolvedBy.name}` : ""}, <DateTime value={mark.resolvedAt} />:{" "}
          {mark.resolutionNote}
        </p>
      ) : (
        <p className="muted">Waiting for the department to resolve it.</p>
      )}
    </div>
  );
}
