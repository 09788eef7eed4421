import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { scheduleJob } from "../jobs/job-runner";
import { purgeUnlinkedUploads } from "./upload-purge.service";

export const UPLOAD_PURGE_QUEUE = "upload-purge";

/** Purges unlinked uploads on a schedule; "stately" keeps one waiting run however many nodes schedule it. */
export function startUploadPurgeJobs(ds: DataSource): Promise<PgBoss> {
  return scheduleJob(ds, {
    queue: UPLOAD_PURGE_QUEUE,
    cron: config().STAR_UPLOAD_PURGE_CRON,
    run: () => purgeUnlinkedUploads(ds),
    queueOptions: { policy: "stately", expireInMinutes: 30, retryLimit: 3, retryDelay: 300 },
    pollingIntervalSeconds: 60,
  });
}
