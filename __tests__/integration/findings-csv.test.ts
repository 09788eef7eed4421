import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NextApiRequest, NextApiResponse } from "next";
import { encode } from "next-auth/jwt";
import type { DataSource } from "typeorm";
import { makeCategory, makeCity } from "../factories/reference.factory";
import { makeRequest, makeResponse } from "../factories/sla.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import findingsRoute from "../../pages/api/reports/findings.csv";
import type { Viewer } from "../../src/server/auth/viewer";
import { resetConfig } from "../../src/server/config/config";
import { closeDatabase } from "../../src/server/db/data-source";
import { parseCsv } from "../../src/server/records/csv";

const SECRET = "findings-csv-test-secret-0123456789abcdef";
const at = (date: string, time = "09:00") => new Date(`${date}T${time}:00-07:00`);
const QUERY = "from=2026-11-14&to=2026-11-20";
const FORMULA = '=HYPERLINK("http://evil.example","click")';

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let server: http.Server;
let base: string;
let reference: string;

beforeAll(async () => {
  process.env.NEXTAUTH_SECRET = SECRET;
  ds = await openTestDataSource();
  resetConfig();
  await resetDatabase(ds);
  city = await makeCity(ds);
  // A category whose name a spreadsheet would run, and a contact with two final answers.
  const category = await makeCategory(ds, { name: FORMULA, departmentId: city.streets.id });
  const r = await makeRequest(ds, {
    categoryId: category.id,
    receivedAt: at("2026-11-14"),
    assignments: [
      {
        departmentId: city.streets.id,
        status: "COMPLETED",
        dueAt: at("2026-11-30", "17:00"),
        completedAt: at("2026-11-16"),
      },
    ],
  });
  for (const day of ["2026-11-16", "2026-11-17"]) {
    await makeResponse(ds, {
      assignmentId: r.assignmentIds[0],
      body: "Fixed.",
      isFinal: true,
      createdAt: at(day),
    });
  }
  reference = r.referenceNumber;
  // Next's API adapter, reduced to what the route reads: the parsed query and cookies.
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const cookies = Object.fromEntries(
      (req.headers.cookie ?? "")
        .split(";")
        .filter(Boolean)
        .map((c) => c.trim().split("=").map(decodeURIComponent) as [string, string]),
    );
    Object.assign(req, { query: Object.fromEntries(url.searchParams), cookies });
    void findingsRoute(req as NextApiRequest, res as NextApiResponse);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.NEXTAUTH_URL = base;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await closeDatabase();
  await ds.destroy();
  delete process.env.NEXTAUTH_URL;
  delete process.env.NEXTAUTH_SECRET;
  resetConfig();
});

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

describe("the consistency findings CSV", () => {
  it("gives a reviewer the period's findings as a CSV download, formulas neutralised", async () => {
    const res = await fetch(`${base}/api/reports/findings.csv?${QUERY}`, {
      headers: await cookieFor(city.reviewer.viewer),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="consistency-findings-2026-11-14-2026-11-20.csv"',
    );
    const text = await res.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const [head, ...rows] = parseCsv(text);
    expect(head.slice(0, 5)).toEqual(["kind", "reference_number", "departments", "category", "detail"]);
    const conflicting = rows.filter((r) => r[0] === "CONFLICTING_ANSWERS");
    expect(conflicting.map((r) => [r[1], r[2], r[3]])).toEqual([
      [reference, "Street Maintenance", `'${FORMULA}`],
    ]);
    expect(rows.every((r) => !/^[=+@-]/.test(r[3]))).toBe(true);
  });

  it("narrows to the kinds asked for, and refuses an unknown kind", async () => {
    const headers = await cookieFor(city.admin.viewer);
    const only = await fetch(`${base}/api/reports/findings.csv?${QUERY}&kinds=NO_ACTIVITY`, { headers });
    const rows = parseCsv(await only.text()).slice(1);
    expect(rows.every((r) => r[0] === "NO_ACTIVITY")).toBe(true);
    const bad = await fetch(`${base}/api/reports/findings.csv?${QUERY}&kinds=EVERYTHING`, { headers });
    expect(bad.status).toBe(400);
  });

  it.each([
    ["a department", () => city.streetsStaff.viewer, 403],
    ["an analyst", () => city.analyst.viewer, 403],
    ["an intake clerk", () => city.intake.viewer, 403],
    ["an anonymous caller", () => null, 401],
  ])("refuses %s with no finding in the response", async (_who, viewer, status) => {
    const res = await fetch(`${base}/api/reports/findings.csv?${QUERY}`, {
      headers: await cookieFor(viewer()),
    });
    expect(res.status).toBe(status);
    const body = await res.text();
    expect(body).not.toContain(reference);
    expect(body).not.toContain("CONFLICTING_ANSWERS");
  });
});
