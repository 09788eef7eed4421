import type { DataSource } from "typeorm";
import type { AuditEvent } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { addDays, zonedInstant } from "../routing/business-days";
import { optionalText, optionalUuid } from "../validation/validate";

export interface AuditEventFilterCommand {
  actorId?: string | null;
  /** The actor's sign-in email, for those who know the person rather than the id. */
  actorEmail?: string | null;
  action?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  /** Plain dates in the city's time zone, both included. */
  from?: string | null;
  to?: string | null;
}

export interface AuditEventPage {
  edges: { cursor: string; node: AuditEvent }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

function plainDate(field: string, value: string | null | undefined): string | null {
  if (value == null || value === "") return null;
  const d = new Date(`${value}T12:00:00Z`);
  if (!PLAIN_DATE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw badInput(field, "must be a date such as 2026-12-04");
  }
  return value;
}

// The sort key travels as PostgreSQL's own text form, so microseconds survive the round trip.
const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString("base64url");

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (
      typeof at === "string" &&
      PG_TIMESTAMPTZ.test(at) &&
      typeof id === "string" &&
      /^\d{1,19}$/.test(id)
    ) {
      return { at, id };
    }
  } catch {
    // fall through: a cursor we did not write
  }
  throw badInput("after", "is not a cursor of this list");
}

/** The audit log, newest first, filtered; keyset pages on (at, id) so a deep page costs what the first does. */
export async function listAuditEvents(
  ds: DataSource,
  viewer: Viewer | null,
  args: { filter?: AuditEventFilterCommand | null; first?: number | null; after?: string | null },
): Promise<AuditEventPage> {
  requireRole(viewer, Rules.readAuditLog);
  const f = args.filter ?? {};
  const first = args.first ?? DEFAULT_AUDIT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
    throw badInput("first", `must be between 1 and ${MAX_AUDIT_PAGE}`);
  }
  const actorId = optionalUuid("filter.actorId", f.actorId);
  const actorEmail = optionalText("filter.actorEmail", f.actorEmail, { max: 320 })?.toLowerCase() ?? null;
  const action = optionalText("filter.action", f.action, { max: 60 });
  const entityType = optionalText("filter.entityType", f.entityType, { max: 40 });
  const entityId = optionalText("filter.entityId", f.entityId, { max: 60 });
  const from = plainDate("filter.from", f.from);
  const to = plainDate("filter.to", f.to);
  if (from && to && from > to) throw badInput("filter.to", "must not be before the start date");

  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const tz = config().STAR_TIME_ZONE;
  const where: string[] = [];
  if (actorId) where.push(`e.actor_id = ${p(actorId)}::uuid`);
  if (actorEmail) where.push(`e.actor_id = (SELECT s.id FROM staff_user s WHERE s.email = ${p(actorEmail)})`);
  // "records_request." matches every action on records requests; a full name matches that action only.
  if (action)
    where.push(action.endsWith(".") ? `e.action LIKE ${p(`${action}%`)}` : `e.action = ${p(action)}`);
  if (entityType) where.push(`e.entity_type = ${p(entityType)}`);
  if (entityId) where.push(`e.entity_id = ${p(entityId.toLowerCase())}`);
  if (from) where.push(`e.at >= ${p(zonedInstant(from, 0, tz))}`);
  if (to) where.push(`e.at < ${p(zonedInstant(addDays(to, 1), 0, tz))}`);
  if (args.after) {
    const c = decodeCursor(args.after);
    where.push(`(e.at, e.id) < (${p(c.at)}::timestamptz, ${p(c.id)}::bigint)`);
  }
  const rows: (AuditEvent & { sortKey: string })[] = await ds.query(
    `SELECT e.id::text AS id, e.at, e.actor_id AS "actorId", e.action, e.entity_type AS "entityType",
            e.entity_id AS "entityId", e.reason, e.at::text AS "sortKey"
       FROM audit_event e
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY e.at DESC, e.id DESC
      LIMIT ${p(first + 1)}`,
    params,
  );
  const edges = rows.slice(0, first).map(({ sortKey, ...node }) => ({
    cursor: encodeCursor(sortKey, node.id),
    node: node as AuditEvent,
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
