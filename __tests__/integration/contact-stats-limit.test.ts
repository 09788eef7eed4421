import type { DataSource } from "typeorm";
import { ensureContactStatsCells } from "../../src/server/analytics/contact-stats-cells";
import {
  contactStats,
  MAX_STATS_ROWS,
  StatsDimension,
} from "../../src/server/analytics/contact-stats.service";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";

// The analysts' group limit, reached for real: one contact in each of MAX_STATS_ROWS zips, then one more.
let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

/** Copies of a factory-made constituent and contact, one per new zip, in one statement. */
async function contactsInNewZips(from: number, count: number): Promise<void> {
  const person = await makeConstituent(ds, city.intake.viewer, { postalCode: "99999" });
  const contact = await makeContact(ds, city.intake.viewer, {
    categoryId: city.pothole.id,
    constituentId: person.id,
  });
  await ds.query(
    `WITH n AS (SELECT i, gen_random_uuid() AS person FROM generate_series($3::int, $3::int + $4::int - 1) i),
     people AS (
       INSERT INTO constituent (id, first_name, last_name, postal_code, name_key, address_key, created_by_id)
       SELECT n.person, p.first_name, p.last_name, lpad(n.i::text, 5, '0'), p.name_key, p.address_key,
              p.created_by_id
         FROM n, constituent p WHERE p.id = $1
       RETURNING id)
     INSERT INTO contact (reference_number, channel, received_at, entered_by_id, category_id, description,
                          constituent_id, language)
     SELECT k.reference_number || '-' || n.i, k.channel, k.received_at, k.entered_by_id, k.category_id,
            k.description, n.person, k.language
       FROM n JOIN people ON people.id = n.person, contact k WHERE k.id = $2`,
    [person.id, contact.id, from, count],
  );
  // The zip the copies were made from holds one contact too: it leaves, so only the new zips count.
  await ds.query(`DELETE FROM assignment WHERE contact_id = $1`, [contact.id]);
  await ds.query(`DELETE FROM contact WHERE id = $1`, [contact.id]);
}

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  await contactsInNewZips(1, MAX_STATS_ROWS);
  expect(await ensureContactStatsCells(ds)).toBe(true);
});
afterAll(() => ds.destroy());

const byZip = (cells: boolean) =>
  contactStats(ds, city.analyst.viewer, { groupBy: [StatsDimension.ZIP] }, { cells });

describe(`contactStats with ${MAX_STATS_ROWS} groups and one more`, () => {
  it.each([
    ["cells", true],
    ["facts", false],
  ])("answers exactly that many groups from the %s", async (_reader, cells) => {
    const rows = await byZip(cells);
    expect(rows).toHaveLength(MAX_STATS_ROWS);
    expect(rows.every((r) => r.count === 1 && r.medianEstimated === cells)).toBe(true);
    expect(new Set(rows.map((r) => r.zip)).size).toBe(MAX_STATS_ROWS);
  });

  it("refuses one group more from either reader, naming groupBy", async () => {
    await contactsInNewZips(MAX_STATS_ROWS + 1, 1);
    for (const cells of [true, false]) {
      await expect(byZip(cells)).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
        field: "groupBy",
        message: expect.stringContaining(`more than ${MAX_STATS_ROWS} groups`),
      });
    }
    // A narrower question about the same contacts is still answered.
    const byWeek = await contactStats(ds, city.analyst.viewer, { groupBy: [StatsDimension.WEEK] });
    expect(byWeek.reduce((n, r) => n + r.count, 0)).toBe(MAX_STATS_ROWS + 1);
  });
});
