import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { startJobs } from "../jobs/job-runner";
import { purgeUnlinkedUploads } from "./upload-purge.service";

export const UPLOAD_PURGE_QUEUE = "upload-purge";

/** Purges unlinked uploads on a schedule; "stately" keeps one waiting run however many nodes schedule it. */
export async function startUploadPurgeJobs(ds: DataSource): Promise<PgBoss> {
  const cfg = config();
  const boss = await startJobs(ds);
  await boss.createQueue(UPLOAD_PURGE_QUEUE, {
    name: UPLOAD_PURGE_QUEUE,
    policy: "stately",
    expireInMinutes: 30,
    retryLimit: 3,
    retryDelay: 300,
  });
  await boss.work(UPLOAD_PURGE_QUEUE, { pollingIntervalSeconds: 60 }, async () => {
    await purgeUnlinkedUploads(ds);
  });
  await boss.schedule(UPLOAD_PURGE_QUEUE, cfg.STAR_UPLOAD_PURGE_CRON, {}, { tz: cfg.STAR_TIME_ZONE });
  return boss;
}
