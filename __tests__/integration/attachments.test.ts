import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { encode } from "next-auth/jwt";
import type { NextApiRequest, NextApiResponse } from "next";
import type { DataSource } from "typeorm";
import { Attachment, AuditEvent } from "../../entities";
import uploadRoute from "../../pages/api/attachments";
import downloadRoute from "../../pages/api/attachments/[id]";
import {
  openAttachmentForDownload,
  uploadAttachment,
  type UploadAttachmentCommand,
} from "../../src/server/attachments/attachment.service";
import type { Viewer } from "../../src/server/auth/viewer";
import { closeDatabase } from "../../src/server/db/data-source";
import { DomainError } from "../../src/server/errors/domain-error";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { settingsForThisFile, tempDirForThisFile } from "../support/settings";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { gql } from "../support/graphql";
import { Role } from "../../entities";

const MAX = 64 * 1024;
const dir = tempDirForThisFile("star-attachments-");
const UNKNOWN_ID = "9b2a3c4d-0000-4000-8000-000000000001";
const SECRET = "attachments-test-secret-0123456789abcdef";
settingsForThisFile({
  STAR_ATTACHMENTS_DIR: dir,
  STAR_MAX_UPLOAD_BYTES: String(MAX),
  NEXTAUTH_SECRET: SECRET,
});

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const pdf = (size: number) =>
  Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(size - 15), Buffer.from("\n%%EOF")]);
const ELF = Buffer.concat([Buffer.from("\x7fELF\x02\x01\x01\0", "latin1"), randomBytes(5000)]);

/** The bytes as a stream of small chunks, as a network upload arrives. */
function streamOf(content: Buffer, chunk = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < content.length; i += chunk) parts.push(content.subarray(i, i + chunk));
  return Readable.from(parts);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Every file under the attachments folder, temporary ones included. */
function storedFiles(): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(dir, f)).isFile(),
  );
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function upload(viewer: Viewer | null, content: Buffer, extra: Partial<UploadAttachmentCommand> = {}) {
  return uploadAttachment(ds, viewer, { fileName: "scan.pdf", stream: streamOf(content), ...extra });
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

async function nothingStoredBy(fn: () => Promise<unknown>): Promise<void> {
  const files = storedFiles().length;
  const rows = await rowCount(ds, "attachment");
  await fn();
  expect(storedFiles()).toHaveLength(files);
  expect(await rowCount(ds, "attachment")).toBe(rows);
}

describe("uploadAttachment", () => {
  it("stores an upload with its sha256, size and sniffed type, and audits it", async () => {
    const content = pdf(40_000);
    const a = await upload(city.intake.viewer, content, { fileName: "letter.txt" });
    expect(a).toMatchObject({
      fileName: "letter.txt",
      contentType: "application/pdf",
      sizeBytes: 40_000,
      sha256: sha256(content),
      uploadedById: city.intake.id,
      contactId: null,
    });
    expect(a.storageKey).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}$/);
    expect(fs.readFileSync(path.join(dir, a.storageKey)).equals(content)).toBe(true);
    const event = await ds.getRepository(AuditEvent).findOneByOrFail({ entityId: a.id });
    expect(event).toMatchObject({ action: "attachment.uploaded", actorId: city.intake.id });
    expect(JSON.stringify(event.after)).not.toContain("letter.txt");
  });

  it("stores an upload of exactly the size limit", async () => {
    const content = pdf(MAX);
    const a = await upload(city.intake.viewer, content);
    expect(a.sizeBytes).toBe(MAX);
    expect(a.sha256).toBe(sha256(content));
  });

  it("refuses an upload one byte over the limit, leaving no file and no row", async () => {
    await nothingStoredBy(async () => {
      const e = await refusal(upload(city.intake.viewer, pdf(MAX + 1)));
      expect(e).toMatchObject({ code: "BAD_USER_INPUT", field: "file", details: { reason: "TOO_LARGE" } });
    });
  });

  it.each([
    ["an ELF binary named letter.pdf", ELF, "letter.pdf"],
    [
      "a zip named photo.png",
      Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), randomBytes(3000)]),
      "photo.png",
    ],
    [
      "an HTML page named notes.txt",
      Buffer.from("<!doctype html><html><script>alert(1)</script>"),
      "notes.txt",
    ],
    ["text that turns binary after the first bytes", Buffer.from(`${"a".repeat(9000)}\0tail`), "notes.txt"],
    ["an empty file", Buffer.alloc(0), "empty.pdf"],
  ])("refuses %s, storing nothing", async (_what, content, fileName) => {
    await nothingStoredBy(async () => {
      const e = await refusal(upload(city.intake.viewer, content, { fileName }));
      expect(e).toMatchObject({ code: "BAD_USER_INPUT", field: "file" });
    });
  });

  it("takes the type from the content: a PNG named fax.tif is an image/png, long plain text is text/plain", async () => {
    expect((await upload(city.intake.viewer, PNG, { fileName: "fax.tif" })).contentType).toBe("image/png");
    const text = Buffer.from("Queja sobre el alumbrado público en la calle Ñandú.\n".repeat(400));
    expect((await upload(city.intake.viewer, text, { fileName: "x.pdf" })).contentType).toBe("text/plain");
  });

  it("refuses anonymous callers and roles that may not attach documents, storing nothing", async () => {
    await nothingStoredBy(async () => {
      expect((await refusal(upload(null, PNG))).code).toBe("UNAUTHENTICATED");
      expect((await refusal(upload(city.analyst.viewer, PNG))).code).toBe("FORBIDDEN");
      expect((await refusal(upload(city.admin.viewer, PNG))).code).toBe("FORBIDDEN");
    });
  });

  it("removes the stored file when the row cannot be written", async () => {
    const events = await rowCount(ds, "audit_event");
    await nothingStoredBy(async () => {
      await expect(
        uploadAttachment(
          ds,
          city.intake.viewer,
          { fileName: "a.png", stream: streamOf(PNG) },
          {
            afterInsert: async () => {
              throw new Error("injected failure");
            },
          },
        ),
      ).rejects.toThrow("injected failure");
    });
    expect(await rowCount(ds, "audit_event")).toBe(events);
  });

  it("links to a contact the uploader may see", async () => {
    const c = await makeConstituent(ds, city.intake.viewer);
    const contact = await makeContact(ds, city.intake.viewer, {
      constituentId: c.id,
      categoryId: city.pothole.id,
    });
    const a = await upload(city.streetsStaff.viewer, PNG, { contactId: contact.id });
    expect(a.contactId).toBe(contact.id);
  });

  it("refuses to link to a confidential contact the uploader may not see, exactly as to a missing one", async () => {
    const hidden = await makeContact(ds, city.intake.viewer, {
      confidential: true,
      categoryId: city.pothole.id,
    });
    const otherClerk = await makeStaff(ds, Role.INTAKE);
    await nothingStoredBy(async () => {
      const e = await refusal(upload(otherClerk.viewer, PNG, { contactId: hidden.id }));
      const missing = await refusal(
        upload(otherClerk.viewer, PNG, { contactId: "00000000-0000-4000-8000-000000000000" }),
      );
      expect(e.code).toBe("NOT_FOUND");
      expect(e.message).toBe(missing.message);
    });
  });
});

