import "reflect-metadata";
import { config } from "../config/config";
import { closeDatabase, getDataSource } from "./data-source";
import { seedDemoData } from "./seed/demo-seed";

// npm run db:seed: loads the demo city into the configured database (skips when data exists).
async function main() {
  const ds = await getDataSource();
  const seeded = await seedDemoData(ds, {
    password: config().STAR_DEMO_PASSWORD,
    constituents: Number(process.env.STAR_DEMO_CONSTITUENTS ?? 300),
  });
  console.log(seeded ? "demo data loaded" : "demo data already present");
}

main()
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => closeDatabase());
