const DATE_FIELDS = new Set([
  "receivedAt",
  "enteredAt",
  "assignedAt",
  "dueAt",
  "completedAt",
  "sentAt",
  "createdAt",
  "updatedAt",
  "lockedUntil",
  "purgeAfter",
]);

/** JSON built by PostgreSQL carries timestamps as strings; the API layer wants Dates. */
export function hydrate<T>(value: unknown): T {
  if (Array.isArray(value)) return value.map((v) => hydrate(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = DATE_FIELDS.has(k) && typeof v === "string" ? new Date(v) : hydrate(v);
    }
    return out as T;
  }
  return value as T;
}
