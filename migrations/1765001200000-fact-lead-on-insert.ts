import type { MigrationInterface, QueryRunner } from "typeorm";

const INSERT_FACT = `INSERT INTO contact_fact (contact_id, category_id, channel, received_at, confidential, zip)
          VALUES (NEW.id, NEW.category_id, NEW.channel, NEW.received_at, NEW.confidential,
                  CASE WHEN NOT NEW.confidential
                       THEN (SELECT cn.postal_code FROM constituent cn WHERE cn.id = NEW.constituent_id) END);`;

function contactChanged(afterInsert: string): string {
  return `
      CREATE OR REPLACE FUNCTION contact_fact_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${INSERT_FACT}${afterInsert}
        ELSE
          PERFORM contact_fact_refresh(ARRAY[NEW.id]);
        END IF;
        RETURN NULL;
      END $$`;
}

/**
 * A statement that writes a contact and its lead assignment together (the public form's submit) may fire
 * the assignment's trigger before the contact's: the lead refresh then finds no fact row, and the fact
 * row was written without its lead. The contact's trigger now takes up a lead that is already there.
 */
export class FactLeadOnInsert1765001200000 implements MigrationInterface {
  name = "FactLeadOnInsert1765001200000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      contactChanged(`
          IF EXISTS (SELECT 1 FROM assignment a WHERE a.contact_id = NEW.id AND a.is_lead) THEN
            PERFORM contact_fact_lead_refresh(ARRAY[NEW.id]);
          END IF;`),
    );
    // The rows written without their lead before this change.
    await q.query(`
      SELECT contact_fact_lead_refresh(array_agg(f.contact_id))
        FROM contact_fact f
       WHERE f.status IS NULL
         AND EXISTS (SELECT 1 FROM assignment a
                      WHERE a.contact_id = f.contact_id AND a.is_lead
                        AND a.status NOT IN ('TRANSFERRED', 'CANCELLED'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(contactChanged(""));
  }
}