describe("attachments on a contact", () => {
  it("links an unlinked upload through recordContact's attachmentIds and offers its download URL", async () => {
    const a = await upload(city.intake.viewer, PNG, { fileName: "photo.png" });
    const c = await makeConstituent(ds, city.intake.viewer);
    const contact = await makeContact(ds, city.intake.viewer, {
      constituentId: c.id,
      categoryId: city.pothole.id,
      attachmentIds: [a.id],
    });
    expect((await ds.getRepository(Attachment).findOneByOrFail({ id: a.id })).contactId).toBe(contact.id);
    const res = await gql(
      ds,
      city.streetsStaff.viewer,
      `query($ref: String!) { contact(referenceNumber: $ref) { attachments { id fileName contentType downloadUrl } } }`,
      { ref: contact.referenceNumber },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.contact.attachments).toEqual([
      { id: a.id, fileName: "photo.png", contentType: "image/png", downloadUrl: `/api/attachments/${a.id}` },
    ]);
  });

  it("refuses another clerk's unlinked upload in recordContact", async () => {
    const a = await upload(city.intake.viewer, PNG);
    const otherClerk = await makeStaff(ds, Role.INTAKE);
    const c = await makeConstituent(ds, otherClerk.viewer);
    const e = await refusal(
      makeContact(ds, otherClerk.viewer, {
        constituentId: c.id,
        categoryId: city.pothole.id,
        attachmentIds: [a.id],
      }),
    );
    expect(e.field).toBe("attachmentIds");
    expect((await ds.getRepository(Attachment).findOneByOrFail({ id: a.id })).contactId).toBeNull();
  });
});

