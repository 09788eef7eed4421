import type { MigrationInterface, QueryRunner } from "typeorm";

/** Open311 GeoReport v2: the keys clients submit with (stored hashed) and the tokens POST answers with. */
export class Open311ApiKeys1765000300000 implements MigrationInterface {
  name = "Open311ApiKeys1765000300000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL CHECK (name <> ''),
        key_prefix varchar(20) NOT NULL,
        key_hash char(64) NOT NULL UNIQUE,
        created_by_id uuid REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by_id uuid REFERENCES staff_user(id),
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_key_created_by_id_idx ON api_key (created_by_id)`);
    await q.query(`CREATE INDEX api_key_revoked_by_id_idx ON api_key (revoked_by_id)`);
    await q.query(`
      CREATE TABLE open311_token (
        token varchar(40) PRIMARY KEY,
        contact_id uuid NOT NULL UNIQUE REFERENCES contact(id) ON DELETE CASCADE,
        api_key_id uuid NOT NULL REFERENCES api_key(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX open311_token_api_key_id_idx ON open311_token (api_key_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE open311_token`);
    await q.query(`DROP TABLE api_key`);
  }
}
