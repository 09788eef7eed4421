import type { DataSource } from "typeorm";
import { audit } from "../audit/audit.service";
import { config } from "../config/config";
import { logger } from "../logging/logger";
import { storage } from "../storage/storage";

const BATCH = 500;

export interface PurgeResult {
  removed: number;
  bytes: number;
}

/**
 * Removes uploads that were never linked to a contact or a response (a form left unsent, a browser
 * closed) once they are older than STAR_UNLINKED_UPLOAD_HOURS: the row and its audit event in one
 * transaction per batch, then the stored bytes. A row being linked right now is passed over (its lock is
 * held), and a link that comes after the purge finds no upload, as for any unknown id.
 */
export async function purgeUnlinkedUploads(ds: DataSource, opts: { now?: Date } = {}): Promise<PurgeResult> {
  const cutoff = new Date(
    (opts.now ?? new Date()).getTime() - config().STAR_UNLINKED_UPLOAD_HOURS * 3_600_000,
  );
  const result: PurgeResult = { removed: 0, bytes: 0 };
  for (;;) {
    const gone = await ds.transaction(async (em) => {
      const rows: { id: string; storage_key: string; size_bytes: number; created_at: Date }[] =
        await em.query(
          `WITH gone AS (
           DELETE FROM attachment a
            WHERE a.id IN (SELECT id FROM attachment
                            WHERE contact_id IS NULL AND response_id IS NULL AND created_at < $1
                            ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING a.id, a.storage_key, a.size_bytes, a.created_at)
         SELECT * FROM gone`,
          [cutoff],
        );
      for (const r of rows)
        await audit(em, null, {
          action: "attachment.purged",
          entityType: "attachment",
          entityId: r.id,
          after: {
            reason: "never linked to a contact or a response",
            uploadedAt: r.created_at.toISOString(),
          },
        });
      return rows;
    });
    for (const r of gone) {
      // The row is gone: bytes that cannot be removed now are only disk, never reachable again.
      await storage()
        .delete(r.storage_key)
        .catch((err) =>
          logger.error({ err, key: r.storage_key }, "could not remove a purged upload's bytes"),
        );
      result.bytes += r.size_bytes;
    }
    result.removed += gone.length;
    if (gone.length < BATCH) break;
  }
  if (result.removed) logger.info(result, "unlinked uploads purged");
  return result;
}
