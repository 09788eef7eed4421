import type { MigrationInterface, QueryRunner } from "typeorm";
import { fillPublicDescriptions } from "../src/server/open311/open311-projection";
import { progress } from "../src/server/logging/progress";

/**
 * open311_request: one row per contact holding exactly what Open311 publishes of it, already public-safe
 * (no constituent, no raw description; a confidential request has no description and no location).
 * Triggers keep status, times, agency and location current in the writing transaction. The masked
 * description is computed by the same JS as before (open311-privacy.ts): a change to what masking reads
 * clears it and marks the row pending, and it is filled before any answer shows the row.
 */
const LIVE = `a.status NOT IN ('TRANSFERRED','CANCELLED')`;

export class Open311Projection1765000800000 implements MigrationInterface {
  name = "Open311Projection1765000800000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE open311_request (
        contact_id uuid PRIMARY KEY REFERENCES contact(id) ON DELETE CASCADE,
        reference_number varchar(30) NOT NULL,
        received_at timestamptz NOT NULL,
        category_id uuid NOT NULL,
        confidential boolean NOT NULL,
        description text,
        description_pending boolean NOT NULL,
        address varchar(300),
        lat double precision,
        long double precision,
        root_reference varchar(30),
        closed boolean NOT NULL,
        in_progress boolean NOT NULL,
        updated_at timestamptz NOT NULL,
        due_at timestamptz,
        lead_department_id uuid,
        CHECK (NOT confidential OR (description IS NULL AND address IS NULL AND lat IS NULL AND long IS NULL))
      ) WITH (fillfactor = 80)`);
    // The status rule of GET requests: live assignments (not transferred or cancelled) exist and all are
    // complete; a duplicate takes its first report's. remask: what masking reads changed.
    await q.query(`
      CREATE FUNCTION open311_request_refresh(ids uuid[], remask boolean) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(ids) = 0 THEN RETURN; END IF;
        INSERT INTO open311_request AS r (contact_id, reference_number, received_at, category_id, confidential,
               description, description_pending, address, lat, long, root_reference, closed, in_progress,
               updated_at, due_at, lead_department_id)
        SELECT c.id, c.reference_number, c.received_at, c.category_id, c.confidential,
               NULL, NOT c.confidential,
               CASE WHEN c.confidential THEN NULL ELSE c.location_address END,
               CASE WHEN c.confidential THEN NULL ELSE c.location_lat END,
               CASE WHEN c.confidential THEN NULL ELSE c.location_long END,
               root.reference_number, st.closed, st.in_progress, greatest(c.entered_at, st.updated_at),
               st.due_at, st.lead_department_id
          FROM contact c
          LEFT JOIN contact root ON root.id = c.duplicate_of_id
          CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE ${LIVE}) > 0
                     AND coalesce(bool_and(a.status = 'COMPLETED') FILTER (WHERE ${LIVE}), false) AS closed,
                   coalesce(bool_or(a.status IN ('IN_PROGRESS','COMPLETED')) FILTER (WHERE ${LIVE}), false)
                     AS in_progress,
                   greatest(max(a.assigned_at), max(a.completed_at)) AS updated_at,
                   (array_agg(a.due_at) FILTER (WHERE a.is_lead AND ${LIVE}))[1] AS due_at,
                   (array_agg(a.department_id) FILTER (WHERE a.is_lead AND ${LIVE}))[1] AS lead_department_id
              FROM assignment a WHERE a.contact_id = coalesce(c.duplicate_of_id, c.id)) st
         WHERE c.id = ANY(ids)
        ON CONFLICT (contact_id) DO UPDATE SET
          reference_number = EXCLUDED.reference_number, received_at = EXCLUDED.received_at,
          category_id = EXCLUDED.category_id, confidential = EXCLUDED.confidential,
          description = CASE WHEN remask OR EXCLUDED.confidential THEN NULL ELSE r.description END,
          description_pending = CASE WHEN remask OR EXCLUDED.confidential THEN EXCLUDED.description_pending
                                     ELSE r.description_pending END,
          address = EXCLUDED.address, lat = EXCLUDED.lat, long = EXCLUDED.long,
          root_reference = EXCLUDED.root_reference, closed = EXCLUDED.closed,
          in_progress = EXCLUDED.in_progress, updated_at = EXCLUDED.updated_at, due_at = EXCLUDED.due_at,
          lead_department_id = EXCLUDED.lead_department_id;
      END
      $$`);
    // Masking reads the text, the location, the confidential flag and the constituent.
    const masked = `o.description IS DISTINCT FROM n.description OR o.location_address IS DISTINCT FROM n.location_address
      OR o.confidential IS DISTINCT FROM n.confidential OR o.constituent_id IS DISTINCT FROM n.constituent_id`;
    const shown = `o.reference_number IS DISTINCT FROM n.reference_number OR o.received_at IS DISTINCT FROM n.received_at
      OR o.entered_at IS DISTINCT FROM n.entered_at OR o.category_id IS DISTINCT FROM n.category_id
      OR o.location_lat IS DISTINCT FROM n.location_lat OR o.location_long IS DISTINCT FROM n.location_long
      OR o.duplicate_of_id IS DISTINCT FROM n.duplicate_of_id`;
    await q.query(`
      CREATE FUNCTION open311_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM open311_request_refresh(ARRAY(SELECT id FROM n), true);
        ELSE
          PERFORM open311_request_refresh(
            ARRAY(SELECT n.id FROM n JOIN o ON o.id = n.id WHERE ${masked}), true);
          PERFORM open311_request_refresh(
            ARRAY(SELECT n.id FROM n JOIN o ON o.id = n.id WHERE NOT (${masked}) AND (${shown})), false);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER open311_contact_insert AFTER INSERT ON contact REFERENCING NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_contact_changed()`);
    await q.query(`
      CREATE TRIGGER open311_contact_update AFTER UPDATE ON contact REFERENCING OLD TABLE AS o NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_contact_changed()`);
    // A duplicate shows its first report's status, so a change to that report's assignments reaches it.
    await q.query(`
      CREATE FUNCTION open311_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE ids uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ids := ARRAY(SELECT DISTINCT contact_id FROM n);
        ELSIF TG_OP = 'DELETE' THEN
          ids := ARRAY(SELECT DISTINCT contact_id FROM o);
        ELSE
          ids := ARRAY(
            SELECT x FROM n JOIN o ON o.id = n.id,
                   LATERAL (VALUES (n.contact_id), (o.contact_id)) v(x)
             WHERE o.contact_id IS DISTINCT FROM n.contact_id OR o.status IS DISTINCT FROM n.status
                OR o.is_lead IS DISTINCT FROM n.is_lead OR o.department_id IS DISTINCT FROM n.department_id
                OR o.assigned_at IS DISTINCT FROM n.assigned_at OR o.completed_at IS DISTINCT FROM n.completed_at
                OR o.due_at IS DISTINCT FROM n.due_at
             GROUP BY x);
        END IF;
        IF cardinality(ids) > 0 THEN
          PERFORM open311_request_refresh(
            ids || ARRAY(SELECT d.id FROM contact d WHERE d.duplicate_of_id = ANY(ids)), false);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER open311_assignment_insert AFTER INSERT ON assignment REFERENCING NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_assignment_changed()`);
    await q.query(`
      CREATE TRIGGER open311_assignment_update AFTER UPDATE ON assignment
        REFERENCING OLD TABLE AS o NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_assignment_changed()`);
    await q.query(`
      CREATE TRIGGER open311_assignment_delete AFTER DELETE ON assignment REFERENCING OLD TABLE AS o
        FOR EACH STATEMENT EXECUTE FUNCTION open311_assignment_changed()`);
    await q.query(`
      CREATE FUNCTION open311_constituent_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE open311_request r SET description = NULL, description_pending = true
          FROM contact c
         WHERE r.contact_id = c.id AND NOT r.confidential AND c.constituent_id = ANY(ARRAY(
                 SELECT n.id FROM n JOIN o ON o.id = n.id
                  WHERE o.first_name IS DISTINCT FROM n.first_name OR o.last_name IS DISTINCT FROM n.last_name
                     OR o.address_line1 IS DISTINCT FROM n.address_line1));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER open311_constituent_update AFTER UPDATE ON constituent
        REFERENCING OLD TABLE AS o NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_constituent_changed()`);

    // Times, numbers and XML text written as open311-format.ts writes them, so SQL can write the answer.
    // A time is its local wall time (timestamp::text: ISO, the DateStyle node-pg needs anyway) and the
    // zone's offset in seconds at that instant.
    await q.query(`
      CREATE FUNCTION open311_time(local timestamp, offset_seconds int) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT overlay(left(local::text, 19) placing 'T' from 11) ||
          CASE WHEN offset_seconds = 0 THEN 'Z'
               ELSE CASE WHEN offset_seconds < 0 THEN '-' ELSE '+' END ||
                    lpad((abs(offset_seconds) / 3600)::text, 2, '0') || ':' ||
                    lpad((abs(offset_seconds) % 3600 / 60)::text, 2, '0')
          END
      $$`);
    // PostgreSQL writes |x| < 1e-4 with an exponent (1.5e-05); JavaScript only below 1e-6 (1.5e-7).
    await q.query(`
      CREATE FUNCTION open311_number(x double precision) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN x = 0 THEN '0'
                    WHEN abs(x) >= 1e-4 THEN x::text
                    WHEN abs(x) >= 1e-6 THEN x::numeric::text
                    ELSE regexp_replace(x::text, 'e-0?', 'e-') END
      $$`);
    // As escapeXml: characters XML 1.0 forbids dropped (rare: looked for before replacing), markup escaped.
    const forbidden = String.raw`E'[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]'`;
    await q.query(`
      CREATE FUNCTION open311_xml_text(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT replace(replace(replace(replace(replace(
                 CASE WHEN v ~ ${forbidden} THEN regexp_replace(v, ${forbidden}, '', 'g') ELSE v END,
                 '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
      $$`);

    const [{ n }]: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM contact`);
    const bar = progress("open311 projection", n);
    const BATCH = 5000;
    // In order of receipt, as new contacts arrive: a page of requests is then a few adjacent heap pages.
    // The time as text keeps its microseconds (a Date would drop them and fetch rows twice).
    let last: { at: string; id: string } | null = null;
    let done = 0;
    for (;;) {
      const rows: { at: string; id: string }[] = await q.query(
        `SELECT received_at::text AS at, id FROM contact
          WHERE $1::timestamptz IS NULL OR (received_at, id) > ($1::timestamptz, $2::uuid)
          ORDER BY received_at, id LIMIT ${BATCH}`,
        [last?.at ?? null, last?.id ?? null],
      );
      if (!rows.length) break;
      const ids = rows.map((r) => r.id);
      await q.query(`SELECT open311_request_refresh($1::uuid[], true)`, [ids]);
      await fillPublicDescriptions((text, values) => q.query(text, values), ids);
      last = rows[rows.length - 1];
      done += ids.length;
      bar.tick(done);
    }
    bar.done();

    await q.query(`CREATE UNIQUE INDEX open311_request_reference_idx ON open311_request (reference_number)`);
    await q.query(
      `CREATE INDEX open311_request_received_idx ON open311_request (received_at DESC, contact_id DESC)`,
    );
    await q.query(`CREATE INDEX open311_request_category_received_idx
      ON open311_request (category_id, received_at DESC, contact_id DESC)`);
    await q.query(`CREATE INDEX open311_request_closed_received_idx
      ON open311_request (received_at DESC, contact_id DESC) WHERE closed`);
    await q.query(`CREATE INDEX open311_request_open_received_idx
      ON open311_request (received_at DESC, contact_id DESC) WHERE NOT closed`);
    // Pages are ranges of receipt: stored in that order, a page reads a few dozen heap pages, not 1,000.
    await q.query(`CLUSTER open311_request USING open311_request_received_idx`);
    await q.query(`ANALYZE open311_request`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER open311_constituent_update ON constituent`);
    await q.query(`DROP TRIGGER open311_assignment_delete ON assignment`);
    await q.query(`DROP TRIGGER open311_assignment_update ON assignment`);
    await q.query(`DROP TRIGGER open311_assignment_insert ON assignment`);
    await q.query(`DROP TRIGGER open311_contact_update ON contact`);
    await q.query(`DROP TRIGGER open311_contact_insert ON contact`);
    await q.query(`DROP FUNCTION open311_constituent_changed()`);
    await q.query(`DROP FUNCTION open311_assignment_changed()`);
    await q.query(`DROP FUNCTION open311_contact_changed()`);
    await q.query(`DROP FUNCTION open311_request_refresh(uuid[], boolean)`);
    await q.query(`DROP FUNCTION open311_xml_text(text)`);
    await q.query(`DROP FUNCTION open311_number(double precision)`);
    await q.query(`DROP FUNCTION open311_time(timestamp, int)`);
    await q.query(`DROP TABLE open311_request`);
  }
}