describe("openAttachmentForDownload", () => {
  const secret = Buffer.from("Name: Maria Lopez, 12 Elm St. Please keep my name confidential.\n");
  let confidential: Attachment;
  let ordinary: Attachment;
  let unlinked: Attachment;

  beforeAll(async () => {
    confidential = await upload(city.intake.viewer, secret, { fileName: "Maria Lopez letter.txt" });
    await makeContact(ds, city.intake.viewer, {
      confidential: true,
      categoryId: city.pothole.id,
      attachmentIds: [confidential.id],
    });
    ordinary = await upload(city.intake.viewer, PNG, { fileName: "pothole.png" });
    const c = await makeConstituent(ds, city.intake.viewer);
    await makeContact(ds, city.intake.viewer, {
      constituentId: c.id,
      categoryId: city.pothole.id,
      attachmentIds: [ordinary.id],
    });
    unlinked = await upload(city.intake.viewer, PNG, { fileName: "draft.png" });
  });

  async function refusedDownload(viewer: Viewer | null, a: Attachment): Promise<DomainError> {
    const downloads = await ds
      .getRepository(AuditEvent)
      .countBy({ entityId: a.id, action: "attachment.downloaded" });
    let bytes: Buffer | null = null;
    const e = await refusal(
      openAttachmentForDownload(ds, viewer, a.id).then(async (d) => {
        bytes = await readAll(d.stream);
      }),
    );
    expect(bytes).toBeNull();
    expect(e.message).not.toContain(a.fileName);
    expect(
      await ds.getRepository(AuditEvent).countBy({ entityId: a.id, action: "attachment.downloaded" }),
    ).toBe(downloads);
    return e;
  }

  it("refuses an administrator, who may see no contact, with NOT_FOUND and no bytes", async () => {
    expect((await refusedDownload(city.admin.viewer, ordinary)).code).toBe("NOT_FOUND");
    expect((await refusedDownload(city.admin.viewer, confidential)).code).toBe("NOT_FOUND");
  });

  it("refuses a confidential request's document to another clerk, an unassigned department and analysts", async () => {
    const otherClerk = await makeStaff(ds, Role.INTAKE);
    for (const v of [otherClerk.viewer, city.waterStaff.viewer, city.analyst.viewer]) {
      expect((await refusedDownload(v, confidential)).code).toBe("NOT_FOUND");
    }
  });

  it("refuses an unlinked upload to everyone but its uploader", async () => {
    const otherClerk = await makeStaff(ds, Role.INTAKE);
    for (const v of [otherClerk.viewer, city.reviewer.viewer, city.streetsStaff.viewer]) {
      expect((await refusedDownload(v, unlinked)).code).toBe("NOT_FOUND");
    }
    const own = await openAttachmentForDownload(ds, city.intake.viewer, unlinked.id);
    expect((await readAll(own.stream)).equals(PNG)).toBe(true);
  });

  it("refuses anonymous callers, and answers a malformed or unknown id like a hidden one", async () => {
    expect((await refusedDownload(null, ordinary)).code).toBe("UNAUTHENTICATED");
    const unknown = await refusal(openAttachmentForDownload(ds, city.reviewer.viewer, UNKNOWN_ID));
    const malformed = await refusal(openAttachmentForDownload(ds, city.reviewer.viewer, "../../etc/passwd"));
    const hidden = await refusal(openAttachmentForDownload(ds, city.admin.viewer, confidential.id));
    expect(new Set([unknown.message, malformed.message, hidden.message]).size).toBe(1);
  });

  it("gives the uploader, the assigned department and the City Manager's Office the exact bytes", async () => {
    for (const v of [city.intake.viewer, city.streetsStaff.viewer, city.reviewer.viewer]) {
      const d = await openAttachmentForDownload(ds, v, confidential.id);
      expect(d.attachment).toMatchObject({
        contentType: "text/plain",
        sizeBytes: secret.length,
        sha256: sha256(secret),
      });
      expect((await readAll(d.stream)).equals(secret)).toBe(true);
    }
    const events = await ds
      .getRepository(AuditEvent)
      .findBy({ entityId: confidential.id, action: "attachment.downloaded" });
    expect(events.map((e) => e.actorId).sort()).toEqual(
      [city.intake.id, city.streetsStaff.id, city.reviewer.id].sort(),
    );
  });

  it("gives a non-confidential contact's document to any department and to analysts", async () => {
    for (const v of [city.waterStaff.viewer, city.analyst.viewer]) {
      const d = await openAttachmentForDownload(ds, v, ordinary.id);
      expect((await readAll(d.stream)).equals(PNG)).toBe(true);
    }
  });
});

