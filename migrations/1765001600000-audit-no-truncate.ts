import type { MigrationInterface, QueryRunner } from "typeorm";

/** The audit log refuses TRUNCATE too: a row trigger does not fire for it, a statement trigger does. */
export class AuditNoTruncate1765001600000 implements MigrationInterface {
  name = "AuditNoTruncate1765001600000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_event_no_truncate ON audit_event`);
  }
}
