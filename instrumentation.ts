// Opens the database (and, without DATABASE_URL, starts the embedded one) when the server starts,
// so that the first request does not wait for migrations and demo data.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getDatabase } = await import("./src/server/db/data-source");
    const { dataSource } = await getDatabase();
    const { config } = await import("./src/server/config/config");
    if (config().jobsEnabled) {
      const { startMailJobs } = await import("./src/server/mail/mail-jobs");
      await startMailJobs(dataSource);
      const { startReviewJobs } = await import("./src/server/review/review-jobs");
      await startReviewJobs(dataSource);
      const { startSlaRollupJobs } = await import("./src/server/review/sla-rollup-jobs");
      await startSlaRollupJobs(dataSource);
    }
  }
}