describe("the HTTP routes", () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    // Next's API adapter, reduced to what the routes read: the parsed query and cookies.
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const cookies = Object.fromEntries(
        (req.headers.cookie ?? "")
          .split(";")
          .filter(Boolean)
          .map((c) => c.trim().split("=").map(decodeURIComponent) as [string, string]),
      );
      const id = url.pathname.match(/^\/api\/attachments\/([^/]+)$/)?.[1];
      Object.assign(req, { query: id ? { id: decodeURIComponent(id) } : {}, cookies });
      const route = id ? downloadRoute : uploadRoute;
      void route(req as NextApiRequest, res as NextApiResponse);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.NEXTAUTH_URL = base;
  });
  afterAll(async () => {
    delete process.env.NEXTAUTH_URL;
    await new Promise((r) => server.close(r));
    await closeDatabase();
  });

  /** A real signed session cookie, as next-auth issues it at sign-in. */
  async function cookieFor(v: Viewer | null): Promise<Record<string, string>> {
    if (!v) return {};
    const token = await encode({
      secret: SECRET,
      token: {
        sub: v.id,
        email: v.email,
        name: v.name,
        staffId: v.id,
        role: v.role,
        departmentId: v.departmentId,
      },
    });
    return { cookie: `next-auth.session-token=${token}` };
  }

  async function post(v: Viewer | null, parts: [string, string | Blob, string?][]) {
    const form = new FormData();
    for (const [name, value, fileName] of parts) {
      if (typeof value === "string") form.append(name, value);
      else form.append(name, value, fileName);
    }
    const res = await fetch(`${base}/api/attachments`, {
      method: "POST",
      body: form,
      headers: await cookieFor(v),
    });
    return { status: res.status, body: (await res.json()) as Record<string, Record<string, unknown>> };
  }

  it("uploads through the form, linked to a contact, and serves it back with safe headers", async () => {
    const c = await makeConstituent(ds, city.intake.viewer);
    const contact = await makeContact(ds, city.intake.viewer, {
      constituentId: c.id,
      categoryId: city.pothole.id,
    });
    const content = pdf(30_000);
    const up = await post(city.intake.viewer, [
      ["contactId", contact.id],
      ["file", new Blob([content]), "Carta de la señora.pdf"],
    ]);
    expect(up.status).toBe(201);
    expect(up.body).toEqual({
      id: expect.any(String),
      fileName: "Carta de la señora.pdf",
      contentType: "application/pdf",
      sizeBytes: 30_000,
      sha256: sha256(content),
    });
    const id = up.body.id as unknown as string;
    expect((await ds.getRepository(Attachment).findOneByOrFail({ id })).contactId).toBe(contact.id);

    const down = await fetch(`${base}/api/attachments/${id}`, {
      headers: await cookieFor(city.reviewer.viewer),
    });
    expect(down.status).toBe(200);
    expect(down.headers.get("content-type")).toBe("application/pdf");
    expect(down.headers.get("content-length")).toBe("30000");
    expect(down.headers.get("x-content-type-options")).toBe("nosniff");
    expect(down.headers.get("content-disposition")).toBe(
      `attachment; filename="Carta de la se_ora.pdf"; filename*=UTF-8''Carta%20de%20la%20se%C3%B1ora.pdf`,
    );
    expect(Buffer.from(await down.arrayBuffer()).equals(content)).toBe(true);

    const refused = await fetch(`${base}/api/attachments/${id}`, {
      headers: await cookieFor(city.admin.viewer),
    });
    expect(refused.status).toBe(404);
    const text = await refused.text();
    expect(text).not.toContain("señora");
    expect(text).not.toContain("%PDF");
  });

  it("answers 401 to an anonymous upload and download", async () => {
    await nothingStoredBy(async () => {
      expect((await post(null, [["file", new Blob([PNG]), "a.png"]])).status).toBe(401);
    });
    expect((await fetch(`${base}/api/attachments/${UNKNOWN_ID}`)).status).toBe(401);
  });

  it("answers 413 over the limit and 415 for a refused type, storing nothing", async () => {
    await nothingStoredBy(async () => {
      const big = await post(city.intake.viewer, [["file", new Blob([pdf(MAX + 1)]), "big.pdf"]]);
      expect(big.status).toBe(413);
      expect(big.body.error).toMatchObject({ code: "BAD_USER_INPUT", field: "file" });
      const exe = await post(city.intake.viewer, [["file", new Blob([ELF]), "letter.pdf"]]);
      expect(exe.status).toBe(415);
    });
  });

  it("answers 400 when the form has no file or names the contact after the file, storing nothing", async () => {
    await nothingStoredBy(async () => {
      const none = await post(city.intake.viewer, [["contactId", UNKNOWN_ID]]);
      expect(none).toMatchObject({ status: 400, body: { error: { field: "file" } } });
      const late = await post(city.intake.viewer, [
        ["file", new Blob([PNG]), "a.png"],
        ["contactId", UNKNOWN_ID],
      ]);
      expect(late).toMatchObject({ status: 400, body: { error: { field: "contactId" } } });
    });
  });

  it("answers 403 to a role that may not upload", async () => {
    await nothingStoredBy(async () => {
      expect((await post(city.analyst.viewer, [["file", new Blob([PNG]), "a.png"]])).status).toBe(403);
    });
  });
});
