import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NextApiRequest, NextApiResponse } from "next";
import type { DataSource } from "typeorm";
import uploadRoute from "../../pages/api/public/uploads";
import { closeDatabase } from "../../src/server/db/data-source";
import { CSRF_COOKIE, CSRF_HEADER, newCsrfToken } from "../../src/server/self-service/csrf";
import { makeCity } from "../factories/reference.factory";
import { makePublicRequest } from "../factories/public-request.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { settingsForThisFile, tempDirForThisFile } from "../support/settings";

const MAX = 20_000;
const LIMIT = 8;
settingsForThisFile({
  STAR_ATTACHMENTS_DIR: tempDirForThisFile("star-public-upload-route-"),
  STAR_PUBLIC_MAX_UPLOAD_BYTES: String(MAX),
  STAR_PUBLIC_UPLOAD_LIMIT: String(LIMIT),
  NEXTAUTH_SECRET: "public-upload-route-secret-0123456789abcdef",
});

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
/** A PNG's signature followed by filler: sniffed as a PNG, `size` bytes long. */
const bigPng = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 7)]);

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let server: http.Server;
let base: string;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  server = http.createServer((req, res) => {
    void uploadRoute(
      Object.assign(req, { query: {}, cookies: {} }) as NextApiRequest,
      res as NextApiResponse,
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => ds.query(`DELETE FROM public_rate_limit`));
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await closeDatabase();
  await ds.destroy();
});

async function upload(
  file: Buffer,
  opts: { csrf?: "valid" | "missing" | "mismatched"; name?: string } = {},
): Promise<{
  status: number;
  retryAfter: string | null;
  body: { id?: string; error?: { code: string; field?: string } };
}> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file)]), opts.name ?? "hole.png");
  const token = newCsrfToken();
  const headers: Record<string, string> = {};
  if (opts.csrf !== "missing") {
    headers.cookie = `${CSRF_COOKIE}=${token}`;
    headers[CSRF_HEADER] = opts.csrf === "mismatched" ? newCsrfToken() : token;
  }
  const res = await fetch(`${base}/api/public/uploads`, { method: "POST", body: form, headers });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as never,
  };
}

describe("the public upload route", () => {
  it("takes a photo with the form's token, and refuses one without it or with another, storing nothing", async () => {
    const before = await rowCount(ds, "attachment");
    expect((await upload(PNG, { csrf: "missing" })).status).toBe(403);
    expect((await upload(PNG, { csrf: "mismatched" })).status).toBe(403);
    expect(await rowCount(ds, "attachment")).toBe(before);
    const ok = await upload(PNG);
    expect(ok.status).toBe(201);
    expect(await rowCount(ds, "attachment")).toBe(before + 1);
  });

  it("refuses a file over the size limit with 413 and one that is not a photo or letter with 415", async () => {
    const before = await rowCount(ds, "attachment");
    expect((await upload(bigPng(MAX))).status).toBe(201);
    const big = await upload(bigPng(MAX + 1));
    expect(big.status).toBe(413);
    expect(big.body.error?.field).toBe("file");
    const text = await upload(Buffer.from("just some words, not a photo"), { name: "photo.png" });
    expect(text.status).toBe(415);
    expect(await rowCount(ds, "attachment")).toBe(before + 1);
  });

  it("holds a client address to the upload limit: 429 past it", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await upload(PNG)).status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const refused = await upload(PNG);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(await rowCount(ds, "attachment")).toBeGreaterThan(0);
  });

  it("links at most five uploads to one request", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await upload(PNG)).body.id!);
    await expect(
      makePublicRequest(ds, { categoryId: city.pothole.id, attachmentIds: ids }),
    ).rejects.toMatchObject({ field: "attachmentIds" });
    const sent = await makePublicRequest(ds, { categoryId: city.pothole.id, attachmentIds: ids.slice(0, 5) });
    const linked = await ds.query(`SELECT count(*)::int AS n FROM attachment WHERE contact_id = $1`, [
      sent.contactId,
    ]);
    expect(linked[0].n).toBe(5);
  });
});
