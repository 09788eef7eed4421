import "reflect-metadata";
import type { Pool, QueryResult, QueryResultRow } from "pg";
import { DataSource } from "typeorm";
import type { PostgresDataSourceOptions } from "typeorm/driver/postgres/PostgresDataSourceOptions.js";
import { ENTITIES } from "../../../entities";
import { MIGRATIONS } from "../../../migrations";
import { config, type Config } from "../config/config";
import { logger } from "../logging/logger";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";
import { SnakeNamingStrategy } from "./snake-naming.strategy";

export function dataSourceOptions(url: string, cfg: Config): PostgresDataSourceOptions {
  const replicas = (cfg.DATABASE_REPLICA_URLS ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  return {
    type: "postgres",
    url,
    // Everything reads the primary unless it asks for a replica (analyst queries do).
    ...(replicas.length
      ? { replication: { master: { url }, slaves: replicas.map((u) => ({ url: u })), defaultMode: "master" } }
      : {}),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: "each",
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
    poolSize: cfg.DATABASE_POOL_SIZE,
    extra: { max: cfg.DATABASE_POOL_SIZE, idleTimeoutMillis: 30_000 },
  };
}

/**
 * The pool of analyst and API-token queries: every connection starts read-only under the analyst statement
 * timeout, on the replicas when they are configured, else on the primary.
 */
export function analystDataSourceOptions(primaryUrl: string, cfg: Config): PostgresDataSourceOptions {
  const base = dataSourceOptions(primaryUrl, cfg);
  const replicas = base.replication ? base.replication.slaves.map((s) => s.url!) : [];
  const size = Math.max(1, Math.ceil(cfg.DATABASE_POOL_SIZE / 2));
  return {
    ...base,
    url: replicas[0] ?? primaryUrl,
    replication: replicas.length
      ? { master: { url: replicas[0] }, slaves: replicas.map((url) => ({ url })), defaultMode: "slave" }
      : undefined,
    migrations: [],
    poolSize: size,
    extra: {
      max: size,
      idleTimeoutMillis: 30_000,
      // A validated integer from the configuration; set at connection start, so no query escapes it.
      options: `-c statement_timeout=${Math.trunc(cfg.STAR_ANALYST_STATEMENT_TIMEOUT_MS)} -c default_transaction_read_only=on`,
    },
  };
}

const writers = new WeakMap<DataSource, DataSource>();

/** Opens the analyst pool of a PostgreSQL primary; its writes (audit events) go to `primary`. */
export async function openAnalystDataSource(primary: DataSource, cfg: Config): Promise<DataSource> {
  const url = (primary.options as PostgresDataSourceOptions).url!;
  const ds = new DataSource(analystDataSourceOptions(url, cfg));
  await ds.initialize();
  writers.set(ds, primary);
  return ds;
}

/** Where writes made while reading through `ds` go: the primary of an analyst pool, else `ds` itself. */
export function writerOf(ds: DataSource): DataSource {
  return writers.get(ds) ?? ds;
}

export interface Database {
  dataSource: DataSource;
  embedded?: EmbeddedDatabase;
  /**
   * The analyst pool, opened on first use; never on the embedded database, whose connections share one
   * session, so a connection setting would reach every connection (analystReads' SET LOCAL is all there is).
   */
  analyst?: Promise<DataSource | null>;
}

interface Cache {
  key: unknown;
  promise: Promise<Database>;
}

const globalCache = globalThis as unknown as { __starDatabase?: Cache };

async function open(cfg: Config): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = cfg.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedDatabase({
      dataDir: cfg.dataDir,
      port: cfg.STAR_EMBEDDED_PORT,
      maxConnections: cfg.DATABASE_POOL_SIZE + 10,
    });
    url = embedded.url;
  }
  const dataSource = new DataSource(dataSourceOptions(url, cfg));
  await dataSource.initialize();
  if (cfg.STAR_RUN_MIGRATIONS) {
    const ran = await dataSource.runMigrations({ transaction: "each" });
    if (ran.length) logger.info({ migrations: ran.map((m) => m.name) }, "migrations applied");
  }
  const seedWanted =
    cfg.STAR_DEMO_SEED === "always" || (cfg.STAR_DEMO_SEED === "auto" && embedded?.created === true);
  if (seedWanted) {
    const { seedDemoData } = await import("./seed/demo-seed");
    await seedDemoData(dataSource, { password: cfg.STAR_DEMO_PASSWORD });
  }
  return { dataSource, embedded };
}

