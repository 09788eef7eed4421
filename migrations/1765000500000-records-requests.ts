import type { MigrationInterface, QueryRunner } from "typeorm";

/** Public records requests and the packages that fulfil them. */
export class RecordsRequests1765000500000 implements MigrationInterface {
  name = "RecordsRequests1765000500000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE records_request_reference_seq`);
    await q.query(`
      CREATE TABLE records_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference_number varchar(30) NOT NULL UNIQUE,
        requester_name varchar(200) NOT NULL,
        requester_email varchar(320),
        requester_organization varchar(200),
        received_at timestamptz NOT NULL,
        description varchar(4000) NOT NULL,
        scope jsonb NOT NULL CHECK (jsonb_typeof(scope) = 'object'),
        due_at timestamptz NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'RECEIVED' CHECK (status IN ('RECEIVED','PRODUCED','CLOSED')),
        recorded_by_id uuid REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        produced_at timestamptz,
        produced_by_id uuid REFERENCES staff_user(id),
        package_storage_key varchar(300),
        package_sha256 char(64),
        package_size_bytes bigint,
        counts jsonb,
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        CHECK (status = 'RECEIVED' OR produced_at IS NOT NULL OR closed_at IS NOT NULL),
        CHECK ((package_storage_key IS NULL) = (package_sha256 IS NULL))
      )`);
    await q.query(`CREATE INDEX records_request_due_at_idx ON records_request (due_at)`);
    await q.query(`CREATE INDEX records_request_status_idx ON records_request (status, due_at)`);
    await q.query(`CREATE INDEX records_request_recorded_by_id_idx ON records_request (recorded_by_id)`);
    await q.query(`CREATE INDEX records_request_produced_by_id_idx ON records_request (produced_by_id)`);
    // The audit log page filters by time and action, newest first.
    await q.query(`CREATE INDEX audit_event_at_idx ON audit_event (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_event_action_at_idx ON audit_event (action, at DESC)`);
    // A records scope's words are looked up in responses too (contacts already have description_tsv).
    await q.query(
      `CREATE INDEX response_body_tsv_idx ON response USING gin (to_tsvector('simple'::regconfig, body))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX response_body_tsv_idx`);
    await q.query(`DROP INDEX audit_event_action_at_idx`);
    await q.query(`DROP INDEX audit_event_at_idx`);
    await q.query(`DROP TABLE records_request`);
    await q.query(`DROP SEQUENCE records_request_reference_seq`);
  }
}
