import { Readable } from "node:stream";
import type { DataSource } from "typeorm";
import { uploadAttachment } from "../../src/server/attachments/attachment.service";
import { startUploadPurgeJobs, UPLOAD_PURGE_QUEUE } from "../../src/server/attachments/upload-purge-jobs";
import { purgeUnlinkedUploads } from "../../src/server/attachments/upload-purge.service";
import { stopJobs } from "../../src/server/jobs/job-runner";
import { ObjectMissingError, storage } from "../../src/server/storage/storage";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { settingsForThisFile, tempDirForThisFile } from "../support/settings";
import { openTestDataSource, resetDatabase } from "../support/db";

// The embedded database serves every connection from one session: two transactions at once need PostgreSQL.
const onPostgres = process.env.STAR_TEST_TARGET === "postgresql";
const dir = tempDirForThisFile("star-purge-");
settingsForThisFile({ STAR_ATTACHMENTS_DIR: dir, STAR_UNLINKED_UPLOAD_HOURS: "24" });
let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

async function upload(contactId: string | null, hoursAgo: number) {
  const a = await uploadAttachment(ds, city.intake.viewer, {
    fileName: "note.txt",
    contactId,
    stream: Readable.from([Buffer.from(`A note written ${hoursAgo} hours ago.\n`)]),
  });
  await ds.query(`UPDATE attachment SET created_at = now() - $2 * interval '1 hour' WHERE id = $1`, [
    a.id,
    hoursAgo,
  ]);
  return a;
}

const stored = (key: string) =>
  storage()
    .get(key)
    .then((s) => (s.destroy(), true))
    .catch((e: unknown) => (e instanceof ObjectMissingError ? false : Promise.reject(e)));

describe("purgeUnlinkedUploads", () => {
  it("removes old uploads never linked, their bytes, with an audit event; keeps linked and recent ones", async () => {
    const person = await makeConstituent(ds, city.intake.viewer);
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: person.id,
    });
    const old = await upload(null, 30);
    const recent = await upload(null, 2);
    const linked = await upload(contact.id, 30);

    const result = await purgeUnlinkedUploads(ds);

    expect(result).toEqual({ removed: 1, bytes: old.sizeBytes });
    const left: { id: string }[] = await ds.query(`SELECT id FROM attachment ORDER BY created_at`);
    expect(left.map((r) => r.id).sort()).toEqual([recent.id, linked.id].sort());
    expect(await stored(old.storageKey)).toBe(false);
    expect(await stored(recent.storageKey)).toBe(true);
    expect(await stored(linked.storageKey)).toBe(true);
    const events: { action: string; actor_id: string | null }[] = await ds.query(
      `SELECT action, actor_id FROM audit_event WHERE entity_id = $1 ORDER BY id`,
      [old.id],
    );
    expect(events.map((e) => e.action)).toEqual(["attachment.uploaded", "attachment.purged"]);
    expect(events[1].actor_id).toBeNull();
    expect(await purgeUnlinkedUploads(ds)).toEqual({ removed: 0, bytes: 0 });
  });

  (onPostgres ? it : it.skip)("passes over an upload that is being linked at that moment", async () => {
    const busy = await upload(null, 48);
    const qr = ds.createQueryRunner();
    await qr.startTransaction();
    try {
      await qr.query(`SELECT id FROM attachment WHERE id = $1 FOR UPDATE`, [busy.id]);
      expect(await purgeUnlinkedUploads(ds)).toEqual({ removed: 0, bytes: 0 });
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    expect(await purgeUnlinkedUploads(ds)).toEqual({ removed: 1, bytes: busy.sizeBytes });
  });

  it("runs every hour on a schedule in the city's time zone", async () => {
    try {
      const boss = await startUploadPurgeJobs(ds);
      const schedules = await boss.getSchedules();
      expect(schedules.find((x) => x.name === UPLOAD_PURGE_QUEUE)).toMatchObject({
        cron: "17 * * * *",
        timezone: "America/Phoenix",
      });
    } finally {
      await stopJobs();
    }
  });
});
