import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { startJobs } from "../jobs/job-runner";
import { refreshSlaRollup } from "./sla-rollup.service";

export const SLA_ROLLUP_QUEUE = "sla-rollup-refresh";

/**
 * Rolls finished days and re-rolls dirty ones on a schedule; "stately" keeps one waiting run however many
 * nodes schedule it. Reports stay exact between runs: the triggers keep rolled days exact, and the days
 * not rolled yet (today) are read live.
 */
export async function startSlaRollupJobs(ds: DataSource): Promise<PgBoss> {
  const cfg = config();
  const boss = await startJobs(ds);
  await boss.createQueue(SLA_ROLLUP_QUEUE, {
    name: SLA_ROLLUP_QUEUE,
    policy: "stately",
    expireInMinutes: 60,
    retryLimit: 3,
    retryDelay: 60,
  });
  await boss.work(SLA_ROLLUP_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    await refreshSlaRollup(ds);
  });
  await boss.schedule(SLA_ROLLUP_QUEUE, cfg.STAR_SLA_ROLLUP_CRON, {}, { tz: cfg.STAR_TIME_ZONE });
  await boss.send(SLA_ROLLUP_QUEUE, {});
  return boss;
}
