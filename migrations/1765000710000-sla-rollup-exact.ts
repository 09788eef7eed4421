import type { MigrationInterface, QueryRunner } from "typeorm";

/** The advisory lock the rollup's writers share and its refresh takes alone (see sla-rollup.service). */
const LOCK = 5_305_117_001;

// The same rule as bucketSql("secs") in sla-rollup.service, frozen here as the migration's own.
const BUCKET =
  "(CASE WHEN secs >= 7776000 THEN 59 WHEN secs >= 2592000 THEN 50 + floor((secs - 2592000) / 604800)::int " +
  "WHEN secs >= 864000 THEN 30 + floor((secs - 864000) / 86400)::int " +
  "WHEN secs >= 432000 THEN 20 + floor((secs - 432000) / 43200)::int " +
  "WHEN secs >= 0 THEN 0 + floor((secs - 0) / 21600)::int ELSE 0 END)";

/**
 * Keeps rolled days exact in the writing transaction: a completed lead assignment that enters or leaves a
 * rolled day adds or takes its counts and histogram bucket there, so no day goes dirty and a page view
 * reads only the rollup and the day not rolled yet. Writers hold a shared advisory lock until they commit
 * and the refresh takes it exclusively, so a day is either rolled with a change or changed after its roll.
 * Dirty marks remain the fallback for a change whose contact is gone (a cascaded delete).
 */
export class SlaRollupExact1765000710000 implements MigrationInterface {
  name = "SlaRollupExact1765000710000";

