import { MigrationInterface, QueryRunner } from "typeorm";

export class MailOutbox1764900200000 implements MigrationInterface {
  name = "MailOutbox1764900200000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(30) NOT NULL CHECK (kind IN ('RESPONSE','ASSIGNMENT_NOTICE','OVERDUE_DIGEST')),
        to_address varchar(320) NOT NULL,
        subject varchar(300) NOT NULL,
        body text NOT NULL,
        response_id uuid REFERENCES response(id) ON DELETE SET NULL,
        dedupe_key varchar(200) UNIQUE,
        status varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENT','FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error varchar(500),
        message_id varchar(300),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    // The poller's only question: which pending mail is due now.
    await q.query(
      `CREATE INDEX mail_outbox_pending_idx ON mail_outbox (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await q.query(`CREATE INDEX mail_outbox_response_id_idx ON mail_outbox (response_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_outbox`);
  }
}
