import type { DataSource } from "typeorm";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makePublicRequest } from "../factories/public-request.factory";
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

  it("carry the lead of a contact written in the same statement as its lead assignment", async () => {
    const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id });
    const [fact] = await ds.query(
      `SELECT department_id, status, due_at::text AS due FROM contact_fact WHERE contact_id = $1`,
      [receipt.contactId],
    );
    expect(fact).toEqual({ department_id: city.streets.id, status: "OPEN", due: expect.any(String) });
  });

  it("carry the lead when the statement writes the assignment before its contact", async () => {
    // PostgreSQL runs the WITH clauses nobody reads last to first: the assignment goes in first, as a
    // bulk import's statement can write it.
    const [{ id }] = await ds.query(`SELECT gen_random_uuid() AS id`);
    await ds.query(
      `WITH c AS (INSERT INTO contact (id, reference_number, channel, received_at, entered_at, category_id,
                                       description, confidential, language, public_record_notice_given)
                  VALUES ($1, $3, 'WEB', now(), now(), $4, 'A pothole on Van Buren.', false, 'en', true)),
            a AS (INSERT INTO assignment (id, contact_id, department_id, is_lead, status, assigned_at, due_at)
                  VALUES (gen_random_uuid(), $1, $2, true, 'OPEN', now(), now() + interval '3 days'))
       SELECT 1`,
      [id, city.streets.id, `T-${id.slice(0, 8)}`, city.pothole.id],
    );
    const [fact] = await ds.query(`SELECT department_id, status FROM contact_fact WHERE contact_id = $1`, [
      id,
    ]);
    expect(fact).toEqual({ department_id: city.streets.id, status: "OPEN" });
  });
});
