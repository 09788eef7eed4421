import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { startJobs, stopJobs } from "../jobs/job-runner";
import { logger } from "../logging/logger";
import { sendOverdueDigests } from "./notification.service";
import { deliverPendingMail } from "./outbox.service";

export const DELIVER_QUEUE = "mail-deliver";
export const DIGEST_QUEUE = "mail-overdue-digest";

let timer: NodeJS.Timeout | undefined;

/**
 * Delivery runs as a pg-boss job: a "stately" queue holds at most one waiting run, so the frequent
 * kicks from every node collapse into one; per-mail retries and backoff live in the outbox rows.
 * The overdue digest is a pg-boss schedule in the city's time zone.
 */
export async function startMailJobs(ds: DataSource): Promise<PgBoss> {
  const cfg = config();
  const boss = await startJobs(ds);
  await boss.createQueue(DELIVER_QUEUE, { name: DELIVER_QUEUE, policy: "stately", expireInMinutes: 15 });
  await boss.createQueue(DIGEST_QUEUE, {
    name: DIGEST_QUEUE,
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
  });
  await boss.work(DELIVER_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
    await deliverPendingMail(ds);
  });
  await boss.work(DIGEST_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    const run = await sendOverdueDigests(ds, new Date());
    if (run.mails) await kick(boss);
  });
  await boss.schedule(DIGEST_QUEUE, cfg.STAR_OVERDUE_DIGEST_CRON, {}, { tz: cfg.STAR_TIME_ZONE });
  // A backstop in case every node's timer is gone; the timer gives the usual few-second latency.
  await boss.schedule(DELIVER_QUEUE, "* * * * *", {}, { tz: cfg.STAR_TIME_ZONE });
  clearInterval(timer);
  timer = setInterval(() => void kick(boss), cfg.STAR_MAIL_POLL_SECONDS * 1000);
  timer.unref();
  await kick(boss);
  return boss;
}

async function kick(boss: PgBoss): Promise<void> {
  try {
    await boss.send(DELIVER_QUEUE, {});
  } catch (err) {
    logger.warn({ err }, "could not queue a mail delivery run");
  }
}

export async function stopMailJobs(): Promise<void> {
  clearInterval(timer);
  timer = undefined;
  await stopJobs();
}
