import "reflect-metadata";
import { DataSource } from "typeorm";
import { loadConfig, resetConfig } from "../../src/server/config/config";
import { dataSourceOptions } from "../../src/server/db/data-source";
import { forgetStaffCache } from "../../src/server/auth/sign-in.service";

const TABLES = [
  "sla_rollup_bucket",
  "sla_rollup",
  "sla_rollup_dirty",
  "sla_rollup_state",
  "sla_rollup_department_bucket",
  "sla_open_lead",
  "contact_fact",
  "contact_stats_cell",
  "contact_stats_state",
  "open311_request",
  "open311_token",
  "api_key",
  "public_rate_limit",
  "public_tracking_code",
  "saved_query",
  "api_token",
  "review_mark",
  "review_cycle",
  "records_request",
  "audit_event",
  "confidential_callback",
  "attachment",
  "response",
  "assignment",
  "contact",
  "constituent",
  "staff_user",
  "category",
  "department",
];

/** A DataSource on the run's test database (migrated by the global setup). */
export async function openTestDataSource(): Promise<DataSource> {
  resetConfig();
  const url = process.env.STAR_TEST_DATABASE_URL;
  if (!url) throw new Error("STAR_TEST_DATABASE_URL is not set: run the tests through jest's global setup");
  const ds = new DataSource(
    dataSourceOptions(url, loadConfig({ ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: "5" })),
  );
  await ds.initialize();
  return ds;
}

/** Each test file starts from empty tables. */
export async function resetDatabase(ds: DataSource): Promise<void> {
  // The audit log refuses TRUNCATE; a test's throwaway database sets its triggers aside to start afresh.
  await ds.transaction(async (em) => {
    await em.query(`SET LOCAL session_replication_role = replica`);
    await em.query(`TRUNCATE ${TABLES.join(", ")} RESTART IDENTITY CASCADE`);
  });
  await ds.query(`ALTER SEQUENCE contact_reference_seq RESTART`);
  forgetStaffCache();
}

/** Every row of every table as text: for proving that a value is stored nowhere. */
export async function dumpAllTables(ds: DataSource): Promise<string> {
  const parts: string[] = [];
  for (const t of TABLES) {
    const rows: { j: string }[] = await ds.query(`SELECT row_to_json(x)::text AS j FROM ${t} x`);
    parts.push(...rows.map((r) => `${t}: ${r.j}`));
  }
  return parts.join("\n");
}

export function rowCount(ds: DataSource, table: string): Promise<number> {
  return ds.query(`SELECT count(*)::int AS n FROM ${table}`).then((r: { n: number }[]) => r[0].n);
}
