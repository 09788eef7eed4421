// Imported first by run.ts: stdout carries only the results, so the app's own logs stay quiet.
process.env.LOG_LEVEL ??= "warn";

export const BENCH_DATABASE_URL =
  process.env.STAR_BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/star_bench";
