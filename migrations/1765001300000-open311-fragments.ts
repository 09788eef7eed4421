import type { MigrationInterface, QueryRunner } from "typeorm";
import { config } from "../src/server/config/config";
import { progress } from "../src/server/logging/progress";

/**
 * Each open311_request row also holds its own GET requests entry, already written: the JSON object and
 * the XML <request> element, with the times in the zone recorded beside them. A page is then an index
 * range and a string_agg. Nothing here renders in the writing transaction: any change to what an entry
 * shows (the row's own columns, by a trigger on the row; a department's or a category's name or code)
 * clears the entry, and a reader renders the cleared rows of its page, as it masks the pending ones, before
 * it shows them. A row is rendered only once masked; a confidential row has no description or location
 * to write (the projection's check). Each rendering draws a new entry_key, so a reader that keeps a page's
 * text can tell from the keys alone that it is still what the rows hold.
 */

/** Every column an entry is written from; a change to any of them clears the entry. */
const INPUTS = [
  "reference_number",
  "received_at",
  "category_id",
  "confidential",
  "description",
  "description_pending",
  "address",
  "lat",
  "long",
  "root_reference",
  "closed",
  "in_progress",
  "updated_at",
  "due_at",
  "lead_department_id",
];

/** How a format writes a value; each gives SQL that is NULL for a null value. */
interface Encoding {
  /** Any text. */
  text(sql: string): string;
  /** Text that needs no escaping in either format (times, statuses), or that is escaped already. */
  safe(sql: string): string;
  /** A name's escaped text without quotes, to be put inside a longer text. */
  inner(sql: string): string;
  field(name: string, encoded: string, first: boolean): string;
  row(fields: string[]): string;
}

const JSON_ENCODING: Encoding = {
  text: (sql) => `to_json(${sql})::text`,
  safe: (sql) => `'"' || ${sql} || '"'`,
  inner: (sql) => `substr(to_json(${sql})::text, 2, length(to_json(${sql})::text) - 2)`,
  field: (name, encoded, first) => `'${first ? "{" : ","}"${name}":' || coalesce(${encoded}, 'null')`,
  row: (fields) => `${fields.join(" || ")} || '}'`,
};

const XML_ENCODING: Encoding = {
  text: (sql) => `open311_xml_text(${sql})`,
  safe: (sql) => sql,
  inner: (sql) => `open311_xml_text(${sql})`,
  field: (name, encoded) => `coalesce('<${name}>' || ${encoded} || '</${name}>', '<${name}/>')`,
  row: (fields) => `'<request>' || ${fields.join(" || ")} || '</request>'`,
};

/** One entry in the shape and field order open311-format.ts writes (p: the row with local times, d, cat). */
function entry(e: Encoding): string {
  const time = (t: string) => e.safe(`open311_time(p.${t}_local, p.${t}_offset)`);
  const notes = `CASE
    WHEN p.root_reference IS NOT NULL
      THEN ${e.text(`'Reported earlier as ' || p.root_reference || '; answered with that request.'`)}
    WHEN d.id IS NULL THEN CASE WHEN p.closed THEN ${e.safe(`'Closed.'`)} ELSE ${e.safe(`'Received.'`)} END
    WHEN p.closed THEN ${e.safe(`'Answered by ' || ${e.inner("d.name")} || '.'`)}
    WHEN p.in_progress THEN ${e.safe(`${e.inner("d.name")} || ' is working on this request.'`)}
    ELSE ${e.safe(`'Received and assigned to ' || ${e.inner("d.name")} || '.'`)} END`;
  const fields: [string, string | null][] = [
    ["service_request_id", e.text("p.reference_number")],
    ["status", e.safe(`CASE WHEN p.closed THEN 'closed' ELSE 'open' END`)],
    ["status_notes", notes],
    ["service_name", e.text("cat.name")],
    ["service_code", e.text("cat.open311_service_code")],
    ["description", e.text("p.description")],
    ["agency_responsible", e.text("d.name")],
    ["service_notice", null],
    ["requested_datetime", time("received")],
    ["updated_datetime", time("updated")],
    ["expected_datetime", time("due")],
    ["address", e.text("p.address")],
    ["address_id", null],
    ["zipcode", null],
    ["lat", "open311_number(p.lat)"],
    ["long", "open311_number(p.long)"],
    ["media_url", null],
  ];
  return e.row(fields.map(([name, sql], i) => e.field(name, sql ?? "NULL", i === 0)));
}

/** A time's wall time in the zone (tz) and the zone's offset then. */
const local = (t: string) =>
  `r.${t} AT TIME ZONE tz AS ${t.replace(/_at$/, "")}_local,
   round(date_part('epoch', r.${t} AT TIME ZONE tz) - date_part('epoch', r.${t}))::int
     AS ${t.replace(/_at$/, "")}_offset`;

