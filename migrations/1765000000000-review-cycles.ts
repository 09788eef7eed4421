import type { MigrationInterface, QueryRunner } from "typeorm";

const OLD_KINDS = `'RESPONSE','ASSIGNMENT_NOTICE','OVERDUE_DIGEST'`;
const NEW_KINDS = `${OLD_KINDS},'REVIEW_MARK','REVIEW_PACKET'`;

export class ReviewCycles1765000000000 implements MigrationInterface {
  name = "ReviewCycles1765000000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_cycle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        week_start date NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','CLOSED')),
        started_by_id uuid NOT NULL REFERENCES staff_user(id),
        started_at timestamptz NOT NULL DEFAULT now(),
        closed_by_id uuid REFERENCES staff_user(id),
        closed_at timestamptz,
        total_at_close int,
        reviewed_at_close int,
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
      )`);
    // One open cycle city-wide: two reviewers starting the week at once get one cycle and one CONFLICT.
    await q.query(
      `CREATE UNIQUE INDEX review_cycle_one_open_idx ON review_cycle ((true)) WHERE status = 'OPEN'`,
    );
    await q.query(
      `CREATE INDEX review_cycle_week_start_idx ON review_cycle (week_start DESC, started_at DESC)`,
    );
    await q.query(`
      CREATE TABLE review_mark (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cycle_id uuid NOT NULL REFERENCES review_cycle(id) ON DELETE CASCADE,
        assignment_id uuid NOT NULL REFERENCES assignment(id) ON DELETE CASCADE,
        department_id uuid NOT NULL REFERENCES department(id),
        kind varchar(20) NOT NULL CHECK (kind IN ('OK','FOLLOW_UP','CONSISTENCY','POLICY')),
        note text,
        marked_by_id uuid NOT NULL REFERENCES staff_user(id),
        marked_at timestamptz NOT NULL DEFAULT now(),
        resolved_by_id uuid REFERENCES staff_user(id),
        resolved_at timestamptz,
        resolution_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT review_mark_cycle_assignment_key UNIQUE (cycle_id, assignment_id),
        CHECK (kind <> 'OK' OR resolved_at IS NULL)
      )`);
    await q.query(`CREATE INDEX review_mark_assignment_id_idx ON review_mark (assignment_id)`);
    // The department's flag: its unresolved concerns, whatever the cycle.
    await q.query(
      `CREATE INDEX review_mark_open_department_idx ON review_mark (department_id, assignment_id)
        WHERE kind <> 'OK' AND resolved_at IS NULL`,
    );
    await q.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check`);
    await q.query(
      `ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN (${NEW_KINDS}))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM mail_outbox WHERE kind IN ('REVIEW_MARK','REVIEW_PACKET')`);
    await q.query(`ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check`);
    await q.query(
      `ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check CHECK (kind IN (${OLD_KINDS}))`,
    );
    await q.query(`DROP TABLE review_mark`);
    await q.query(`DROP TABLE review_cycle`);
  }
}
