// Opens the database (and, without DATABASE_URL, starts the embedded one) when the server starts,
// so that the first request does not wait for migrations and demo data.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getDatabase } = await import("./src/server/db/data-source");
    const { dataSource } = await getDatabase();
    // `npm start` takes the signals from Next, so that jobs and the database stop before the process.
    if (process.env.NEXT_MANUAL_SIG_HANDLE) {
      const { exitGracefullyOnSignals } = await import("./src/server/shutdown");
      exitGracefullyOnSignals();
    }
    const { config } = await import("./src/server/config/config");
    // Not awaited: until the analysts' cells are built for the city's zone, contactStats reads the facts.
    const { ensureContactStatsCells } = await import("./src/server/analytics/contact-stats-cells");
    const { logger } = await import("./src/server/logging/logger");
    ensureContactStatsCells(dataSource).catch((err) =>
      logger.error({ err }, "contact stats cells not built"),
    );
    if (config().jobsEnabled) {
      const { startMailJobs } = await import("./src/server/mail/mail-jobs");
      await startMailJobs(dataSource);
      const { startReviewJobs } = await import("./src/server/review/review-jobs");
      await startReviewJobs(dataSource);
      const { startSlaRollupJobs } = await import("./src/server/review/sla-rollup-jobs");
      await startSlaRollupJobs(dataSource);
      const { startUploadPurgeJobs } = await import("./src/server/attachments/upload-purge-jobs");
      await startUploadPurgeJobs(dataSource);
    }
  }
}