/**
 * The process's one database. Cached on globalThis because Next loads route modules separately;
 * keyed on the entity classes so that a hot reload (new classes) opens a fresh DataSource.
 */
export function getDatabase(): Promise<Database> {
  const key = ENTITIES[0];
  const cached = globalCache.__starDatabase;
  if (cached && cached.key === key) return cached.promise;
  const previous = cached?.promise;
  const promise = (async () => {
    const old = await previous?.catch(() => undefined);
    if (old?.dataSource.isInitialized) await old.dataSource.destroy();
    const oldAnalyst = await old?.analyst?.catch(() => null);
    if (oldAnalyst?.isInitialized) await oldAnalyst.destroy();
    // The embedded server belongs to the process: keep it across hot reloads.
    if (old?.embedded) {
      const ds = new DataSource(dataSourceOptions(old.embedded.url, config()));
      await ds.initialize();
      return { dataSource: ds, embedded: old.embedded };
    }
    return open(config());
  })();
  promise.catch((e) => {
    logger.error({ err: e }, "database failed to open");
    if (globalCache.__starDatabase?.promise === promise) globalCache.__starDatabase = undefined;
  });
  globalCache.__starDatabase = { key, promise };
  return promise;
}

export async function getDataSource(): Promise<DataSource> {
  return (await getDatabase()).dataSource;
}

/** The analyst pool (see analystDataSourceOptions), opened on first use; null on the embedded database. */
export async function getAnalystDataSource(): Promise<DataSource | null> {
  const db = await getDatabase();
  if (db.embedded) return null;
  if (!db.analyst) {
    const opening = openAnalystDataSource(db.dataSource, config());
    db.analyst = opening;
    // A failed open is retried by the next analyst request rather than remembered.
    opening.catch((e) => {
      logger.error({ err: e }, "analyst database pool failed to open");
      if (db.analyst === opening) db.analyst = undefined;
    });
  }
  return db.analyst;
}

export async function closeDatabase(): Promise<void> {
  const cached = globalCache.__starDatabase;
  globalCache.__starDatabase = undefined;
  const db = await cached?.promise.catch(() => undefined);
  const analyst = await db?.analyst?.catch(() => null);
  if (analyst?.isInitialized) await analyst.destroy();
  if (db?.dataSource.isInitialized) await db.dataSource.destroy();
  await db?.embedded?.stop();
}

/** The pg pool under TypeORM. */
export function pgPool(ds: DataSource): Pool {
  return (ds.driver as unknown as { master: Pool }).master;
}

const unnamedOnly = new WeakSet<Pool>();

/**
 * A named prepared statement: planned once per connection, which matters on hot paths. Servers whose
 * connections share one session (the embedded database, a transaction-pooling PgBouncer) cannot keep
 * per-connection statements; the first such refusal switches this pool to unnamed statements.
 */
export async function preparedQuery<R extends QueryResultRow>(
  ds: DataSource,
  q: { name: string; text: string; values: unknown[] },
): Promise<QueryResult<R>> {
  const pool = pgPool(ds);
  if (unnamedOnly.has(pool)) return pool.query<R>(q.text, q.values);
  try {
    return await pool.query<R>(q);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "42P05" && code !== "26000") throw e;
    logger.info({ code }, "the database shares sessions between connections: using unnamed statements");
    unnamedOnly.add(pool);
    return pool.query<R>(q.text, q.values);
  }
}
