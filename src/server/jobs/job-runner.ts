import PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { logger } from "../logging/logger";

/** pg-boss keeps its tables in their own schema, apart from the migrations' tables. */
export const JOBS_SCHEMA = "pgboss";

interface Running {
  boss: PgBoss;
  stopping?: Promise<void>;
}

// Next loads modules more than once: one runner per process.
const state = globalThis as unknown as { __starJobs?: Promise<Running> };

function connectionString(ds: DataSource): string {
  const url = (ds.options as { url?: string }).url;
  if (!url) throw new Error("background jobs need the DataSource to be opened from a URL");
  return url;
}

/**
 * Starts pg-boss on the application's database (its own small pool, so jobs never starve requests)
 * and returns the one instance of this process. Works on PostgreSQL and on the embedded database.
 */
export function startJobs(ds: DataSource): Promise<PgBoss> {
  state.__starJobs ??= (async () => {
    const boss = new PgBoss({
      connectionString: connectionString(ds),
      schema: JOBS_SCHEMA,
      max: 2,
      application_name: "star-jobs",
    });
    boss.on("error", (err) => logger.error({ err }, "background job error"));
    await boss.start();
    logger.info("background jobs started");
    const stopOnSignal = () => void stopJobs();
    process.once("SIGTERM", stopOnSignal);
    process.once("SIGINT", stopOnSignal);
    return { boss };
  })();
  const started = state.__starJobs;
  started.catch(() => {
    if (state.__starJobs === started) state.__starJobs = undefined;
  });
  return started.then((r) => r.boss);
}

/** Lets running handlers finish (up to `timeoutMs`), then closes pg-boss's pool. */
export async function stopJobs(timeoutMs = 10_000): Promise<void> {
  const current = state.__starJobs;
  if (!current) return;
  const running = await current.catch(() => undefined);
  if (!running) return;
  running.stopping ??= (async () => {
    await running.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    if (state.__starJobs === current) state.__starJobs = undefined;
    logger.info("background jobs stopped");
  })();
  await running.stopping;
}

export interface ScheduledJob {
  queue: string;
  /** Five-field cron, read in the city's time zone. */
  cron: string;
  run: () => Promise<unknown>;
  queueOptions?: Omit<PgBoss.Queue, "name">;
  pollingIntervalSeconds?: number;
  /** Also once now (e.g. to catch up after a deploy), not only at the next tick. */
  runNow?: boolean;
}

/** A queue, its worker and its schedule on this process's runner. */
export async function scheduleJob(ds: DataSource, job: ScheduledJob): Promise<PgBoss> {
  const boss = await startJobs(ds);
  await boss.createQueue(job.queue, { ...job.queueOptions, name: job.queue });
  await boss.work(job.queue, { pollingIntervalSeconds: job.pollingIntervalSeconds ?? 30 }, async () => {
    await job.run();
  });
  await boss.schedule(job.queue, job.cron, {}, { tz: config().STAR_TIME_ZONE });
  if (job.runNow) await boss.send(job.queue, {});
  return boss;
}
