import type { DataSource, EntityManager } from "typeorm";
import type { Constituent, Contact } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { CONTACT_TREE_COLUMNS } from "../constituents/constituent-screen.service";
import { hydrate } from "../db/hydrate";
import { badInput } from "../errors/domain-error";
import { textKey } from "../search/text-key";
import { isUuid, optionalText } from "../validation/validate";
import { analystReads } from "./analyst-reads";
import { LEAD_JOIN, Params, contactConditions, type ContactFilterCommand } from "./contact-filter";

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface ConstituentFilterCommand {
  name?: string | null;
  address?: string | null;
  zip?: string | null;
}

const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

// The sort key travels as PostgreSQL's own text form, so microseconds survive the round trip.
function encodeCursor(list: string, key: string, id: string): string {
  return Buffer.from(JSON.stringify([list, key, id])).toString("base64url");
}

function decodeCursor(list: string, cursor: string): { key: string; id: string } {
  try {
    const [l, key, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (
      l === list &&
      typeof key === "string" &&
      typeof id === "string" &&
      isUuid(id) &&
      PG_TIMESTAMPTZ.test(key)
    )
      return { key, id };
  } catch {
    // fall through: a cursor we did not write
  }
  throw badInput("after", "is not a cursor of this list");
}

function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE)
    throw badInput("first", `must be between 1 and ${MAX_PAGE}`);
  return n;
}

function toPage<T extends { id: string }>(
  list: string,
  rows: { sortKey: string; node: T }[],
  first: number,
  totalCount: number,
): Page<T> {
  const edges = rows
    .slice(0, first)
    .map((r) => ({ cursor: encodeCursor(list, r.sortKey, r.node.id), node: r.node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/**
 * Contacts for analysis, newest first, through the confidentiality choke point: keyset pages on
 * (received at, id), so a deep page costs what the first one does.
 */
export async function listContacts(
  ds: DataSource,
  viewer: Viewer | null,
  args: { filter?: ContactFilterCommand | null; first?: number | null; after?: string | null },
): Promise<Page<Contact>> {
  const v = requireRole(viewer, Rules.readAnalytics);
  const first = pageSize(args.first);
  const p = new Params();
  const where = contactConditions(v, args.filter, p);
  const countParams = [...p.values];
  const countSql = `SELECT count(*)::int AS n FROM contact ct ${LEAD_JOIN} WHERE ${where.join(" AND ")}`;
  if (args.after) {
    const c = decodeCursor("contacts", args.after);
    where.push(`(ct.received_at, ct.id) < (${p.add(c.key)}::timestamptz, ${p.add(c.id)}::uuid)`);
  }
  const pageSql = `SELECT ct.received_at::text AS "sortKey", row_to_json(k) AS tree FROM contact ct ${LEAD_JOIN}
    CROSS JOIN LATERAL (SELECT ${CONTACT_TREE_COLUMNS}) k
    WHERE ${where.join(" AND ")}
    ORDER BY ct.received_at DESC, ct.id DESC LIMIT ${p.add(first + 1)}`;
  return analystReads(ds, async (db) => {
    const rows: { sortKey: string; tree: Contact }[] = await db.query(pageSql, p.values);
    const [{ n }] = await db.query(countSql, countParams);
    return toPage(
      "contacts",
      rows.map((r) => ({ sortKey: r.sortKey, node: hydrate<Contact>(r.tree) })),
      first,
      n,
    );
  });
}

const CONSTITUENT_COLUMNS = `c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.organization, c.email,
  c.phone, c.address_line1 AS "addressLine1", c.address_line2 AS "addressLine2", c.city, c.state,
  c.postal_code AS "postalCode", c.preferred_language AS "preferredLanguage",
  c.preferred_channel AS "preferredChannel", c.merged_into_id AS "mergedIntoId", c.created_by_id AS "createdById",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.version`;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * Constituents for analysis, newest first; merged records are left out (their contacts moved to the
 * survivor). Confidential requests have no constituent, so no filter here can reach one.
 */
export async function listConstituents(
  ds: DataSource,
  viewer: Viewer | null,
  args: { filter?: ConstituentFilterCommand | null; first?: number | null; after?: string | null },
): Promise<Page<Constituent>> {
  requireRole(viewer, Rules.readAnalytics);
  const first = pageSize(args.first);
  const f = args.filter ?? {};
  const p = new Params();
  const where = ["c.merged_into_id IS NULL"];
  const name = textKey(optionalText("filter.name", f.name, { max: 200 }));
  if (name) where.push(`c.name_key LIKE ${p.add(likePattern(name))}`);
  const address = textKey(optionalText("filter.address", f.address, { max: 200 }));
  if (address) where.push(`c.address_key LIKE ${p.add(likePattern(address))}`);
  const zip = optionalText("filter.zip", f.zip, { max: 20 });
  if (zip) where.push(`c.postal_code = ${p.add(zip)}`);
  const countParams = [...p.values];
  const countSql = `SELECT count(*)::int AS n FROM constituent c WHERE ${where.join(" AND ")}`;
  if (args.after) {
    const c = decodeCursor("constituents", args.after);
    where.push(`(c.created_at, c.id) < (${p.add(c.key)}::timestamptz, ${p.add(c.id)}::uuid)`);
  }
  const pageSql = `SELECT c.created_at::text AS "sortKey", ${CONSTITUENT_COLUMNS} FROM constituent c
    WHERE ${where.join(" AND ")} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p.add(first + 1)}`;
  return analystReads(ds, async (db: EntityManager) => {
    const rows: (Constituent & { sortKey: string })[] = await db.query(pageSql, p.values);
    const [{ n }] = await db.query(countSql, countParams);
    return toPage(
      "constituents",
      rows.map(({ sortKey, ...node }) => ({ sortKey, node: node as Constituent })),
      first,
      n,
    );
  });
}
