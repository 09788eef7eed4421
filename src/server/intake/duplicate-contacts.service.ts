import { In, type DataSource, type EntityManager } from "typeorm";
import { Contact, Language, Role } from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";
import { badInput, notFound } from "../errors/domain-error";
import { updateReturning } from "../db/sql";
import { textKey } from "../search/text-key";
import { optionalNumber, optionalText, uuid } from "../validation/validate";

export interface PossibleDuplicatesQuery {
  categoryId: string;
  locationAddress?: string | null;
  locationLat?: number | null;
  locationLong?: number | null;
}

export interface LinkDuplicateCommand {
  contactId: string;
  duplicateOfId: string;
}

export interface Reporter {
  contactId: string;
  constituentId: string | null;
  referenceNumber: string;
  language: Language;
}

const NEAR_METERS = 150;
const ADDRESS_SIMILARITY = 0.5;
const WINDOW_DAYS = 60;
const LIMIT = 10;

/** Equirectangular distance in metres: exact enough at 150 m, and plain SQL on both databases. */
const DISTANCE_SQL = (lat: string, long: string) =>
  `(6371000 * radians(sqrt(power(ct.location_lat - ${lat}, 2) +
     power((ct.location_long - ${long}) * cos(radians((ct.location_lat + ${lat}) / 2)), 2))))`;

/**
 * Open contacts in the same category, received in the last 60 days, whose address reads alike (trigram
 * similarity on the normalised address) or that lie within 150 m. Only first reports (roots) are offered:
 * linking to one is where every later report belongs.
 */
export async function possibleDuplicateContacts(
  ds: DataSource | EntityManager,
  viewer: Viewer | null,
  query: PossibleDuplicatesQuery,
): Promise<Contact[]> {
  const v = requireRole(viewer, Rules.findDuplicateContacts);
  const categoryId = uuid("categoryId", query.categoryId);
  const address = optionalText("locationAddress", query.locationAddress, { max: 300 });
  const lat = optionalNumber("locationLat", query.locationLat, -90, 90);
  const long = optionalNumber("locationLong", query.locationLong, -180, 180);
  if ((lat == null) !== (long == null)) {
    throw badInput(lat == null ? "locationLat" : "locationLong", "give both latitude and longitude");
  }
  const key = address ? textKey(address) : "";
  if (!key && lat == null) return [];

  const filter = contactFilter(v, "ct", 5);
  const rows: { id: string }[] = await ds.query(
    `SELECT id FROM (
       SELECT ct.id, ct.received_at,
              CASE WHEN $2::text <> '' AND ct.location_address IS NOT NULL
                   THEN similarity(lower(ct.location_address), $2::text) ELSE 0 END AS sim,
              CASE WHEN $3::float8 IS NOT NULL AND ct.location_lat IS NOT NULL AND ct.location_long IS NOT NULL
                   THEN ${DISTANCE_SQL("$3::float8", "$4::float8")} END AS meters
         FROM contact ct
        WHERE ct.category_id = $1 AND ct.duplicate_of_id IS NULL
          AND ct.received_at > now() - make_interval(days => $5::int)
          AND EXISTS (SELECT 1 FROM assignment a WHERE a.contact_id = ct.id AND a.is_lead
                        AND a.status IN ('OPEN','IN_PROGRESS'))
          AND ${filter.sql}) m
      WHERE m.sim >= ${ADDRESS_SIMILARITY} OR m.meters <= ${NEAR_METERS}
      ORDER BY GREATEST(m.sim, 1 - COALESCE(m.meters, ${NEAR_METERS}) / ${NEAR_METERS}) DESC, m.received_at, m.id
      LIMIT ${LIMIT}`,
    [categoryId, key, lat, long, WINDOW_DAYS, ...filter.params],
  );
  if (!rows.length) return [];
  const contacts = await ds.getRepository(Contact).findBy({ id: In(rows.map((r) => r.id)) });
  const byId = new Map(contacts.map((c) => [c.id, c]));
  return rows.map((r) => byId.get(r.id)!).filter(Boolean);
}

