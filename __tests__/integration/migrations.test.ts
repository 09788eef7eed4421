import type { DataSource } from "typeorm";
import { openTestDataSource } from "../support/db";

let ds: DataSource;

beforeAll(async () => {
  ds = await openTestDataSource();
});
afterAll(() => ds.destroy());

const tables = async () =>
  (
    await ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    )
  ).map((r: { table_name: string }) => r.table_name);

describe("migrations", () => {
  it("undo every table and build them again", async () => {
    const before: string[] = await tables();
    expect(before).toEqual(
      expect.arrayContaining(["contact", "constituent", "assignment", "confidential_callback"]),
    );
    const applied: { name: string }[] = await ds.query(`SELECT name FROM migrations`);
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: "each" });
    expect(await tables()).toEqual(["migrations"]);
    await ds.runMigrations({ transaction: "each" });
    expect(await tables()).toEqual(before);
  });
});
