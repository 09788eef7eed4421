import type { MigrationInterface, QueryRunner } from "typeorm";

/** The lead columns of contact_fact that an assignment change can move. */
const LEAD_CHANGED = `OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.is_lead IS DISTINCT FROM NEW.is_lead
  OR OLD.status IS DISTINCT FROM NEW.status OR OLD.department_id IS DISTINCT FROM NEW.department_id
  OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.completed_at IS DISTINCT FROM NEW.completed_at`;

/**
 * The write path's contact_fact triggers do only what the change needs: a new contact's fact row is
 * written from the row itself (no assignment can exist yet), an assignment change rewrites only the lead
 * columns (the contact and zip columns cannot have moved), and saves that rewrite a column with the same
 * value no longer fire anything.
 */
export class CheaperTriggers1765000950000 implements MigrationInterface {
  name = "CheaperTriggers1765000950000";

  public async up(q: QueryRunner): Promise<void> {
    // hours_to_close reads the fact's received_at: the contact triggers keep it equal to the contact's.
    await q.query(`
      CREATE FUNCTION contact_fact_lead_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE contact_fact f
           SET department_id = la.department_id, status = la.status, due_at = la.due_at,
               completed_at = la.completed_at,
               hours_to_close = CASE WHEN la.status = 'COMPLETED'
                 THEN (extract(epoch FROM la.completed_at - f.received_at) / 3600.0)::float8 END
          FROM unnest(ids) AS x(id)
          LEFT JOIN assignment la
            ON la.contact_id = x.id AND la.is_lead AND la.status NOT IN ('TRANSFERRED', 'CANCELLED')
         WHERE f.contact_id = x.id;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION contact_fact_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM contact_fact_lead_refresh(ARRAY[OLD.contact_id]);
        ELSIF TG_OP = 'UPDATE' AND OLD.contact_id IS DISTINCT FROM NEW.contact_id THEN
          PERFORM contact_fact_lead_refresh(ARRAY[OLD.contact_id, NEW.contact_id]);
        ELSE
          PERFORM contact_fact_lead_refresh(ARRAY[NEW.contact_id]);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER contact_fact_assignment_update ON assignment`);
    await q.query(`
      CREATE TRIGGER contact_fact_assignment_update
        AFTER UPDATE OF contact_id, is_lead, status, department_id, due_at, completed_at ON assignment
        FOR EACH ROW WHEN ((OLD.is_lead OR NEW.is_lead) AND (${LEAD_CHANGED}))
        EXECUTE FUNCTION contact_fact_assignment_changed()`);
    // The assignment foreign key is not deferrable, so a contact being inserted has no lead yet.
    await q.query(`
      CREATE OR REPLACE FUNCTION contact_fact_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO contact_fact (contact_id, category_id, channel, received_at, confidential, zip)
          VALUES (NEW.id, NEW.category_id, NEW.channel, NEW.received_at, NEW.confidential,
                  CASE WHEN NOT NEW.confidential
                       THEN (SELECT cn.postal_code FROM constituent cn WHERE cn.id = NEW.constituent_id) END);
        ELSE
          PERFORM contact_fact_refresh(ARRAY[NEW.id]);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER contact_fact_contact_update ON contact`);
    await q.query(`
      CREATE TRIGGER contact_fact_contact_update
        AFTER UPDATE OF category_id, channel, received_at, confidential, constituent_id ON contact
        FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id
          OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.received_at IS DISTINCT FROM NEW.received_at
          OR OLD.confidential IS DISTINCT FROM NEW.confidential
          OR OLD.constituent_id IS DISTINCT FROM NEW.constituent_id)
        EXECUTE FUNCTION contact_fact_contact_changed()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER contact_fact_contact_update ON contact`);
    await q.query(`
      CREATE TRIGGER contact_fact_contact_update
        AFTER UPDATE OF category_id, channel, received_at, confidential, constituent_id ON contact
        FOR EACH ROW EXECUTE FUNCTION contact_fact_contact_changed()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION contact_fact_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM contact_fact_refresh(ARRAY[NEW.id]);
        RETURN NULL;
      END $$`);
    await q.query(`DROP TRIGGER contact_fact_assignment_update ON assignment`);
    await q.query(`
      CREATE TRIGGER contact_fact_assignment_update
        AFTER UPDATE OF contact_id, is_lead, status, department_id, due_at, completed_at ON assignment
        FOR EACH ROW WHEN (OLD.is_lead OR NEW.is_lead) EXECUTE FUNCTION contact_fact_assignment_changed()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION contact_fact_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(`DROP FUNCTION contact_fact_lead_refresh(uuid[])`);
  }
}
