import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Personal API tokens and saved queries for analysts, and indexes for analyst filters and aggregates:
 * the lead assignment's figures beside its contact id, so that the statistics join reads one narrow index
 * instead of the assignment table.
 */
export class AnalystWorkspace1765000400000 implements MigrationInterface {
  name = "AnalystWorkspace1765000400000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        prefix varchar(20) NOT NULL,
        token_hash varchar(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_token_owner_id_idx ON api_token (owner_id)`);
    await q.query(`
      CREATE TABLE saved_query (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        query text NOT NULL,
        variables text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX saved_query_owner_name_idx ON saved_query (owner_id, name)`);
    await q.query(`
      CREATE INDEX assignment_lead_stats_idx ON assignment (contact_id)
        INCLUDE (department_id, status, assigned_at, due_at, completed_at)
        WHERE is_lead AND status NOT IN ('TRANSFERRED','CANCELLED')`);
    await q.query(`CREATE INDEX constituent_postal_code_idx ON constituent (postal_code)`);
    await q.query(`CREATE INDEX contact_channel_received_idx ON contact (channel, received_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contact_channel_received_idx`);
    await q.query(`DROP INDEX constituent_postal_code_idx`);
    await q.query(`DROP INDEX assignment_lead_stats_idx`);
    await q.query(`DROP TABLE saved_query`);
    await q.query(`DROP TABLE api_token`);
  }
}
