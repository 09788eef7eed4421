import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { scheduleJob } from "../jobs/job-runner";
import { refreshSlaRollup } from "./sla-rollup.service";

export const SLA_ROLLUP_QUEUE = "sla-rollup-refresh";

/**
 * Rolls finished days and re-rolls dirty ones on a schedule; "stately" keeps one waiting run however many
 * nodes schedule it. Reports stay exact between runs: the triggers keep rolled days exact, and the days
 * not rolled yet (today) are read live.
 */
export function startSlaRollupJobs(ds: DataSource): Promise<PgBoss> {
  return scheduleJob(ds, {
    queue: SLA_ROLLUP_QUEUE,
    cron: config().STAR_SLA_ROLLUP_CRON,
    run: () => refreshSlaRollup(ds),
    queueOptions: { policy: "stately", expireInMinutes: 60, retryLimit: 3, retryDelay: 60 },
    runNow: true,
  });
}
