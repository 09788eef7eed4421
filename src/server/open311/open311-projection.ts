import { publicDescription } from "./open311-privacy";

/** Runs one statement and gives its rows: a QueryRunner's, an EntityManager's or a DataSource's query. */
export type RunQuery = (text: string, values: unknown[]) => Promise<unknown[]>;

interface Source {
  id: string;
  description: string;
  location_address: string | null;
  first_name: string | null;
  last_name: string | null;
  address_line1: string | null;
}

/**
 * Fills the masked description of open311_request rows marked pending (new, or changed in what masking
 * reads), with publicDescription as Open311 has always applied it. Call it inside a transaction: the rows
 * are locked first, and the sources read after the lock, so a concurrent change (which marks the row
 * pending again) is either seen or waits for this one. skipLocked passes over rows a writer holds (a
 * reader then need not wait, nor deadlock with a writer that locks rows in another order). Gives the
 * number of rows filled.
 */
export async function fillPublicDescriptions(
  query: RunQuery,
  ids: string[],
  opts: { skipLocked?: boolean } = {},
): Promise<number> {
  if (!ids.length) return 0;
  const locked = (await query(
    `SELECT contact_id FROM open311_request WHERE contact_id = ANY($1::uuid[]) AND description_pending
      ORDER BY contact_id FOR UPDATE${opts.skipLocked ? " SKIP LOCKED" : ""}`,
    [ids],
  )) as { contact_id: string }[];
  if (!locked.length) return 0;
  const sources = (await query(
    `SELECT c.id, c.description, c.location_address, k.first_name, k.last_name, k.address_line1
       FROM contact c LEFT JOIN constituent k ON k.id = c.constituent_id AND NOT c.confidential
      WHERE c.id = ANY($1::uuid[]) AND NOT c.confidential`,
    [locked.map((r) => r.contact_id)],
  )) as Source[];
  const masked = sources.map((s) =>
    publicDescription(
      s.description,
      { firstName: s.first_name, lastName: s.last_name, addressLine1: s.address_line1 },
      s.location_address,
    ),
  );
  await query(
    `UPDATE open311_request r SET description = v.description, description_pending = false
       FROM unnest($1::uuid[], $2::text[]) AS v(id, description)
      WHERE r.contact_id = v.id AND r.description_pending AND NOT r.confidential`,
    [sources.map((s) => s.id), masked],
  );
  return sources.length;
}

/**
 * Makes the given open311_request rows ready to show in the zone timeZone: masks the pending ones (above),
 * then writes the entry of every one that was changed since it was written, or written in another zone
 * (open311_request_render, see the migration 1765001300000-open311-fragments.ts). Call it inside a
 * transaction: the rows are locked first and rendered from what is read after the lock, so a concurrent
 * change (which clears the entry again) is either seen or waits for this one. Gives the number of rows
 * that needed it.
 */
export async function prepareRequests(
  query: RunQuery,
  ids: string[],
  timeZone: string,
  opts: { skipLocked?: boolean } = {},
): Promise<number> {
  if (!ids.length) return 0;
  const locked = (await query(
    `SELECT contact_id FROM open311_request
      WHERE contact_id = ANY($1::uuid[])
        AND (description_pending OR json IS NULL OR rendered_zone IS DISTINCT FROM $2::text)
      ORDER BY contact_id FOR UPDATE${opts.skipLocked ? " SKIP LOCKED" : ""}`,
    [ids, timeZone],
  )) as { contact_id: string }[];
  if (!locked.length) return 0;
  const lockedIds = locked.map((r) => r.contact_id);
  // Already held: masking takes no lock of its own here.
  await fillPublicDescriptions(query, lockedIds);
  await query(`SELECT open311_request_render($1::uuid[], $2::text)`, [lockedIds, timeZone]);
  return locked.length;
}
