import type { MigrationInterface, QueryRunner } from "typeorm";

/** The advisory lock the cells' writers share and their rebuild takes alone. */
const LOCK = 5_305_117_002;

/** Histogram buckets of hours to close: see bucketOf in contact-stats-cells.ts (the same rule). */
export const CELL_BUCKETS = 64;
const hs = Array.from({ length: CELL_BUCKETS }, (_, i) => `h${i}`);

// [0, 1) hours, then 62 bands of equal ratio up to 90 days (2,160 hours), then everything longer.
const BUCKET = (h: string) =>
  `(CASE WHEN ${h} IS NULL THEN NULL WHEN ${h} < 1 THEN 0 WHEN ${h} >= 2160 THEN 63
         ELSE 1 + floor(ln(${h}) / ln(2160) * 62)::int END)`;

/** Adds (sign 1) or takes (sign -1) one fact's part of its two cells. */
const CELL_ADD = `
  CREATE FUNCTION contact_stats_cell_add(sign int, tz varchar, f contact_fact) RETURNS void
  LANGUAGE plpgsql AS $$
  DECLARE
    wk date := date_trunc('week', f.received_at AT TIME ZONE tz)::date;
    opened int := CASE WHEN f.status IN ('OPEN', 'IN_PROGRESS') THEN sign ELSE 0 END;
    closed int := CASE WHEN f.status = 'COMPLETED' THEN sign ELSE 0 END;
    hours numeric := CASE WHEN f.status = 'COMPLETED' THEN sign * f.hours_to_close::numeric ELSE 0 END;
    b int := CASE WHEN f.status = 'COMPLETED' THEN ${BUCKET("f.hours_to_close")} END;
    left_n int;
  BEGIN
    FOR k IN 1..2 LOOP
      INSERT INTO contact_stats_cell AS c (kind, week, category_id, department_id, channel, zip, n, open_n,
                                           closed_n, hours_sum, ${hs.join(", ")})
      VALUES (k, wk,
              CASE WHEN k = 1 THEN f.category_id END, CASE WHEN k = 1 THEN f.department_id END,
              CASE WHEN k = 1 THEN f.channel END, CASE WHEN k = 2 THEN f.zip END,
              sign, opened, closed, hours,
              ${hs.map((_, i) => `CASE WHEN b = ${i} THEN sign ELSE 0 END`).join(", ")})
      ON CONFLICT (kind, week, category_id, department_id, channel, zip) DO UPDATE SET
        n = c.n + EXCLUDED.n, open_n = c.open_n + EXCLUDED.open_n, closed_n = c.closed_n + EXCLUDED.closed_n,
        hours_sum = c.hours_sum + EXCLUDED.hours_sum,
        ${hs.map((h) => `${h} = c.${h} + EXCLUDED.${h}`).join(", ")}
      RETURNING c.n INTO left_n;
      -- No empty cells: a cell is only ever the sum of the facts in it.
      IF left_n = 0 THEN
        DELETE FROM contact_stats_cell c
         WHERE c.kind = k AND c.week = wk
           AND c.category_id IS NOT DISTINCT FROM CASE WHEN k = 1 THEN f.category_id END
           AND c.department_id IS NOT DISTINCT FROM CASE WHEN k = 1 THEN f.department_id END
           AND c.channel IS NOT DISTINCT FROM CASE WHEN k = 1 THEN f.channel END
           AND c.zip IS NOT DISTINCT FROM CASE WHEN k = 2 THEN f.zip END
           AND c.n = 0;
      END IF;
    END LOOP;
  END $$`;

const FACT_CHANGED = `
  CREATE FUNCTION contact_stats_fact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE tz varchar;
  BEGIN
    PERFORM pg_advisory_xact_lock_shared(${LOCK});
    SELECT time_zone INTO tz FROM contact_stats_state WHERE id = 1;
    -- Not built yet (or being rebuilt for another zone): the build reads the facts themselves.
    IF tz IS NULL THEN RETURN NULL; END IF;
    -- The smaller key first, so that two writers moving facts between the same cells lock them in one order.
    IF TG_OP = 'UPDATE' AND (OLD.category_id, OLD.department_id, OLD.channel, OLD.zip, OLD.received_at)::text
                            > (NEW.category_id, NEW.department_id, NEW.channel, NEW.zip, NEW.received_at)::text THEN
      PERFORM contact_stats_cell_add(1, tz, NEW);
      PERFORM contact_stats_cell_add(-1, tz, OLD);
      RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN PERFORM contact_stats_cell_add(-1, tz, OLD); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM contact_stats_cell_add(1, tz, NEW); END IF;
    RETURN NULL;
  END $$`;

/**
 * A histogram's median, as percentile_cont takes it (between the middle two values when there are two),
 * each middle value placed within its bucket by its rank there (geometrically in the equal-ratio bands).
 * Each is off by less than its bucket's width, so the median is off by less than an hour or a band's
 * ratio.
 */
const MEDIAN = `
  CREATE FUNCTION contact_stats_median(h int[]) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
  DECLARE total bigint := 0; m float8; want bigint[]; got float8[] := '{}'; before bigint; k int; t float8;
          lo float8; j bigint;
  BEGIN
    FOR b IN 1..${CELL_BUCKETS} LOOP total := total + coalesce(h[b], 0); END LOOP;
    IF total = 0 THEN RETURN NULL; END IF;
    m := (total - 1) / 2.0;
    want := ARRAY[floor(m)::bigint, ceil(m)::bigint];
    FOREACH j IN ARRAY want LOOP
      before := 0;
      FOR b IN 0..${CELL_BUCKETS - 1} LOOP
        k := coalesce(h[b + 1], 0);
        IF j < before + k THEN
          t := (j - before + 0.5) / k;
          lo := exp((b - 1) / 62.0 * ln(2160));
          got := got || CASE WHEN b = 0 THEN t WHEN b = ${CELL_BUCKETS - 1} THEN 2160
                             ELSE lo * power(exp(ln(2160) / 62.0), t) END;
          EXIT;
        END IF;
        before := before + k;
      END LOOP;
    END LOOP;
    RETURN got[1] + (got[2] - got[1]) * (m - floor(m));
  END $$`;

