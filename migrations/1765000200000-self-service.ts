import type { MigrationInterface, QueryRunner } from "typeorm";

/** The mail kinds allowed now, read from the constraint itself so that other migrations' kinds survive. */
async function mailKinds(q: QueryRunner): Promise<string[]> {
  const rows: { def: string }[] = await q.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'mail_outbox_kind_check'`,
  );
  return [...(rows[0]?.def ?? "").matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
}

async function setMailKinds(q: QueryRunner, kinds: string[]): Promise<void> {
  await q.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check`);
  await q.query(
    `ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN (${kinds
      .map((k) => `'${k}'`)
      .join(",")}))`,
  );
}

export class SelfService1765000200000 implements MigrationInterface {
  name = "SelfService1765000200000";

  public async up(q: QueryRunner): Promise<void> {
    // Only a hash of the code on the receipt: a leaked table cannot open anyone's status page.
    await q.query(`
      CREATE TABLE public_tracking_code (
        contact_id uuid PRIMARY KEY REFERENCES contact(id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE public_rate_limit (
        bucket varchar(10) NOT NULL,
        client_hash char(64) NOT NULL,
        window_start timestamptz NOT NULL,
        hits int NOT NULL DEFAULT 0,
        PRIMARY KEY (bucket, client_hash, window_start)
      )`);
    await q.query(`CREATE INDEX public_rate_limit_window_start_idx ON public_rate_limit (window_start)`);
    // The public form matches a submitter to the record on file by exact email.
    await q.query(`CREATE INDEX constituent_email_lower_idx ON constituent (lower(email))`);
    await setMailKinds(q, [...new Set([...(await mailKinds(q)), "PUBLIC_RECEIPT"])]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM mail_outbox WHERE kind = 'PUBLIC_RECEIPT'`);
    await setMailKinds(
      q,
      (await mailKinds(q)).filter((k) => k !== "PUBLIC_RECEIPT"),
    );
    await q.query(`DROP INDEX constituent_email_lower_idx`);
    await q.query(`DROP TABLE public_rate_limit`);
    await q.query(`DROP TABLE public_tracking_code`);
  }
}
