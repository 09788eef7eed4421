import type { MigrationInterface, QueryRunner } from "typeorm";

/** A department's name in Spanish, for the public pages and receipts; the English name stands in when unset. */
export class DepartmentNameEs1765001500000 implements MigrationInterface {
  name = "DepartmentNameEs1765001500000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE department ADD COLUMN name_es varchar(200)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE department DROP COLUMN name_es`);
  }
}
