import type { Pool } from "pg";
import { DataSource } from "typeorm";
import { Role } from "../../entities";
import { listContacts } from "../../src/server/analytics/contact-query.service";
import { loadConfig } from "../../src/server/config/config";
import { dataSourceOptions } from "../../src/server/db/data-source";
import { makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";

const url = () => process.env.STAR_TEST_DATABASE_URL!;

describe("analyst reads with a replica configured", () => {
  it("refuses a replica setting that is not a list of postgres URLs", () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: "mysql://db" } as never)).toThrow(
      /DATABASE_REPLICA_URLS/,
    );
  });

  it("leaves every other read on the primary", () => {
    const cfg = loadConfig({ DATABASE_REPLICA_URLS: "postgres://a/x, postgres://b/x" } as never);
    expect(dataSourceOptions("postgres://primary/x", cfg).replication).toEqual({
      master: { url: "postgres://primary/x" },
      slaves: [{ url: "postgres://a/x" }, { url: "postgres://b/x" }],
      defaultMode: "master",
    });
    expect(dataSourceOptions("postgres://primary/x", loadConfig({} as never)).replication).toBeUndefined();
  });

  it("sends analyst queries to the replica", async () => {
    const primary = await openTestDataSource();
    await resetDatabase(primary);
    const analyst = await makeStaff(primary, Role.ANALYST);
    await primary.destroy();
    // The test database stands in for a replica: what matters is which pool the analyst's reads take.
    const cfg = loadConfig({
      ...process.env,
      DATABASE_URL: url(),
      DATABASE_REPLICA_URLS: url(),
      DATABASE_POOL_SIZE: "2",
    });
    const ds = new DataSource(dataSourceOptions(url(), cfg));
    await ds.initialize();
    try {
      const driver = ds.driver as unknown as { master: Pool; slaves: Pool[] };
      const page = await listContacts(ds, analyst.viewer, { first: 5 });
      expect(page.totalCount).toBe(0);
      expect(driver.slaves).toHaveLength(1);
      expect(driver.slaves[0].totalCount).toBeGreaterThan(0);
    } finally {
      await ds.destroy();
    }
  });
});
