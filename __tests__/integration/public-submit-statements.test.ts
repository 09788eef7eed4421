import { Readable } from "node:stream";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { Channel } from "../../entities";
import { resetConfig } from "../../src/server/config/config";
import { submitPublicRequest } from "../../src/server/intake/public-intake.service";
import { uploadPublicAttachment } from "../../src/server/self-service/upload.service";
import { makeConstituent } from "../factories/constituent.factory";
import { clientAddress, makePublicRequest } from "../factories/public-request.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { countStatements } from "../support/graphql";

// The public form's hot path: its SQL statements are counted so that a new round trip shows in review.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "star-public-statements-"));
let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
const ON_FILE = "on.file.statements@example.org";

beforeAll(async () => {
  process.env.STAR_ATTACHMENTS_DIR = dir;
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  await makeConstituent(ds, city.intake.viewer, { firstName: "Filed", lastName: "Before", email: ON_FILE });
  // Every pooled connection has met the statements once (the embedded database refuses a second named
  // statement of the same name, once, and the pool then stays on unnamed ones).
  await Promise.all(
    Array.from({ length: 8 }, () => makePublicRequest(ds, { categoryId: city.pothole.id, email: ON_FILE })),
  );
});
afterAll(async () => {
  await ds.destroy();
  delete process.env.STAR_ATTACHMENTS_DIR;
  resetConfig();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const { texts } = await countStatements(fn);
  return texts.map((t) => t.replace(/\s+/g, " ").trim());
}

describe("a public submission", () => {
  it.each([
    ["without an email", { email: null }],
    ["with an email on file", { email: ON_FILE }],
    ["with a new email", { email: `new.${Date.now()}@example.org` }],
    [
      "that is confidential, with a callback",
      { confidential: true, firstName: null, lastName: null, email: "cb@example.org", phone: "602-555-0100" },
    ],
  ])("sends two statements %s: the rate-limited read, then the write", async (_why, overrides) => {
    const texts = await statementsOf(() =>
      makePublicRequest(ds, { categoryId: city.pothole.id, ...overrides }),
    );
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(
      /^WITH swept AS .* INSERT INTO public_rate_limit .* nextval\('contact_reference_seq'\)/,
    );
    expect(texts[1]).toMatch(
      /INSERT INTO contact\b.*INSERT INTO assignment\b.*INSERT INTO audit_event\b.*INSERT INTO mail_outbox\b/,
    );
  });

  it("sends one read and one write from an Open311 client, which has no form rate limit", async () => {
    const texts = await statementsOf(() =>
      submitPublicRequest(
        ds,
        {
          categoryId: city.pothole.id,
          description: "Reported from an app",
          locationLat: 33.4484,
          locationLong: -112.074,
          confidential: true,
          publicRecordNoticeAcknowledged: true,
        },
        { channel: Channel.OPEN311, apiKeyId: null, clientAddress: null },
      ),
    );
    expect(texts).toHaveLength(2);
    expect(texts.join("\n")).not.toContain("public_rate_limit");
  });

  it("takes a transaction of six statements to join an open report, which stays locked until the write", async () => {
    const first = await makePublicRequest(ds, { categoryId: city.pothole.id });
    const texts = await statementsOf(() =>
      makePublicRequest(ds, { categoryId: city.pothole.id, duplicateOfReference: first.referenceNumber }),
    );
    expect(texts).toHaveLength(6);
    expect(texts[1]).toBe("START TRANSACTION");
    expect(texts[2]).toMatch(/FOR UPDATE$/);
    expect(texts[5]).toBe("COMMIT");
  });

  it("takes a transaction of five statements to link uploads", async () => {
    const upload = await uploadPublicAttachment(
      ds,
      {
        fileName: "hole.png",
        stream: Readable.from([
          Buffer.concat([
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            Buffer.alloc(200, 7),
          ]),
        ]),
      },
      clientAddress(),
    );
    const texts = await statementsOf(() =>
      makePublicRequest(ds, { categoryId: city.pothole.id, attachmentIds: [upload.id] }),
    );
    expect(texts).toHaveLength(5);
    expect(texts[3]).toMatch(/^UPDATE attachment SET contact_id/);
  });

  it("writes in its one statement the constituent, the contact, its lead, both audit events and both mails", async () => {
    const email = `whole.${Date.now()}@example.org`;
    const receipt = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      email,
      lastName: "Wholewrite",
    });
    const [contact] = await ds.query(
      `SELECT c.constituent_id, k.last_name, k.email, k.created_by_id FROM contact c
         JOIN constituent k ON k.id = c.constituent_id WHERE c.id = $1`,
      [receipt.contactId],
    );
    expect(contact).toMatchObject({ last_name: "Wholewrite", email, created_by_id: null });
    const audits: { action: string; entity_id: string; actor_id: string | null }[] = await ds.query(
      `SELECT action, entity_id, actor_id FROM audit_event WHERE entity_id IN ($1, $2::text) ORDER BY id`,
      [receipt.contactId, contact.constituent_id],
    );
    expect(audits).toEqual([
      { action: "constituent.created", entity_id: contact.constituent_id, actor_id: null },
      { action: "contact.submitted", entity_id: receipt.contactId, actor_id: null },
    ]);
    const [lead] = await ds.query(`SELECT id FROM assignment WHERE contact_id = $1`, [receipt.contactId]);
    const mails: { kind: string; to_address: string; subject: string; body: string; dedupe_key: string }[] =
      await ds.query(
        `SELECT kind, to_address, subject, body, dedupe_key FROM mail_outbox
          WHERE dedupe_key IN ($1, $2) ORDER BY kind`,
        [
          `receipt:${receipt.referenceNumber}`,
          `assignment-notice:${lead.id}:${city.streets.email!.toLowerCase()}`,
        ],
      );
    expect(mails.map((m) => [m.kind, m.to_address])).toEqual([
      ["ASSIGNMENT_NOTICE", city.streets.email],
      ["PUBLIC_RECEIPT", email],
    ]);
    expect(mails[0].subject).toBe(`New assignment ${receipt.referenceNumber}: ${city.pothole.name}`);
    expect(mails[0].body).toContain(`/assignments/${lead.id}`);
    expect(mails[0].body).not.toContain("Wholewrite");
    expect(mails[1].body).toContain(`Tracking code: ${receipt.trackingCode}`);
  });

  it("writes nothing and takes no reference number when the rate limit is passed", async () => {
    const address = clientAddress();
    process.env.STAR_PUBLIC_SUBMIT_LIMIT = "1";
    resetConfig();
    try {
      await makePublicRequest(ds, { categoryId: city.pothole.id }, address);
      const [{ last_value: before }] = await ds.query(`SELECT last_value FROM contact_reference_seq`);
      const err = await makePublicRequest(ds, { categoryId: city.pothole.id }, address).catch((e) => e);
      expect(err.details).toMatchObject({ reason: "RATE_LIMITED" });
      const [{ last_value: after }] = await ds.query(`SELECT last_value FROM contact_reference_seq`);
      expect(after).toBe(before);
    } finally {
      delete process.env.STAR_PUBLIC_SUBMIT_LIMIT;
      resetConfig();
    }
  });
});
