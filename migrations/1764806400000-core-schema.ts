import { MigrationInterface, QueryRunner } from "typeorm";

export class CoreSchema1764806400000 implements MigrationInterface {
  name = "CoreSchema1764806400000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE department (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        email varchar(320),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE category (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(60) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        name_es varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        description_es text NOT NULL DEFAULT '',
        department_id uuid NOT NULL REFERENCES department(id),
        sla_business_days int NOT NULL CHECK (sla_business_days BETWEEN 0 AND 365),
        standard_response text NOT NULL DEFAULT '',
        standard_response_es text NOT NULL DEFAULT '',
        open311_service_code varchar(40) UNIQUE,
        open311_attributes jsonb NOT NULL DEFAULT '[]'::jsonb,
        keywords text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX category_department_id_idx ON category (department_id)`);

    await q.query(`
      CREATE TABLE staff_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(320) NOT NULL UNIQUE CHECK (email = lower(email)),
        name varchar(200) NOT NULL,
        role varchar(20) NOT NULL CHECK (role IN ('INTAKE','DEPARTMENT','REVIEWER','ANALYST','ADMIN')),
        department_id uuid REFERENCES department(id),
        password_hash varchar(300),
        active boolean NOT NULL DEFAULT true,
        failed_sign_ins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role <> 'DEPARTMENT' OR department_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX staff_user_department_id_idx ON staff_user (department_id)`);

    await q.query(`
      CREATE TABLE constituent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name varchar(100),
        last_name varchar(100),
        organization varchar(200),
        email varchar(320),
        phone varchar(20),
        address_line1 varchar(200),
        address_line2 varchar(200),
        city varchar(100),
        state varchar(40),
        postal_code varchar(20),
        preferred_language varchar(5) NOT NULL DEFAULT 'en',
        preferred_channel varchar(20),
        outreach_consent jsonb NOT NULL DEFAULT '{}'::jsonb,
        merged_into_id uuid REFERENCES constituent(id),
        name_key text NOT NULL DEFAULT '',
        address_key text NOT NULL DEFAULT '',
        created_by_id uuid REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX constituent_name_key_trgm ON constituent USING gin (name_key gin_trgm_ops)`);
    await q.query(`CREATE INDEX constituent_email_trgm ON constituent USING gin (lower(email) gin_trgm_ops)`);
    await q.query(
      `CREATE INDEX constituent_address_key_trgm ON constituent USING gin (address_key gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX constituent_phone_idx ON constituent (phone)`);
    await q.query(`CREATE INDEX constituent_merged_into_id_idx ON constituent (merged_into_id)`);
    await q.query(`CREATE INDEX constituent_created_by_id_idx ON constituent (created_by_id)`);

    await q.query(`CREATE SEQUENCE contact_reference_seq`);
    await q.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference_number varchar(30) NOT NULL UNIQUE,
        channel varchar(20) NOT NULL
          CHECK (channel IN ('PHONE','LETTER','EMAIL','FAX','IN_PERSON','VOICEMAIL','WEB','OPEN311')),
        received_at timestamptz NOT NULL,
        entered_at timestamptz NOT NULL DEFAULT now(),
        entered_by_id uuid REFERENCES staff_user(id),
        category_id uuid NOT NULL REFERENCES category(id),
        description varchar(4000) NOT NULL,
        description_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, description)) STORED,
        location_address varchar(300),
        location_lat double precision CHECK (location_lat BETWEEN -90 AND 90),
        location_long double precision CHECK (location_long BETWEEN -180 AND 180),
        constituent_id uuid REFERENCES constituent(id),
        confidential boolean NOT NULL DEFAULT false,
        language varchar(5) NOT NULL DEFAULT 'en',
        duplicate_of_id uuid REFERENCES contact(id),
        public_record_notice_given boolean NOT NULL DEFAULT false,
        CHECK (NOT confidential OR constituent_id IS NULL)
      )`);
    await q.query(
      `CREATE INDEX contact_constituent_received_idx ON contact (constituent_id, received_at DESC)`,
    );
    await q.query(`CREATE INDEX contact_category_id_idx ON contact (category_id)`);
    await q.query(`CREATE INDEX contact_entered_by_id_idx ON contact (entered_by_id)`);
    await q.query(`CREATE INDEX contact_duplicate_of_id_idx ON contact (duplicate_of_id)`);
    await q.query(`CREATE INDEX contact_received_at_idx ON contact (received_at)`);
    await q.query(`CREATE INDEX contact_description_tsv_idx ON contact USING gin (description_tsv)`);

