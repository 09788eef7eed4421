import { formatDate, formatDateTime } from "../time";

/** A time on the city's clock, zone named, machine-readable in dateTime. */
export function DateTime({ value, dateOnly }: { value: string | null | undefined; dateOnly?: boolean }) {
  if (!value) return <span className="muted">—</span>;
  return <time dateTime={value}>{dateOnly ? formatDate(value) : formatDateTime(value)}</time>;
}
