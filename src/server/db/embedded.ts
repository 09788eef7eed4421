import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { logger } from "../logging/logger";

export class EmbeddedDatabaseInUseError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  /** True when this start created the data directory (the demo data loads then). */
  created: boolean;
  stop(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** PGlite takes no lock of its own: two processes on one directory would corrupt it. */
function takeLock(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      const release = () => {
        try {
          if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new EmbeddedDatabaseInUseError(
          `The embedded database in ${path.dirname(lockFile)} is in use by process ${owner}. ` +
            `Stop that process, or set STAR_DATA_DIR to another folder, or set DATABASE_URL.`,
        );
      }
      logger.warn({ lockFile, owner }, "removing stale embedded database lock");
      fs.unlinkSync(lockFile);
    }
  }
  throw new EmbeddedDatabaseInUseError(`Could not lock ${lockFile}`);
}

/** Starts PGlite in this process and serves it over the PostgreSQL wire protocol on 127.0.0.1. */
export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  port: number;
  maxConnections: number;
}): Promise<EmbeddedDatabase> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const release = takeLock(path.join(opts.dataDir, "star.lock"));
  try {
    const pgdata = path.join(opts.dataDir, "pgdata");
    const created = !fs.existsSync(path.join(pgdata, "PG_VERSION"));
    const started = Date.now();
    const db = await PGlite.create({ dataDir: pgdata, extensions: { pg_trgm } });
    const server = new PGLiteSocketServer({
      db,
      host: "127.0.0.1",
      port: opts.port,
      maxConnections: opts.maxConnections,
    });
    await server.start();
    const conn = server.getServerConn();
    const port = Number(conn.split(":").pop());
    logger.info(
      { dataDir: opts.dataDir, port, created, ms: Date.now() - started },
      "embedded database started",
    );
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      created,
      async stop() {
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
