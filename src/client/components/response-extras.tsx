import { formatBytes } from "../format";
import type { ResponseAttachment, ResponseDelivery } from "../operations/assignments";
import { DateTime } from "./date-time";

/** PENDING after a failed attempt is a retry: say so rather than "Queued". */
export function DeliveryState({ delivery }: { delivery: ResponseDelivery }) {
  if (delivery.status === "SENT") {
    return <span className="tag">Sent {delivery.sentAt ? <DateTime value={delivery.sentAt} /> : null}</span>;
  }
  if (delivery.status === "FAILED") return <span className="tag tag--overdue">Failed</span>;
  return delivery.attempts > 0 ? (
    <span className="tag tag--late">Failed: retrying</span>
  ) : (
    <span className="tag">Queued</span>
  );
}

/** A response's letters (generated or uploaded) and, for an email, how its delivery is going. */
export function ResponseExtras({
  attachments,
  delivery,
  channel,
}: {
  attachments: ResponseAttachment[];
  delivery: ResponseDelivery | null;
  channel: string | null;
}) {
  return (
    <>
      {channel === "EMAIL" && delivery ? (
        <p className="response__meta">
          Email delivery: <DeliveryState delivery={delivery} />
        </p>
      ) : null}
      {attachments.length ? (
        <ul className="file-list" aria-label="Letters attached to this response">
          {attachments.map((f) => (
            <li key={f.id}>
              <a href={f.downloadUrl}>{f.fileName}</a>{" "}
              <span className="muted">
                ({f.contentType === "application/pdf" ? "PDF" : f.contentType}, {formatBytes(f.sizeBytes)})
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
