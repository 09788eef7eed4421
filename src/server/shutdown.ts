import { closeDatabase } from "./db/data-source";
import { stopJobs } from "./jobs/job-runner";
import { logger } from "./logging/logger";

/** Longer than a job's graceful stop (10 s) and the database's close; then the process goes anyway. */
const SHUTDOWN_LIMIT_MS = 25_000;

let stopping = false;

/**
 * On SIGTERM or SIGINT: lets running background jobs finish, closes the database (the embedded one
 * writes its data folder out and releases its lock), then exits 0. `npm start` sets
 * NEXT_MANUAL_SIG_HANDLE so that Next leaves the signals to this; requests in flight meanwhile are still
 * served until the database closes (a load balancer has stopped sending new ones by then).
 */
export function exitGracefullyOnSignals(): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void shutdown(signal));
}

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping");
  setTimeout(() => {
    logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, "stopping took too long: exiting now");
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS).unref();
  try {
    await stopJobs();
    await closeDatabase();
    logger.info("stopped");
    process.exit(0);
  } catch (err) {
    logger.error({ err }, "stopping failed");
    process.exit(1);
  }
}
