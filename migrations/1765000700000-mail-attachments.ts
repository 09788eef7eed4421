import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Files a mail carries, as references into the object store (storage key, file name, content type):
 * the bytes stay in the store, so the outbox row stays small however large the file.
 */
export class MailAttachments1765000700000 implements MigrationInterface {
  name = "MailAttachments1765000700000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE mail_outbox ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'::jsonb
        CONSTRAINT mail_outbox_attachments_list CHECK (jsonb_typeof(attachments) = 'array')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN attachments`);
  }
}
