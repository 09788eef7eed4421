import type { DataSource } from "typeorm";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let personId: string;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  personId = (await makeConstituent(ds, city.intake.viewer, { postalCode: "85301" })).id;
});

afterAll(() => ds.destroy());

/** The fact row's version: a trigger that rewrites the row gives it a new one. */
async function factVersion(contactId: string): Promise<string> {
  const [{ v }] = await ds.query(`SELECT xmin::text AS v FROM contact_fact WHERE contact_id = $1`, [
    contactId,
  ]);
  return v;
}

describe("contact_fact triggers", () => {
  it("leave the fact row alone when a save rewrites the lead's columns with the values they hold", async () => {
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: personId,
    });
    const before = await factVersion(contact.id);
    await ds.query(
      `UPDATE assignment SET status = status, due_at = due_at, department_id = department_id
        WHERE contact_id = $1 AND is_lead`,
      [contact.id],
    );
    await ds.query(`UPDATE contact SET channel = channel, category_id = category_id WHERE id = $1`, [
      contact.id,
    ]);
    expect(await factVersion(contact.id)).toBe(before);
  });

  it("carry a moved due time of the lead into the fact row", async () => {
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: personId,
    });
    const before = await factVersion(contact.id);
    await ds.query(
      `UPDATE assignment SET due_at = due_at + interval '2 days' WHERE contact_id = $1 AND is_lead`,
      [contact.id],
    );
    const [fact] = await ds.query(
      `SELECT due_at::text AS due, department_id, status FROM contact_fact WHERE contact_id = $1`,
      [contact.id],
    );
    const [lead] = await ds.query(
      `SELECT due_at::text AS due, department_id, status FROM assignment WHERE contact_id = $1 AND is_lead`,
      [contact.id],
    );
    expect(fact).toEqual(lead);
    expect(await factVersion(contact.id)).not.toBe(before);
  });
});
