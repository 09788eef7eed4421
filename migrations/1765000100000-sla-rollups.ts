import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The five-day figure from rollups: one row per completion day (in the city's zone), department and
 * category, with a sparse histogram of time to complete so medians and percentiles need no row scan.
 * Triggers mark a day dirty whenever a completed lead assignment (or its contact's clock or category)
 * changes; the report computes dirty days and the unrolled tail live, and the refresh job rolls them.
 */
export class SlaRollups1765000100000 implements MigrationInterface {
  name = "SlaRollups1765000100000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_rollup_state (
        id int PRIMARY KEY CHECK (id = 1),
        time_zone varchar(60) NOT NULL,
        rolled_through date,
        refreshed_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE sla_rollup (
        day date NOT NULL,
        department_id uuid NOT NULL,
        category_id uuid NOT NULL,
        completed int NOT NULL,
        under_five_days int NOT NULL,
        on_time int NOT NULL,
        PRIMARY KEY (day, department_id, category_id)
      )`);
    await q.query(`
      CREATE TABLE sla_rollup_bucket (
        day date NOT NULL,
        department_id uuid NOT NULL,
        category_id uuid NOT NULL,
        bucket smallint NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (day, department_id, category_id, bucket)
      )`);
    // The same histogram without the category: what city-wide, weekly and department figures read.
    await q.query(`
      CREATE TABLE sla_rollup_department_bucket (
        day date NOT NULL,
        department_id uuid NOT NULL,
        bucket smallint NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (day, department_id, bucket)
      )`);
    await q.query(`CREATE TABLE sla_rollup_dirty (day date PRIMARY KEY)`);
    // The open backlog, kept by triggers: ageing it needs the contact's receipt, and joining every open
    // lead to its contact on each view would read most of the contact table.
    await q.query(`
      CREATE TABLE sla_open_lead (
        assignment_id uuid PRIMARY KEY,
        contact_id uuid NOT NULL,
        department_id uuid NOT NULL,
        category_id uuid NOT NULL,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sla_open_lead_contact_idx ON sla_open_lead (contact_id)`);
    await q.query(`CREATE INDEX sla_open_lead_department_idx ON sla_open_lead (department_id, received_at)`);
    await q.query(`
      INSERT INTO sla_open_lead (assignment_id, contact_id, department_id, category_id, received_at)
      SELECT a.id, a.contact_id, a.department_id, k.category_id, k.received_at
        FROM assignment a JOIN contact k ON k.id = a.contact_id
       WHERE a.is_lead AND a.status IN ('OPEN', 'IN_PROGRESS')`);
    await q.query(`
      CREATE FUNCTION sla_open_lead_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          DELETE FROM sla_open_lead WHERE assignment_id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.is_lead AND NEW.status IN ('OPEN', 'IN_PROGRESS') THEN
          INSERT INTO sla_open_lead (assignment_id, contact_id, department_id, category_id, received_at)
          SELECT NEW.id, NEW.contact_id, NEW.department_id, k.category_id, k.received_at
            FROM contact k WHERE k.id = NEW.contact_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sla_open_lead_insert AFTER INSERT ON assignment
        FOR EACH ROW WHEN (NEW.is_lead AND NEW.status IN ('OPEN', 'IN_PROGRESS'))
        EXECUTE FUNCTION sla_open_lead_changed()`);
    await q.query(`
      CREATE TRIGGER sla_open_lead_update AFTER UPDATE ON assignment
        FOR EACH ROW WHEN ((OLD.is_lead AND OLD.status IN ('OPEN', 'IN_PROGRESS'))
                             IS DISTINCT FROM (NEW.is_lead AND NEW.status IN ('OPEN', 'IN_PROGRESS'))
                           OR OLD.department_id IS DISTINCT FROM NEW.department_id
                           OR OLD.contact_id IS DISTINCT FROM NEW.contact_id)
        EXECUTE FUNCTION sla_open_lead_changed()`);
    await q.query(`
      CREATE TRIGGER sla_open_lead_delete AFTER DELETE ON assignment
        FOR EACH ROW WHEN (OLD.is_lead AND OLD.status IN ('OPEN', 'IN_PROGRESS'))
        EXECUTE FUNCTION sla_open_lead_changed()`);
    // The live tail and dirty days are read as completion-time ranges.
    await q.query(
      `CREATE INDEX assignment_completed_lead_idx ON assignment (completed_at)
        WHERE is_lead AND status = 'COMPLETED'`,
    );
    await q.query(`
      CREATE FUNCTION sla_rollup_mark(at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE tz varchar;
      BEGIN
        SELECT time_zone INTO tz FROM sla_rollup_state WHERE id = 1;
        IF tz IS NOT NULL AND at IS NOT NULL THEN
          INSERT INTO sla_rollup_dirty (day) VALUES ((at AT TIME ZONE tz)::date) ON CONFLICT DO NOTHING;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION sla_rollup_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.is_lead AND OLD.status = 'COMPLETED' THEN
          PERFORM sla_rollup_mark(OLD.completed_at);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.is_lead AND NEW.status = 'COMPLETED' THEN
          PERFORM sla_rollup_mark(NEW.completed_at);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sla_rollup_assignment_insert AFTER INSERT ON assignment
        FOR EACH ROW WHEN (NEW.status = 'COMPLETED') EXECUTE FUNCTION sla_rollup_assignment_changed()`);
    await q.query(`
      CREATE TRIGGER sla_rollup_assignment_update AFTER UPDATE ON assignment
        FOR EACH ROW WHEN (OLD.status = 'COMPLETED' OR NEW.status = 'COMPLETED')
        EXECUTE FUNCTION sla_rollup_assignment_changed()`);
    await q.query(`
      CREATE TRIGGER sla_rollup_assignment_delete AFTER DELETE ON assignment
        FOR EACH ROW WHEN (OLD.status = 'COMPLETED') EXECUTE FUNCTION sla_rollup_assignment_changed()`);
    await q.query(`
      CREATE FUNCTION sla_rollup_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM sla_rollup_mark(a.completed_at) FROM assignment a
          WHERE a.contact_id = NEW.id AND a.is_lead AND a.status = 'COMPLETED';
        UPDATE sla_open_lead SET received_at = NEW.received_at, category_id = NEW.category_id
          WHERE contact_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sla_rollup_contact_update AFTER UPDATE OF received_at, category_id ON contact
        FOR EACH ROW WHEN (OLD.received_at IS DISTINCT FROM NEW.received_at
                           OR OLD.category_id IS DISTINCT FROM NEW.category_id)
        EXECUTE FUNCTION sla_rollup_contact_changed()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sla_rollup_contact_update ON contact`);
    await q.query(`DROP FUNCTION sla_rollup_contact_changed()`);
    await q.query(`DROP TRIGGER sla_rollup_assignment_delete ON assignment`);
    await q.query(`DROP TRIGGER sla_rollup_assignment_update ON assignment`);
    await q.query(`DROP TRIGGER sla_rollup_assignment_insert ON assignment`);
    await q.query(`DROP FUNCTION sla_rollup_assignment_changed()`);
    await q.query(`DROP FUNCTION sla_rollup_mark(timestamptz)`);
    await q.query(`DROP TRIGGER sla_open_lead_delete ON assignment`);
    await q.query(`DROP TRIGGER sla_open_lead_update ON assignment`);
    await q.query(`DROP TRIGGER sla_open_lead_insert ON assignment`);
    await q.query(`DROP FUNCTION sla_open_lead_changed()`);
    await q.query(`DROP INDEX assignment_completed_lead_idx`);
    await q.query(`DROP TABLE sla_open_lead`);
    await q.query(`DROP TABLE sla_rollup_dirty`);
    await q.query(`DROP TABLE sla_rollup_department_bucket`);
    await q.query(`DROP TABLE sla_rollup_bucket`);
    await q.query(`DROP TABLE sla_rollup`);
    await q.query(`DROP TABLE sla_rollup_state`);
  }
}
