import type { DataSource, EntityManager } from "typeorm";
import { config } from "../config/config";
import { DomainError, ErrorCode } from "../errors/domain-error";

const QUERY_CANCELED = "57014";

/**
 * Runs an analyst's reads in one read-only transaction under the analyst statement timeout, on a replica
 * when one is configured. A runaway query is cancelled by the database, never left to run.
 */
export async function analystReads<T>(
  ds: DataSource,
  fn: (db: EntityManager) => Promise<T>,
  opts: { workMemMb?: number } = {},
): Promise<T> {
  const replicated = !!(ds.driver.options as { replication?: unknown }).replication;
  const qr = ds.createQueryRunner(replicated ? "slave" : "master");
  const timeoutMs = config().STAR_ANALYST_STATEMENT_TIMEOUT_MS;
  try {
    await qr.startTransaction();
    await qr.query(`SET TRANSACTION READ ONLY`);
    // A validated integer from the configuration: SET takes no bind parameters.
    await qr.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    if (opts.workMemMb) await qr.query(`SET LOCAL work_mem = '${Math.trunc(opts.workMemMb)}MB'`);
    const result = await fn(qr.manager);
    await qr.commitTransaction();
    return result;
  } catch (e) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    if (
      (e as { code?: string }).code === QUERY_CANCELED ||
      (e as { driverError?: { code?: string } }).driverError?.code === QUERY_CANCELED
    ) {
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        `filter: the query ran longer than ${timeoutMs} ms; narrow the filter or ask for fewer rows`,
        "filter",
      );
    }
    throw e;
  } finally {
    await qr.release();
  }
}
