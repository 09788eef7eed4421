import type { MigrationInterface, QueryRunner } from "typeorm";
import { progress } from "../src/server/logging/progress";

const BATCH = 100_000;

/** The fact row of every contact in `contact_ids`, built from the contact, its lead and its constituent. */
const FACT_SELECT = `
  SELECT ct.id, ct.category_id, ct.channel, ct.received_at, ct.confidential,
         CASE WHEN ct.confidential THEN NULL ELSE cn.postal_code END,
         la.department_id, la.status, la.due_at, la.completed_at,
         CASE WHEN la.status = 'COMPLETED'
              THEN (extract(epoch FROM la.completed_at - ct.received_at) / 3600.0)::float8 END
    FROM contact ct
    LEFT JOIN assignment la ON la.contact_id = ct.id AND la.is_lead AND la.status NOT IN ('TRANSFERRED', 'CANCELLED')
    LEFT JOIN constituent cn ON cn.id = ct.constituent_id`;

/**
 * One narrow row per contact with what analysts group and filter by: the contact's dimensions, its
 * constituent's zip (never a confidential contact's) and its lead assignment in force. Triggers keep it
 * in the same transaction as the change, so aggregates over it are never stale and need no join.
 */
export class ContactStatsRollup1765000600000 implements MigrationInterface {
  name = "ContactStatsRollup1765000600000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_fact (
        contact_id uuid PRIMARY KEY REFERENCES contact(id) ON DELETE CASCADE,
        category_id uuid NOT NULL,
        channel varchar(20) NOT NULL,
        received_at timestamptz NOT NULL,
        confidential boolean NOT NULL,
        zip varchar(20),
        department_id uuid,
        status varchar(20),
        due_at timestamptz,
        completed_at timestamptz,
        -- Computed once here: numeric interval arithmetic on every row was most of an aggregate's cost.
        hours_to_close double precision,
        CHECK (NOT confidential OR zip IS NULL)
      )`);
    await q.query(`
      CREATE FUNCTION contact_fact_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO contact_fact (contact_id, category_id, channel, received_at, confidential, zip,
                                  department_id, status, due_at, completed_at, hours_to_close)
        ${FACT_SELECT} WHERE ct.id = ANY(ids)
        ON CONFLICT (contact_id) DO UPDATE SET
          category_id = EXCLUDED.category_id, channel = EXCLUDED.channel, received_at = EXCLUDED.received_at,
          confidential = EXCLUDED.confidential, zip = EXCLUDED.zip, department_id = EXCLUDED.department_id,
          status = EXCLUDED.status, due_at = EXCLUDED.due_at, completed_at = EXCLUDED.completed_at,
          hours_to_close = EXCLUDED.hours_to_close;
      END $$`);
    await q.query(`
      CREATE FUNCTION contact_fact_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM contact_fact_refresh(ARRAY[NEW.id]);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER contact_fact_contact_insert AFTER INSERT ON contact
        FOR EACH ROW EXECUTE FUNCTION contact_fact_contact_changed()`);
    await q.query(`
      CREATE TRIGGER contact_fact_contact_update
        AFTER UPDATE OF category_id, channel, received_at, confidential, constituent_id ON contact
        FOR EACH ROW EXECUTE FUNCTION contact_fact_contact_changed()`);
    await q.query(`
      CREATE FUNCTION contact_fact_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM contact_fact_refresh(ARRAY[OLD.contact_id]);
        ELSIF TG_OP = 'UPDATE' AND OLD.contact_id IS DISTINCT FROM NEW.contact_id THEN
          PERFORM contact_fact_refresh(ARRAY[OLD.contact_id, NEW.contact_id]);
        ELSE
          PERFORM contact_fact_refresh(ARRAY[NEW.contact_id]);
        END IF;
        RETURN NULL;
      END $$`);
    // Only leads matter; an update that leaves a row a non-lead both before and after changes nothing.
    await q.query(`
      CREATE TRIGGER contact_fact_assignment_insert AFTER INSERT ON assignment
        FOR EACH ROW WHEN (NEW.is_lead) EXECUTE FUNCTION contact_fact_assignment_changed()`);
    await q.query(`
      CREATE TRIGGER contact_fact_assignment_update
        AFTER UPDATE OF contact_id, is_lead, status, department_id, due_at, completed_at ON assignment
        FOR EACH ROW WHEN (OLD.is_lead OR NEW.is_lead) EXECUTE FUNCTION contact_fact_assignment_changed()`);
    await q.query(`
      CREATE TRIGGER contact_fact_assignment_delete AFTER DELETE ON assignment
        FOR EACH ROW WHEN (OLD.is_lead) EXECUTE FUNCTION contact_fact_assignment_changed()`);
    await q.query(`
      CREATE FUNCTION contact_fact_constituent_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE contact_fact f SET zip = NEW.postal_code
          FROM contact ct
         WHERE ct.constituent_id = NEW.id AND f.contact_id = ct.id AND NOT ct.confidential;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER contact_fact_constituent_update AFTER UPDATE OF postal_code ON constituent
        FOR EACH ROW WHEN (OLD.postal_code IS DISTINCT FROM NEW.postal_code)
        EXECUTE FUNCTION contact_fact_constituent_changed()`);

    const [{ n }]: { n: number }[] = await q.query(`SELECT count(*)::int AS n FROM contact`);
    const bar = progress("contact_fact backfill", n);
    let done = 0;
    let after: string | null = null;
    for (;;) {
      const upto: { id: string }[] = await q.query(
        `SELECT id FROM contact WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id OFFSET ${BATCH - 1} LIMIT 1`,
        [after],
      );
      const last = upto[0]?.id ?? null;
      const [{ added }]: { added: number }[] = await q.query(
        `WITH ins AS (
           INSERT INTO contact_fact (contact_id, category_id, channel, received_at, confidential, zip,
                                     department_id, status, due_at, completed_at, hours_to_close)
           ${FACT_SELECT}
           WHERE ($1::uuid IS NULL OR ct.id > $1::uuid) AND ($2::uuid IS NULL OR ct.id <= $2::uuid)
           RETURNING 1)
         SELECT count(*)::int AS added FROM ins`,
        [after, last],
      );
      done += added;
      bar.tick(Math.min(done, n));
      if (!last) break;
      after = last;
    }
    bar.done();
    await q.query(`CREATE INDEX contact_fact_received_idx ON contact_fact (received_at)`);
    await q.query(`CREATE INDEX contact_fact_open_due_idx ON contact_fact (due_at)
      WHERE status IN ('OPEN', 'IN_PROGRESS')`);
    await q.query(`ANALYZE contact_fact`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER contact_fact_constituent_update ON constituent`);
    await q.query(`DROP FUNCTION contact_fact_constituent_changed()`);
    await q.query(`DROP TRIGGER contact_fact_assignment_delete ON assignment`);
    await q.query(`DROP TRIGGER contact_fact_assignment_update ON assignment`);
    await q.query(`DROP TRIGGER contact_fact_assignment_insert ON assignment`);
    await q.query(`DROP FUNCTION contact_fact_assignment_changed()`);
    await q.query(`DROP TRIGGER contact_fact_contact_update ON contact`);
    await q.query(`DROP TRIGGER contact_fact_contact_insert ON contact`);
    await q.query(`DROP FUNCTION contact_fact_contact_changed()`);
    await q.query(`DROP FUNCTION contact_fact_refresh(uuid[])`);
    await q.query(`DROP TABLE contact_fact`);
  }
}
