import type { DataSource, EntityManager } from "typeorm";
import { config } from "../config/config";
import { logger } from "../logging/logger";

/*
 * contact_stats_cell (migration 1765001250000) holds the analysts' counts per week, category, department
 * and channel (kind 1) and per week and zip (kind 2), kept exact by a trigger on contact_fact, with a
 * histogram of hours to close in columns h0..h63: [0, 1) hours, then 62 bands of equal ratio up to 2,160
 * hours (90 days), then everything longer. contact_stats_median(int[]) estimates a median from them.
 */
export const CELL_BUCKETS = 64;
/** Each band's upper edge over its lower one: an estimated median is off by less than this ratio. */
export const BAND_RATIO = Math.exp(Math.log(2160) / 62);

/** The zone the cells were built for, or null while they are not built. */
export async function cellsZone(db: DataSource | EntityManager): Promise<string | null> {
  const [state]: { time_zone: string | null }[] = await db.query(
    `SELECT time_zone FROM contact_stats_state WHERE id = 1`,
  );
  return state?.time_zone ?? null;
}

/**
 * Builds the cells for the configured time zone when they were built for none or another one. Safe to
 * run on every start from every node: the rebuild waits for writers in flight and holds new ones until
 * it commits, and a second node finds the zone already right.
 */
export async function ensureContactStatsCells(ds: DataSource): Promise<boolean> {
  const tz = config().STAR_TIME_ZONE;
  if ((await cellsZone(ds)) === tz) return false;
  const started = Date.now();
  await ds.transaction(async (em) => {
    await em.query(`INSERT INTO contact_stats_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
    await em.query(`SELECT 1 FROM contact_stats_state WHERE id = 1 FOR UPDATE`);
    if ((await cellsZone(em)) === tz) return;
    await em.query(`SELECT contact_stats_rebuild($1)`, [tz]);
  });
  logger.info({ timeZone: tz, ms: Date.now() - started }, "contact stats cells built");
  return true;
}