/** Contacts by id as `viewer` may see them (the choke point); unknown or hidden ones are left out. */
export async function visibleContacts(
  ds: DataSource | EntityManager,
  viewer: Viewer,
  ids: readonly string[],
): Promise<Contact[]> {
  const filter = contactFilter(viewer, "ct", 1);
  const rows: { id: string }[] = await ds.query(
    `SELECT ct.id FROM contact ct WHERE ct.id = ANY($1::uuid[]) AND ${filter.sql}`,
    [ids, ...filter.params],
  );
  if (!rows.length) return [];
  return ds.getRepository(Contact).findBy({ id: In(rows.map((r) => r.id)) });
}

/** The duplicates linked to each root, as `viewer` may see them, oldest first. */
export async function duplicatesOf(
  ds: DataSource | EntityManager,
  viewer: Viewer,
  rootIds: readonly string[],
): Promise<Contact[][]> {
  const filter = contactFilter(viewer, "ct", 1);
  const rows: { id: string }[] = await ds.query(
    `SELECT ct.id FROM contact ct WHERE ct.duplicate_of_id = ANY($1::uuid[]) AND ${filter.sql}
      ORDER BY ct.received_at, ct.id`,
    [rootIds, ...filter.params],
  );
  const contacts = rows.length
    ? await ds.getRepository(Contact).findBy({ id: In(rows.map((r) => r.id)) })
    : [];
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const groups = new Map<string, Contact[]>(rootIds.map((id) => [id, []]));
  for (const r of rows) {
    const c = byId.get(r.id);
    if (c?.duplicateOfId) groups.get(c.duplicateOfId)?.push(c);
  }
  return rootIds.map((id) => groups.get(id) ?? []);
}

/** 1 + the contacts linked as duplicates, per contact: the number of people waiting for the answer. */
export async function reporterCounts(
  ds: DataSource | EntityManager,
  contactIds: readonly string[],
): Promise<number[]> {
  const rows: { id: string; n: number }[] = await ds.query(
    `SELECT duplicate_of_id AS id, count(*)::int AS n FROM contact
      WHERE duplicate_of_id = ANY($1::uuid[]) GROUP BY duplicate_of_id`,
    [contactIds],
  );
  const counts = new Map(rows.map((r) => [r.id, r.n]));
  return contactIds.map((id) => 1 + (counts.get(id) ?? 0));
}

/**
 * Everyone the lead's answer must reach: the root contact and every contact linked to it, root first.
 * For the respond flow; it reads raw rows, so it is not for handing out to viewers.
 */
export async function reportersOf(em: DataSource | EntityManager, contactId: string): Promise<Reporter[]> {
  const rows: Reporter[] = await em.query(
    `WITH root AS (SELECT COALESCE(duplicate_of_id, id) AS id FROM contact WHERE id = $1)
     SELECT c.id AS "contactId", c.constituent_id AS "constituentId",
            c.reference_number AS "referenceNumber", c.language
       FROM contact c, root
      WHERE c.id = root.id OR c.duplicate_of_id = root.id
      ORDER BY (c.id = root.id) DESC, c.received_at, c.id`,
    [contactId],
  );
  return rows;
}

const ACTIVE_LEAD = `SELECT 1 FROM assignment a WHERE a.contact_id = $1 AND a.is_lead
                       AND a.status IN ('OPEN','IN_PROGRESS')`;

/**
 * Marks `contactId` a duplicate of `duplicateOfId`'s root, so that one lead answers everyone: the
 * duplicate's own open assignments are cancelled, and duplicates already linked to it move to the root.
 * Its status then follows the root's.
 */
