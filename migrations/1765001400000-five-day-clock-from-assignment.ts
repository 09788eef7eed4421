import type { MigrationInterface, QueryRunner } from "typeorm";

/** The advisory lock the rollup's writers share and its refresh takes alone (see sla-rollup.service). */
const LOCK = 5_305_117_001;

/**
 * The five-day clock starts when the request was first assigned (the contact's entry, when intake routes
 * it), not when it was received: the figure is completed minus assigned. A transfer still does not reset
 * it. The rollup is emptied so that the next refresh rebuilds it on the new clock; until then the report
 * reads every day live, so no figure is ever computed on a mix of the two.
 */
export class FiveDayClockFromAssignment1765001400000 implements MigrationInterface {
  name = "FiveDayClockFromAssignment1765001400000";

  public async up(q: QueryRunner): Promise<void> {
    await clockFrom(q, "entered_at", "started_at", "received_at");
  }

  public async down(q: QueryRunner): Promise<void> {
    await clockFrom(q, "received_at", "received_at", "started_at");
  }
}

/** Points the rollup's triggers and the open-backlog table at one of the contact's times. */
async function clockFrom(q: QueryRunner, contactColumn: string, openColumn: string, oldOpenColumn: string) {
  await q.query(`ALTER TABLE sla_open_lead RENAME COLUMN ${oldOpenColumn} TO ${openColumn}`);
  await q.query(
    `UPDATE sla_open_lead o SET ${openColumn} = k.${contactColumn} FROM contact k WHERE k.id = o.contact_id`,
  );
  await q.query(`
    CREATE OR REPLACE FUNCTION sla_open_lead_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM sla_open_lead WHERE assignment_id = OLD.id;
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.is_lead AND NEW.status IN ('OPEN', 'IN_PROGRESS') THEN
        INSERT INTO sla_open_lead (assignment_id, contact_id, department_id, category_id, ${openColumn})
        SELECT NEW.id, NEW.contact_id, NEW.department_id, k.category_id, k.${contactColumn}
          FROM contact k WHERE k.id = NEW.contact_id;
      END IF;
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE OR REPLACE FUNCTION sla_rollup_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE cat uuid; started timestamptz;
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.is_lead AND OLD.status = 'COMPLETED' THEN
        cat := NULL; started := NULL;
        SELECT k.category_id, k.${contactColumn} INTO cat, started FROM contact k WHERE k.id = OLD.contact_id;
        PERFORM sla_rollup_add(-1, OLD.completed_at, OLD.due_at, OLD.department_id, cat, started);
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.is_lead AND NEW.status = 'COMPLETED' THEN
        cat := NULL; started := NULL;
        SELECT k.category_id, k.${contactColumn} INTO cat, started FROM contact k WHERE k.id = NEW.contact_id;
        PERFORM sla_rollup_add(1, NEW.completed_at, NEW.due_at, NEW.department_id, cat, started);
      END IF;
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE OR REPLACE FUNCTION sla_rollup_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM sla_rollup_add(-1, a.completed_at, a.due_at, a.department_id, OLD.category_id, OLD.${contactColumn}),
              sla_rollup_add(1, a.completed_at, a.due_at, a.department_id, NEW.category_id, NEW.${contactColumn})
         FROM assignment a
        WHERE a.contact_id = NEW.id AND a.is_lead AND a.status = 'COMPLETED';
      UPDATE sla_open_lead SET ${openColumn} = NEW.${contactColumn}, category_id = NEW.category_id
        WHERE contact_id = NEW.id;
      RETURN NULL;
    END $$`);
  await q.query(`DROP TRIGGER sla_rollup_contact_update ON contact`);
  await q.query(`
    CREATE TRIGGER sla_rollup_contact_update AFTER UPDATE OF ${contactColumn}, category_id ON contact
      FOR EACH ROW WHEN (OLD.${contactColumn} IS DISTINCT FROM NEW.${contactColumn}
                         OR OLD.category_id IS DISTINCT FROM NEW.category_id)
      EXECUTE FUNCTION sla_rollup_contact_changed()`);
  // Every rolled day was counted on the other clock: empty it all, under the refresh's own lock.
  await q.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
  for (const table of [
    "sla_rollup",
    "sla_rollup_bucket",
    "sla_rollup_department_bucket",
    "sla_rollup_dirty",
  ]) {
    await q.query(`DELETE FROM ${table}`);
  }
  await q.query(`UPDATE sla_rollup_state SET rolled_through = NULL, version = version + 1`);
}