/** Empties the cells and sums every fact into them again, for the zone given. */
const REBUILD = `
  CREATE FUNCTION contact_stats_rebuild(tz varchar) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_advisory_xact_lock(${LOCK});
    DELETE FROM contact_stats_cell;
    WITH f AS (
      SELECT date_trunc('week', received_at AT TIME ZONE tz)::date AS week, category_id, department_id, channel,
             zip, CASE WHEN status IN ('OPEN', 'IN_PROGRESS') THEN 1 ELSE 0 END AS opened,
             CASE WHEN status = 'COMPLETED' THEN 1 ELSE 0 END AS closed,
             CASE WHEN status = 'COMPLETED' THEN hours_to_close::numeric ELSE 0 END AS hours,
             CASE WHEN status = 'COMPLETED' THEN ${BUCKET("hours_to_close")} END AS b
        FROM contact_fact)
    INSERT INTO contact_stats_cell (kind, week, category_id, department_id, channel, zip, n, open_n, closed_n,
                                    hours_sum, ${hs.join(", ")})
    SELECT CASE WHEN GROUPING(zip) = 1 THEN 1 ELSE 2 END, week, category_id, department_id, channel, zip,
           count(*), sum(opened), sum(closed), sum(hours),
           ${hs.map((_, i) => `count(*) FILTER (WHERE b = ${i})`).join(", ")}
      FROM f
     GROUP BY GROUPING SETS ((week, category_id, department_id, channel), (week, zip));
    UPDATE contact_stats_state SET time_zone = tz, built_at = now() WHERE id = 1;
  END $$`;

/**
 * Analysts' counts per week, category, department and channel (kind 1) and per week and zip (kind 2),
 * kept exact from contact_fact by a trigger in the writing transaction, with a histogram of hours to
 * close so that a median can be estimated without reading every fact. The cells are built for one time
 * zone (the city's, which gives the weeks) by contact_stats_rebuild, which the app runs when the zone it
 * is configured with is not the one the cells were built for; until then contactStats reads the facts.
 */
export class ContactStatsCells1765001250000 implements MigrationInterface {
  name = "ContactStatsCells1765001250000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_stats_state (
        id int PRIMARY KEY CHECK (id = 1),
        time_zone varchar(64),
        built_at timestamptz
      )`);
    await q.query(`INSERT INTO contact_stats_state (id) VALUES (1)`);
    await q.query(`
      CREATE TABLE contact_stats_cell (
        kind smallint NOT NULL CHECK (kind IN (1, 2)),
        week date NOT NULL,
        category_id uuid,
        department_id uuid,
        channel varchar(20),
        zip varchar(20),
        n int NOT NULL,
        open_n int NOT NULL,
        closed_n int NOT NULL,
        hours_sum numeric NOT NULL,
        ${hs.map((h) => `${h} int NOT NULL DEFAULT 0`).join(",\n        ")},
        CONSTRAINT contact_stats_cell_key
          UNIQUE NULLS NOT DISTINCT (kind, week, category_id, department_id, channel, zip)
      )`);
    await q.query(CELL_ADD);
    await q.query(FACT_CHANGED);
    await q.query(REBUILD);
    await q.query(MEDIAN);
    // Deferred to the commit: a cell row is locked from when it is written until the transaction ends,
    // so written at once it held every other intake of that week, category and channel for the rest of
    // the transaction; at the commit it is held only as long as the commit takes.
    await q.query(`
      CREATE CONSTRAINT TRIGGER contact_stats_fact_write AFTER INSERT OR DELETE ON contact_fact
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION contact_stats_fact_changed()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER contact_stats_fact_update AFTER UPDATE ON contact_fact
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN ((OLD.category_id, OLD.department_id, OLD.channel, OLD.zip, OLD.received_at,
                            OLD.status, OLD.hours_to_close)
                           IS DISTINCT FROM (NEW.category_id, NEW.department_id, NEW.channel, NEW.zip,
                                             NEW.received_at, NEW.status, NEW.hours_to_close))
        EXECUTE FUNCTION contact_stats_fact_changed()`);
    // Overdue counts are read live (they move with the clock): from the index alone.
    await q.query(`DROP INDEX contact_fact_open_due_idx`);
    await q.query(`
      CREATE INDEX contact_fact_open_due_idx ON contact_fact (due_at)
        INCLUDE (category_id, department_id, channel, zip, received_at)
        WHERE status IN ('OPEN', 'IN_PROGRESS')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contact_fact_open_due_idx`);
    await q.query(
      `CREATE INDEX contact_fact_open_due_idx ON contact_fact (due_at) WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(`DROP TRIGGER contact_stats_fact_update ON contact_fact`);
    await q.query(`DROP TRIGGER contact_stats_fact_write ON contact_fact`);
    await q.query(`DROP FUNCTION contact_stats_median(int[])`);
    await q.query(`DROP FUNCTION contact_stats_rebuild(varchar)`);
    await q.query(`DROP FUNCTION contact_stats_fact_changed()`);
    await q.query(`DROP FUNCTION contact_stats_cell_add(int, varchar, contact_fact)`);
    await q.query(`DROP TABLE contact_stats_cell`);
    await q.query(`DROP TABLE contact_stats_state`);
  }
}