    await q.query(`
      CREATE TABLE assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        department_id uuid NOT NULL REFERENCES department(id),
        is_lead boolean NOT NULL DEFAULT true,
        status varchar(20) NOT NULL DEFAULT 'OPEN'
          CHECK (status IN ('OPEN','IN_PROGRESS','COMPLETED','TRANSFERRED','CANCELLED')),
        assignee_id uuid REFERENCES staff_user(id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX assignment_contact_id_idx ON assignment (contact_id)`);
    await q.query(
      `CREATE INDEX assignment_department_status_idx ON assignment (department_id, status, due_at)`,
    );
    await q.query(`CREATE INDEX assignment_assignee_id_idx ON assignment (assignee_id)`);
    // One lead per contact: the department that answers, so answers do not conflict.
    await q.query(`
      CREATE UNIQUE INDEX assignment_one_active_lead ON assignment (contact_id)
        WHERE is_lead AND status NOT IN ('TRANSFERRED','CANCELLED')`);

    await q.query(`
      CREATE TABLE response (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL REFERENCES assignment(id) ON DELETE CASCADE,
        kind varchar(10) NOT NULL DEFAULT 'RESPONSE' CHECK (kind IN ('RESPONSE','NOTE')),
        body text NOT NULL,
        channel varchar(20) CHECK (channel IN ('PHONE','LETTER','EMAIL','IN_PERSON','WEB')),
        sent_at timestamptz,
        author_id uuid REFERENCES staff_user(id),
        is_final boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX response_assignment_id_idx ON response (assignment_id)`);
    await q.query(`CREATE INDEX response_author_id_idx ON response (author_id)`);

    await q.query(`
      CREATE TABLE attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid REFERENCES contact(id) ON DELETE CASCADE,
        response_id uuid REFERENCES response(id) ON DELETE CASCADE,
        file_name varchar(255) NOT NULL,
        content_type varchar(100) NOT NULL,
        size_bytes int NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL,
        storage_key varchar(300) NOT NULL,
        uploaded_by_id uuid REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachment_contact_id_idx ON attachment (contact_id)`);
    await q.query(`CREATE INDEX attachment_response_id_idx ON attachment (response_id)`);
    await q.query(`CREATE INDEX attachment_uploaded_by_id_idx ON attachment (uploaded_by_id)`);

    await q.query(`
      CREATE TABLE confidential_callback (
        contact_id uuid PRIMARY KEY REFERENCES contact(id) ON DELETE CASCADE,
        phone varchar(20),
        email varchar(320),
        created_at timestamptz NOT NULL DEFAULT now(),
        purge_after timestamptz,
        CHECK (phone IS NOT NULL OR email IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES staff_user(id),
        action varchar(60) NOT NULL,
        entity_type varchar(40) NOT NULL,
        entity_id varchar(60) NOT NULL,
        before jsonb,
        after jsonb,
        reason text
      )`);
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id)`);
    await q.query(`CREATE INDEX audit_event_actor_id_idx ON audit_event (actor_id)`);
    // Append-only: history is evidence for public records and the weekly review.
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
    await q.query(`DROP TABLE confidential_callback`);
    await q.query(`DROP TABLE attachment`);
    await q.query(`DROP TABLE response`);
    await q.query(`DROP TABLE assignment`);
    await q.query(`DROP TABLE contact`);
    await q.query(`DROP SEQUENCE contact_reference_seq`);
    await q.query(`DROP TABLE constituent`);
    await q.query(`DROP TABLE staff_user`);
    await q.query(`DROP TABLE category`);
    await q.query(`DROP TABLE department`);
  }
}
