import { MigrationInterface, QueryRunner } from "typeorm";

export class TransfersDuplicates1764900100000 implements MigrationInterface {
  name = "TransfersDuplicates1764900100000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assignment ADD COLUMN transferred_from_id uuid REFERENCES assignment(id)`);
    await q.query(`ALTER TABLE assignment ADD COLUMN reason text`);
    await q.query(`CREATE INDEX assignment_transferred_from_id_idx ON assignment (transferred_from_id)`);
    // One active supporting assignment per department and contact, even when two requests race.
    await q.query(`
      CREATE UNIQUE INDEX assignment_one_active_support ON assignment (contact_id, department_id)
        WHERE NOT is_lead AND status IN ('OPEN','IN_PROGRESS')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX assignment_one_active_support`);
    await q.query(`DROP INDEX assignment_transferred_from_id_idx`);
    await q.query(`ALTER TABLE assignment DROP COLUMN reason`);
    await q.query(`ALTER TABLE assignment DROP COLUMN transferred_from_id`);
  }
}