export async function linkDuplicateContact(
  ds: DataSource,
  viewer: Viewer | null,
  input: LinkDuplicateCommand,
): Promise<Contact> {
  const v = requireRole(viewer, Rules.linkDuplicateContacts);
  const contactId = uuid("contactId", input.contactId);
  const duplicateOfId = uuid("duplicateOfId", input.duplicateOfId);
  return ds.transaction(async (em) => {
    await linkDuplicateWithin(em, v, { contactId, duplicateOfId });
    return em.getRepository(Contact).findOneByOrFail({ id: contactId });
  });
}

export interface LinkOptions {
  /**
   * The contact was recorded in this same transaction by `viewer`: it is theirs to link whichever
   * department it went to, and a target they cannot use is a bad field of their input, not a lookup.
   */
  recordedNow?: boolean;
}

/** The link itself, inside the caller's transaction (ids already validated); returns the root's id. */
export async function linkDuplicateWithin(
  em: EntityManager,
  v: Viewer,
  { contactId, duplicateOfId: targetId }: LinkDuplicateCommand,
  opts: LinkOptions = {},
): Promise<string> {
  requireRole(v, Rules.linkDuplicateContacts);
  if (contactId === targetId) throw badInput("duplicateOfId", "a contact cannot be a duplicate of itself");
  // Lock both rows in a fixed order so that two links crossing each other cannot deadlock.
  await em.query(`SELECT id FROM contact WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
    [contactId, targetId],
  ]);
  const seen = await visibleContacts(em, v, [contactId, targetId]);
  const contact = seen.find((c) => c.id === contactId);
  const target = seen.find((c) => c.id === targetId);
  if (!contact) throw notFound("Contact");
  if (!target) {
    throw opts.recordedNow ? badInput("duplicateOfId", "no such contact") : notFound("Contact");
  }
  if (v.role === Role.DEPARTMENT && !opts.recordedNow) {
    const [own] = await em.query(`${ACTIVE_LEAD} AND a.department_id = $2`, [contactId, v.departmentId]);
    if (!own) throw notFound("Contact");
  }

  let root = target;
  for (let hops = 0; root.duplicateOfId; hops++) {
    if (root.duplicateOfId === contactId || hops > 20) {
      throw badInput("duplicateOfId", "would link the contact to itself through its duplicates");
    }
    root = await em.getRepository(Contact).findOneByOrFail({ id: root.duplicateOfId });
  }
  if (root.id === contactId) {
    throw badInput("duplicateOfId", "would link the contact to itself through its duplicates");
  }
  if (contact.duplicateOfId) throw badInput("contactId", "is already linked as a duplicate");
  if (root.categoryId !== contact.categoryId) {
    throw badInput("duplicateOfId", "is in a different category");
  }
  if (!(await em.query(ACTIVE_LEAD, [root.id])).length) {
    throw badInput("duplicateOfId", "is no longer open");
  }
  if (!(await em.query(ACTIVE_LEAD, [contactId])).length) {
    throw badInput("contactId", "is no longer open");
  }

  await em.update(Contact, { id: contactId }, { duplicateOfId: root.id });
  const moved = await updateReturning<{ id: string }>(
    em,
    `UPDATE contact SET duplicate_of_id = $1 WHERE duplicate_of_id = $2 RETURNING id`,
    [root.id, contactId],
  );
  const cancelled = await updateReturning<{ id: string; is_lead: boolean }>(
    em,
    `UPDATE assignment SET status = 'CANCELLED', version = version + 1
      WHERE contact_id = $1 AND status IN ('OPEN','IN_PROGRESS') RETURNING id, is_lead`,
    [contactId],
  );
  await audit(em, v, {
    action: "contact.linked_duplicate",
    entityType: "contact",
    entityId: contactId,
    before: { duplicateOfId: null },
    after: {
      duplicateOfId: root.id,
      requestedDuplicateOfId: targetId,
      cancelledAssignmentIds: cancelled.map((c) => c.id),
      movedDuplicateIds: moved.map((m) => m.id),
    },
  });
  return root.id;
}
