import "reflect-metadata";
import { DataSource } from "typeorm";
import { config } from "../config/config";
import { startEmbeddedDatabase } from "./embedded";
import { dataSourceOptions } from "./data-source";

// npm run db:migrate            applies pending migrations
// npm run db:migrate -- --revert undoes the last one
async function main() {
  const cfg = config();
  const embedded = cfg.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({
        dataDir: cfg.dataDir,
        port: 0,
        maxConnections: cfg.DATABASE_POOL_SIZE + 2,
      });
  const ds = new DataSource(dataSourceOptions(cfg.DATABASE_URL ?? embedded!.url, cfg));
  await ds.initialize();
  try {
    if (process.argv.includes("--revert")) {
      await ds.undoLastMigration({ transaction: "each" });
      console.log("reverted the last migration");
    } else {
      const ran = await ds.runMigrations({ transaction: "each" });
      console.log(ran.length ? `applied: ${ran.map((m) => m.name).join(", ")}` : "database is up to date");
    }
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