  public async up(q: QueryRunner): Promise<void> {
    // Bumped with every change to a rolled day: readers key their cached sums on it.
    await q.query(`ALTER TABLE sla_rollup_state ADD COLUMN version bigint NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION sla_rollup_add(sign int, done timestamptz, due timestamptz, dept uuid, cat uuid,
                                     received timestamptz) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE tz varchar; through date; d date; secs float8; b int; under int; ontime int;
      BEGIN
        IF done IS NULL THEN RETURN; END IF;
        PERFORM pg_advisory_xact_lock_shared(${LOCK});
        SELECT time_zone, rolled_through INTO tz, through FROM sla_rollup_state WHERE id = 1;
        d := (done AT TIME ZONE tz)::date;
        -- Not rolled yet: the refresh that rolls this day waits for this transaction and sees it.
        IF tz IS NULL OR through IS NULL OR d >= through THEN RETURN; END IF;
        IF received IS NULL THEN
          INSERT INTO sla_rollup_dirty (day) VALUES (d) ON CONFLICT DO NOTHING;
          RETURN;
        END IF;
        secs := extract(epoch FROM done - received)::float8;
        b := ${BUCKET};
        under := CASE WHEN secs < 432000 THEN sign ELSE 0 END;
        ontime := CASE WHEN done <= due THEN sign ELSE 0 END;
        INSERT INTO sla_rollup AS r (day, department_id, category_id, completed, under_five_days, on_time)
          VALUES (d, dept, cat, sign, under, ontime)
          ON CONFLICT (day, department_id, category_id) DO UPDATE
          SET completed = r.completed + sign, under_five_days = r.under_five_days + under,
              on_time = r.on_time + ontime;
        INSERT INTO sla_rollup_bucket AS r (day, department_id, category_id, bucket, n)
          VALUES (d, dept, cat, b, sign)
          ON CONFLICT (day, department_id, category_id, bucket) DO UPDATE SET n = r.n + sign;
        INSERT INTO sla_rollup_department_bucket AS r (day, department_id, bucket, n)
          VALUES (d, dept, b, sign)
          ON CONFLICT (day, department_id, bucket) DO UPDATE SET n = r.n + sign;
        IF sign < 0 THEN
          -- A roll keeps no empty rows; neither do the changes.
          DELETE FROM sla_rollup WHERE day = d AND department_id = dept AND category_id = cat AND completed <= 0;
          DELETE FROM sla_rollup_bucket
            WHERE day = d AND department_id = dept AND category_id = cat AND bucket = b AND n <= 0;
          DELETE FROM sla_rollup_department_bucket
            WHERE day = d AND department_id = dept AND bucket = b AND n <= 0;
        END IF;
        -- Once per transaction: a row updated thousands of times in one transaction grows a long chain.
        IF current_setting('star.sla_rollup_changed', true) IS DISTINCT FROM 'on' THEN
          UPDATE sla_rollup_state SET version = version + 1 WHERE id = 1;
          PERFORM set_config('star.sla_rollup_changed', 'on', true);
        END IF;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION sla_rollup_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE cat uuid; received timestamptz;
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.is_lead AND OLD.status = 'COMPLETED' THEN
          cat := NULL; received := NULL;
          SELECT k.category_id, k.received_at INTO cat, received FROM contact k WHERE k.id = OLD.contact_id;
          PERFORM sla_rollup_add(-1, OLD.completed_at, OLD.due_at, OLD.department_id, cat, received);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.is_lead AND NEW.status = 'COMPLETED' THEN
          cat := NULL; received := NULL;
          SELECT k.category_id, k.received_at INTO cat, received FROM contact k WHERE k.id = NEW.contact_id;
          PERFORM sla_rollup_add(1, NEW.completed_at, NEW.due_at, NEW.department_id, cat, received);
        END IF;
        RETURN NULL;
      END $$`);
    // Only the columns a fact is made of: a version bump or a note leaves the rollup alone.
    await q.query(`DROP TRIGGER sla_rollup_assignment_update ON assignment`);
    await q.query(`
      CREATE TRIGGER sla_rollup_assignment_update AFTER UPDATE ON assignment
        FOR EACH ROW WHEN ((OLD.status = 'COMPLETED' OR NEW.status = 'COMPLETED')
                           AND (OLD.status IS DISTINCT FROM NEW.status
                                OR OLD.is_lead IS DISTINCT FROM NEW.is_lead
                                OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
                                OR OLD.due_at IS DISTINCT FROM NEW.due_at
                                OR OLD.department_id IS DISTINCT FROM NEW.department_id
                                OR OLD.contact_id IS DISTINCT FROM NEW.contact_id))
        EXECUTE FUNCTION sla_rollup_assignment_changed()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION sla_rollup_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM sla_rollup_add(-1, a.completed_at, a.due_at, a.department_id, OLD.category_id, OLD.received_at),
                sla_rollup_add(1, a.completed_at, a.due_at, a.department_id, NEW.category_id, NEW.received_at)
           FROM assignment a
          WHERE a.contact_id = NEW.id AND a.is_lead AND a.status = 'COMPLETED';
        UPDATE sla_open_lead SET received_at = NEW.received_at, category_id = NEW.category_id
          WHERE contact_id = NEW.id;
        RETURN NULL;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION sla_rollup_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM sla_rollup_mark(a.completed_at) FROM assignment a
          WHERE a.contact_id = NEW.id AND a.is_lead AND a.status = 'COMPLETED';
        UPDATE sla_open_lead SET received_at = NEW.received_at, category_id = NEW.category_id
          WHERE contact_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER sla_rollup_assignment_update ON assignment`);
    await q.query(`
      CREATE TRIGGER sla_rollup_assignment_update AFTER UPDATE ON assignment
        FOR EACH ROW WHEN (OLD.status = 'COMPLETED' OR NEW.status = 'COMPLETED')
        EXECUTE FUNCTION sla_rollup_assignment_changed()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION sla_rollup_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.is_lead AND OLD.status = 'COMPLETED' THEN
          PERFORM sla_rollup_mark(OLD.completed_at);
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.is_lead AND NEW.status = 'COMPLETED' THEN
          PERFORM sla_rollup_mark(NEW.completed_at);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION sla_rollup_add(int, timestamptz, timestamptz, uuid, uuid, timestamptz)`);
    await q.query(`ALTER TABLE sla_rollup_state DROP COLUMN version`);
  }
}