export class Open311Fragments1765001300000 implements MigrationInterface {
  name = "Open311Fragments1765001300000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE open311_request ADD COLUMN json text, ADD COLUMN xml text, ADD COLUMN rendered_zone text,
        ADD COLUMN entry_key uuid,
        ADD CONSTRAINT open311_request_rendered_check CHECK (
          (json IS NULL) = (xml IS NULL) AND (json IS NULL) = (rendered_zone IS NULL)
          AND (json IS NULL) = (entry_key IS NULL) AND (json IS NULL OR NOT description_pending))`);
    await q.query(`
      CREATE FUNCTION open311_request_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.json := NULL;
        NEW.xml := NULL;
        NEW.rendered_zone := NULL;
        NEW.entry_key := NULL;
        RETURN NEW;
      END $$`);
    const row = (v: string) => `(${INPUTS.map((c) => `${v}.${c}`).join(", ")})`;
    await q.query(`
      CREATE TRIGGER open311_request_cleared BEFORE UPDATE ON open311_request FOR EACH ROW
        WHEN (${row("OLD")} IS DISTINCT FROM ${row("NEW")})
        EXECUTE FUNCTION open311_request_cleared()`);
    // Renders the given rows (locked by the caller) that are masked, in the zone tz; gives how many.
    await q.query(`
      CREATE FUNCTION open311_request_render(ids uuid[], tz text) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE rendered int;
      BEGIN
        UPDATE open311_request t SET json = f.json, xml = f.xml, rendered_zone = tz, entry_key = gen_random_uuid()
          FROM (
            SELECT p.contact_id, ${entry(JSON_ENCODING)} AS json, ${entry(XML_ENCODING)} AS xml
              FROM (SELECT r.*, ${local("received_at")}, ${local("updated_at")}, ${local("due_at")}
                      FROM open311_request r
                     WHERE r.contact_id = ANY(ids) AND NOT r.description_pending) p
              JOIN category cat ON cat.id = p.category_id
              LEFT JOIN department d ON d.id = p.lead_department_id) f
         WHERE t.contact_id = f.contact_id;
        GET DIAGNOSTICS rendered = ROW_COUNT;
        RETURN rendered;
      END $$`);
    // Names and codes are written into the entries: a rename clears the entries that show the old one.
    await q.query(`
      CREATE FUNCTION open311_department_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE open311_request r SET json = NULL, xml = NULL, rendered_zone = NULL, entry_key = NULL
         WHERE r.json IS NOT NULL AND r.lead_department_id = ANY(ARRAY(
                 SELECT n.id FROM n JOIN o ON o.id = n.id WHERE o.name IS DISTINCT FROM n.name));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER open311_department_update AFTER UPDATE ON department
        REFERENCING OLD TABLE AS o NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_department_changed()`);
    await q.query(`
      CREATE FUNCTION open311_category_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE open311_request r SET json = NULL, xml = NULL, rendered_zone = NULL, entry_key = NULL
         WHERE r.json IS NOT NULL AND r.category_id = ANY(ARRAY(
                 SELECT n.id FROM n JOIN o ON o.id = n.id
                  WHERE o.name IS DISTINCT FROM n.name
                     OR o.open311_service_code IS DISTINCT FROM n.open311_service_code));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER open311_category_update AFTER UPDATE ON category
        REFERENCING OLD TABLE AS o NEW TABLE AS n
        FOR EACH STATEMENT EXECUTE FUNCTION open311_category_changed()`);

    // Rendered in the configured zone now; rows still pending, or read in another zone, are rendered then.
    const tz = config().STAR_TIME_ZONE;
    const [{ n }]: { n: number }[] = await q.query(
      `SELECT count(*)::int AS n FROM open311_request WHERE NOT description_pending`,
    );
    const bar = progress("open311 fragments", n);
    const BATCH = 10_000;
    let last: string | null = null;
    let done = 0;
    for (;;) {
      const rows: { id: string }[] = await q.query(
        `SELECT contact_id AS id FROM open311_request
          WHERE NOT description_pending AND ($1::uuid IS NULL OR contact_id > $1::uuid)
          ORDER BY contact_id LIMIT ${BATCH}`,
        [last],
      );
      if (!rows.length) break;
      await q.query(`SELECT open311_request_render($1::uuid[], $2::text)`, [rows.map((r) => r.id), tz]);
      last = rows[rows.length - 1].id;
      done += rows.length;
      bar.tick(done);
    }
    bar.done();
    // Every row was rewritten: in receipt order again, a page is a few hundred adjacent heap pages.
    await q.query(`CLUSTER open311_request USING open311_request_received_idx`);
    await q.query(`ANALYZE open311_request`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER open311_category_update ON category`);
    await q.query(`DROP TRIGGER open311_department_update ON department`);
    await q.query(`DROP TRIGGER open311_request_cleared ON open311_request`);
    await q.query(`DROP FUNCTION open311_category_changed()`);
    await q.query(`DROP FUNCTION open311_department_changed()`);
    await q.query(`DROP FUNCTION open311_request_render(uuid[], text)`);
    await q.query(`DROP FUNCTION open311_request_cleared()`);
    await q.query(`
      ALTER TABLE open311_request DROP CONSTRAINT open311_request_rendered_check,
        DROP COLUMN json, DROP COLUMN xml, DROP COLUMN rendered_zone, DROP COLUMN entry_key`);
  }
}
