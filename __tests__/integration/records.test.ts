import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { NextApiRequest, NextApiResponse } from "next";
import { encode } from "next-auth/jwt";
import type { DataSource } from "typeorm";
import packageRoute from "../../pages/api/records/[id]/package";
import type { Viewer } from "../../src/server/auth/viewer";
import { closeDatabase } from "../../src/server/db/data-source";
import { storage } from "../../src/server/storage/storage";
import {
  AuditEvent,
  RecordsRequest,
  ResponseChannel,
  ResponseKind,
  Role,
  type Contact,
} from "../../entities";
import { uploadAttachment } from "../../src/server/attachments/attachment.service";
import { respondToAssignment } from "../../src/server/assignments/assignment.service";
import { resetConfig } from "../../src/server/config/config";
import { DomainError } from "../../src/server/errors/domain-error";
import { parseCsv } from "../../src/server/records/csv";
import { openRecordsPackage, produceRecordsPackage } from "../../src/server/records/records-export.service";
import { closeRecordsRequest, recordsDueAt } from "../../src/server/records/records-request.service";
import { RedactionRule, reasonOf, type Redaction } from "../../src/server/records/redaction";
import { localDate } from "../../src/server/routing/business-days";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeRecordsRequest } from "../factories/records.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import { unzip } from "../support/unzip";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "star-records-test-"));
const SECRET = "records-test-secret-0123456789abcdef";
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const SECRET_LETTER = Buffer.from(
  "Dear city, I am Maria Secreta of 9 Hidden Lane. Please fix the pothole.\n",
);

// Values that must never leave in a package, however they are spelled.
const NEVER = [
  "hidden.caller@example.net",
  "+16025550177",
  "555-0177",
  "5550177",
  "Maria Secreta",
  "Hidden Lane",
  "ana.morales@example.com",
  "+16025550101",
  "ana.alt@example.org",
  "555-0199",
  "streets.help@city.example",
  "555.0100",
];

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let ana: Awaited<ReturnType<typeof makeConstituent>>;
let c1: Contact;
let c2: Contact;
let c3: Contact;
let outside: Contact;
let photoId: string;
let letterId: string;
let responseId: string;
let scope: { categoryIds: string[]; receivedFrom: string; receivedTo: string };

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

beforeAll(async () => {
  process.env.STAR_ATTACHMENTS_DIR = dir;
  process.env.NEXTAUTH_SECRET = SECRET;
  delete process.env.STAR_RECORDS_MASKED_FIELDS;
  ds = await openTestDataSource();
  resetConfig();
  await resetDatabase(ds);
  await ds.query(`ALTER SEQUENCE records_request_reference_seq RESTART`);
  city = await makeCity(ds);
  const intake = city.intake.viewer;
  ana = await makeConstituent(ds, intake, {
    firstName: "Ana",
    lastName: "Morales",
    email: "ana.morales@example.com",
    phone: "(602) 555-0101",
    addressLine1: "12 W Elm St",
    city: "Phoenix",
  });
  c1 = await makeContact(ds, intake, {
    categoryId: city.pothole.id,
    constituentId: ana.id,
    receivedAt: hoursAgo(3),
    description: "Pothole on Elm St. Call me at (602) 555-0199 or write to ana.alt@example.org.",
  });
  c2 = await makeContact(ds, intake, {
    categoryId: city.pothole.id,
    confidential: true,
    callbackPhone: "602-555-0177",
    callbackEmail: "hidden.caller@example.net",
    receivedAt: hoursAgo(2),
    description: "Pothole outside my house; please keep my name private.",
    locationAddress: "1418 N Saguaro Vista Ln",
    locationLat: 33.4611,
    locationLong: -112.0933,
  });
  c3 = await makeContact(ds, intake, {
    categoryId: city.pothole.id,
    constituentId: ana.id,
    receivedAt: hoursAgo(1),
    description: "A second pothole near the library.",
  });
  outside = await makeContact(ds, intake, {
    categoryId: city.leak.id,
    constituentId: ana.id,
    receivedAt: hoursAgo(1),
    description: "Water running down the street: outside the request's scope.",
  });
  photoId = (
    await uploadAttachment(ds, intake, {
      fileName: "elm-st-photo.png",
      stream: Readable.from([PNG]),
      contactId: c1.id,
    })
  ).id;
  letterId = (
    await uploadAttachment(ds, intake, {
      fileName: "Maria Secreta letter.txt",
      stream: Readable.from([SECRET_LETTER]),
      contactId: c2.id,
    })
  ).id;
  const lead = c1.assignments![0];
  responseId = (
    await respondToAssignment(ds, city.streetsStaff.viewer, {
      assignmentId: lead.id,
      version: lead.version,
      kind: ResponseKind.RESPONSE,
      channel: ResponseChannel.PHONE,
      body: "Crews will fill it this week. Questions: streets.help@city.example or 602.555.0100.",
    })
  ).id;
  const tz = "America/Phoenix";
  scope = {
    categoryIds: [city.pothole.id],
    receivedFrom: localDate(hoursAgo(24), tz),
    receivedTo: localDate(new Date(), tz),
  };
});
afterAll(async () => {
  await ds.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.STAR_ATTACHMENTS_DIR;
  delete process.env.NEXTAUTH_SECRET;
  resetConfig();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** CSV text as objects keyed by the header row. */
function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** A JSON record as its CSV row: nested objects flattened with dots, null as empty, true as "true". */
function asCsv(value: Record<string, unknown>, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === "object") Object.assign(out, asCsv(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v == null ? "" : String(v);
  }
  return out;
}

const log = (record: string, field: string, rule: RedactionRule): Redaction => ({
  record,
  field,
  rule,
  reason: reasonOf(rule),
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

const PREVIEW = `query ($id: ID!) {
  previewRecordsPackage(id: $id) {
    contacts assignments responses attachments attachmentFiles redactions
    redactionsByRule { rule count }
  }
}`;

describe("a records package built from a seeded scope", () => {
  let request: RecordsRequest;
  let files: Map<string, Buffer>;
  let zipBytes: Buffer;

  beforeAll(async () => {
    request = await makeRecordsRequest(ds, city.reviewer.viewer, { scope });
  });

  it("records the request with a PRR reference and a due date under the city's policy", () => {
    expect(request.referenceNumber).toMatch(/^PRR-\d{2}-000001$/);
    expect(request.status).toBe("RECEIVED");
    expect(request.dueAt).toEqual(recordsDueAt(request.receivedAt));
    expect(request.dueAt.getTime() - request.receivedAt.getTime()).toBeGreaterThan(13 * 86_400_000);
  });

  it("previews the counts and the redactions by rule without producing anything", async () => {
    const res = await gql(ds, city.reviewer.viewer, PREVIEW, { id: request.id });
    expect(res.errors).toBeUndefined();
    const byRule = Object.fromEntries(
      (res.data!.previewRecordsPackage.redactionsByRule as { rule: string; count: number }[]).map((r) => [
        r.rule,
        r.count,
      ]),
    );
    expect(res.data!.previewRecordsPackage).toMatchObject({
      contacts: 3,
      assignments: 3,
      responses: 1,
      attachments: 2,
      attachmentFiles: 1,
      redactions: 13,
    });
    expect(byRule).toEqual({
      CONFIDENTIAL_REQUEST: 1,
      CONFIDENTIAL_LOCATION: 2,
      CALLBACK: 1,
      MASKED_FIELD: 4,
      EMAIL_IN_TEXT: 2,
      PHONE_IN_TEXT: 2,
      CONFIDENTIAL_ATTACHMENT: 1,
    });
    const stored = await ds.getRepository(RecordsRequest).findOneByOrFail({ id: request.id });
    expect(stored.packageStorageKey).toBeNull();
    expect(stored.version).toBe(request.version);
  });

  it("produces the package through the schema and stores it with its sha256", async () => {
    const res = await gql(
      ds,
      city.reviewer.viewer,
      `mutation ($input: RecordsRequestVersionInput!) {
        produceRecordsPackage(input: $input) {
          status version packageSha256 packageSizeBytes packageUrl
          counts { contacts assignments responses attachments attachmentFiles redactions }
        }
      }`,
      { input: { id: request.id, version: request.version } },
    );
    expect(res.errors).toBeUndefined();
    const produced = res.data!.produceRecordsPackage;
    expect(produced).toMatchObject({
      status: "PRODUCED",
      version: request.version + 1,
      packageUrl: `/api/records/${request.id}/package`,
      counts: {
        contacts: 3,
        assignments: 3,
        responses: 1,
        attachments: 2,
        attachmentFiles: 1,
        redactions: 13,
      },
    });
    const download = await openRecordsPackage(ds, city.reviewer.viewer, request.id);
    expect(download.fileName).toBe(`${request.referenceNumber}.zip`);
    zipBytes = await readAll(download.stream);
    expect(zipBytes.length).toBe(produced.packageSizeBytes);
    expect(createHash("sha256").update(zipBytes).digest("hex")).toBe(produced.packageSha256);
    files = unzip(zipBytes);
    request = await ds.getRepository(RecordsRequest).findOneByOrFail({ id: request.id });
  });

  it("holds exactly the CSV, JSON, redaction log, manifest and the one releasable attachment", () => {
    expect([...files.keys()].sort()).toEqual(
      [
        "manifest.json",
        "contacts.csv",
        "contacts.json",
        "assignments.csv",
        "assignments.json",
        "responses.csv",
        "responses.json",
        "attachments.csv",
        "attachments.json",
        "redaction-log.csv",
        "redaction-log.json",
        `attachments/${photoId}-elm-st-photo.png`,
      ].sort(),
    );
    expect(files.get(`attachments/${photoId}-elm-st-photo.png`)).toEqual(PNG);
  });

  it("lists the contacts in scope, masked, in order of receipt, the same in CSV and JSON", () => {
    const common = {
      channel: "PHONE",
      categoryCode: city.pothole.code,
      categoryName: "Pothole",
      leadDepartment: city.streets.code,
      locationAddress: null,
      locationLat: null,
      locationLong: null,
      language: "en",
      duplicateOf: null,
      publicRecordNoticeGiven: false,
    };
    const anaMasked = {
      id: ana.id,
      firstName: "Ana",
      lastName: "Morales",
      organization: null,
      email: "[REDACTED]",
      phone: "[REDACTED]",
      addressLine1: "12 W Elm St",
      addressLine2: null,
      city: "Phoenix",
      state: null,
      postalCode: null,
    };
    const expected = [
      {
        referenceNumber: c1.referenceNumber,
        ...common,
        receivedAt: c1.receivedAt.toISOString(),
        description: "Pothole on Elm St. Call me at [phone redacted] or write to [email redacted].",
        confidential: false,
        constituent: anaMasked,
      },
      {
        referenceNumber: c2.referenceNumber,
        ...common,
        receivedAt: c2.receivedAt.toISOString(),
        description: "Pothole outside my house; please keep my name private.",
        // Outside the house: where the issue is would say where the requester lives.
        locationAddress: "[REDACTED]",
        confidential: true,
        constituent: null,
      },
      {
        referenceNumber: c3.referenceNumber,
        ...common,
        receivedAt: c3.receivedAt.toISOString(),
        description: "A second pothole near the library.",
        confidential: false,
        constituent: anaMasked,
      },
    ];
    const json = JSON.parse(files.get("contacts.json")!.toString("utf8"));
    expect(json.map((c: Record<string, unknown>) => Object.keys(c).sort())).toEqual(
      expected.map((c) => Object.keys(c).sort()),
    );
    expect(json).toEqual(expected);
    const csv = csvObjects(files.get("contacts.csv")!.toString("utf8"));
    const emptyConstituent = Object.fromEntries(
      Object.keys(asCsv({ constituent: anaMasked })).map((k) => [k, ""]),
    );
    expect(csv).toEqual(
      expected.map(({ constituent, ...c }) => ({
        ...asCsv(c),
        ...(constituent ? asCsv({ constituent }) : emptyConstituent),
      })),
    );
    expect(JSON.stringify(json)).not.toContain(outside.referenceNumber);
  });

  it("lists the assignments, responses and attachments of those contacts", () => {
    const assignments = JSON.parse(files.get("assignments.json")!.toString("utf8"));
    expect(assignments.map((a: { contactReference: string }) => a.contactReference)).toEqual([
      c1.referenceNumber,
      c2.referenceNumber,
      c3.referenceNumber,
    ]);
    expect(assignments[0]).toMatchObject({
      department: city.streets.code,
      isLead: true,
      status: "IN_PROGRESS",
    });
    expect(csvObjects(files.get("assignments.csv")!.toString("utf8"))).toEqual(
      assignments.map((x: Record<string, unknown>) => asCsv(x)),
    );

    const responses = JSON.parse(files.get("responses.json")!.toString("utf8"));
    expect(responses).toEqual([
      expect.objectContaining({
        id: responseId,
        contactReference: c1.referenceNumber,
        kind: "RESPONSE",
        channel: "PHONE",
        body: "Crews will fill it this week. Questions: [email redacted] or [phone redacted].",
      }),
    ]);
    expect(csvObjects(files.get("responses.csv")!.toString("utf8"))).toEqual(
      responses.map((x: Record<string, unknown>) => asCsv(x)),
    );

    const attachments = JSON.parse(files.get("attachments.json")!.toString("utf8"));
    expect(attachments).toEqual([
      expect.objectContaining({
        id: photoId,
        contactReference: c1.referenceNumber,
        fileName: "elm-st-photo.png",
        contentType: "image/png",
        sizeBytes: PNG.length,
        packagePath: `attachments/${photoId}-elm-st-photo.png`,
      }),
      expect.objectContaining({
        id: letterId,
        contactReference: c2.referenceNumber,
        fileName: null,
        contentType: "text/plain",
        packagePath: null,
      }),
    ]);
    expect(csvObjects(files.get("attachments.csv")!.toString("utf8"))).toEqual(
      attachments.map((x: Record<string, unknown>) => asCsv(x)),
    );
  });

  it("logs every redaction with its rule and reason, in CSV and JSON", () => {
    const expected = [
      log(`contact ${c1.referenceNumber}`, "constituent.email", RedactionRule.MASKED_FIELD),
      log(`contact ${c1.referenceNumber}`, "constituent.phone", RedactionRule.MASKED_FIELD),
      log(`contact ${c1.referenceNumber}`, "description", RedactionRule.EMAIL_IN_TEXT),
      log(`contact ${c1.referenceNumber}`, "description", RedactionRule.PHONE_IN_TEXT),
      log(`contact ${c2.referenceNumber}`, "constituent", RedactionRule.CONFIDENTIAL_REQUEST),
      log(`contact ${c2.referenceNumber}`, "callback", RedactionRule.CALLBACK),
      log(`contact ${c2.referenceNumber}`, "locationAddress", RedactionRule.CONFIDENTIAL_LOCATION),
      log(`contact ${c2.referenceNumber}`, "locationLatLong", RedactionRule.CONFIDENTIAL_LOCATION),
      log(`contact ${c3.referenceNumber}`, "constituent.email", RedactionRule.MASKED_FIELD),
      log(`contact ${c3.referenceNumber}`, "constituent.phone", RedactionRule.MASKED_FIELD),
      log(`response ${responseId}`, "body", RedactionRule.EMAIL_IN_TEXT),
      log(`response ${responseId}`, "body", RedactionRule.PHONE_IN_TEXT),
      log(`attachment ${letterId}`, "file", RedactionRule.CONFIDENTIAL_ATTACHMENT),
    ];
    expect(JSON.parse(files.get("redaction-log.json")!.toString("utf8"))).toEqual(expected);
    expect(csvObjects(files.get("redaction-log.csv")!.toString("utf8"))).toEqual(expected);
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    expect(manifest).toMatchObject({
      referenceNumber: request.referenceNumber,
      counts: { contacts: 3, redactions: 13 },
      maskedFields: ["constituent.email", "constituent.phone"],
    });
  });

  it("carries no confidential data, callback or masked value anywhere in the package's bytes", () => {
    const everything = [zipBytes, ...files.values()].map((b) => b.toString("latin1")).join("\n");
    for (const value of NEVER) expect(everything).not.toContain(value);
    expect(everything).not.toContain(SECRET_LETTER.toString("latin1"));
    expect(everything).not.toContain("Saguaro Vista");
    expect(everything).not.toContain("33.4611");
    // The requester's details stay with the request, not in what the public receives.
    expect(everything).not.toContain(request.requesterEmail!);
  });

  it("audits the production and one export view per person whose record left, never the confidential one", async () => {
    const events = await ds.getRepository(AuditEvent).find({ order: { id: "ASC" } });
    const produced = events.filter((e) => e.action === "records_request.produced");
    expect(produced).toHaveLength(1);
    expect(produced[0]).toMatchObject({ actorId: city.reviewer.id, entityId: request.id });
    expect(produced[0].after).toMatchObject({
      packageSha256: request.packageSha256,
      counts: { contacts: 3 },
    });
    const views = events.filter((e) => e.action === "constituent.exported");
    expect(views.map((e) => [e.entityId, e.actorId, e.after])).toEqual([
      [ana.id, city.reviewer.id, { recordsRequestId: request.id, referenceNumber: request.referenceNumber }],
    ]);
    expect(events.filter((e) => e.action === "records_request.package_downloaded")).toHaveLength(1);
  });

  it("refuses a stale version, closes once produced, and produces nothing more once closed", async () => {
    const stale = await refusal(
      produceRecordsPackage(ds, city.reviewer.viewer, { id: request.id, version: 1 }),
    );
    expect(stale.code).toBe("CONFLICT");
    const closed = await closeRecordsRequest(ds, city.admin.viewer, {
      id: request.id,
      version: request.version,
    });
    expect(closed).toMatchObject({ status: "CLOSED", version: request.version + 1 });
    const after = await refusal(
      produceRecordsPackage(ds, city.reviewer.viewer, { id: request.id, version: closed.version }),
    );
    expect(after.code).toBe("CONFLICT");
  });
});

describe("records request rules", () => {
  it("needs a scope that narrows and names what exists", async () => {
    const input = (s: Record<string, unknown>) => ({
      requesterName: "A. Reporter",
      description: "Everything.",
      scope: s,
    });
    const q = `mutation ($input: RecordRecordsRequestInput!) { recordRecordsRequest(input: $input) { id } }`;
    const empty = await gql(ds, city.reviewer.viewer, q, { input: input({}) });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "scope" });
    const unknown = await gql(ds, city.reviewer.viewer, q, {
      input: input({ categoryIds: ["9b2a3c4d-0000-4000-8000-000000000001"] }),
    });
    expect(unknown.errors?.[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "scope.categoryIds",
    });
    const backwards = await gql(ds, city.reviewer.viewer, q, {
      input: input({ receivedFrom: "2026-12-02", receivedTo: "2026-12-01" }),
    });
    expect(backwards.errors?.[0].extensions).toMatchObject({ field: "scope.receivedTo" });
    const admin = await gql(ds, city.admin.viewer, q, { input: input({ text: "pothole" }) });
    expect(admin.errors).toBeUndefined();
  });

  it.each([Role.INTAKE, Role.DEPARTMENT, Role.ANALYST])(
    "gives %s no records requests, previews, packages or audit log, through the schema",
    async (role) => {
      const viewer = {
        INTAKE: city.intake,
        DEPARTMENT: city.streetsStaff,
        ANALYST: city.analyst,
      }[role as "INTAKE" | "DEPARTMENT" | "ANALYST"].viewer;
      const [someone] = await ds.getRepository(RecordsRequest).find({ take: 1 });
      const before = await rowCount(ds, "records_request");
      for (const [query, variables] of [
        [`{ recordsRequests { id requesterName } }`, {}],
        [`query ($id: ID!) { recordsRequest(id: $id) { id requesterName } }`, { id: someone.id }],
        [PREVIEW, { id: someone.id }],
        [`{ auditEvents { edges { node { id action } } } }`, {}],
        [
          `mutation ($input: RecordRecordsRequestInput!) { recordRecordsRequest(input: $input) { id } }`,
          { input: { requesterName: "X", description: "Y", scope: { text: "pothole" } } },
        ],
        [
          `mutation ($input: RecordsRequestVersionInput!) { produceRecordsPackage(input: $input) { id } }`,
          { input: { id: someone.id, version: someone.version } },
        ],
      ] as const) {
        const res = await gql(ds, viewer, query, variables);
        expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
        // Nullable fields come back null: no data either way.
        expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
      }
      expect(await rowCount(ds, "records_request")).toBe(before);
      const download = await refusal(openRecordsPackage(ds, viewer, someone.id));
      expect(download.code).toBe("FORBIDDEN");
    },
  );
});

describe("the audit log", () => {
  it("refuses UPDATE, DELETE and TRUNCATE at the database level", async () => {
    const [{ id }] = await ds.query(`SELECT id FROM audit_event ORDER BY id LIMIT 1`);
    await expect(ds.query(`UPDATE audit_event SET action = 'tampered' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM audit_event WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    expect(await rowCount(ds, "audit_event")).toBeGreaterThan(0);
    const [row] = await ds.query(`SELECT action FROM audit_event WHERE id = $1`, [id]);
    expect(row.action).not.toBe("tampered");
  });

  const PAGE = `query ($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id at action entityType entityId actor { email } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type Page = {
    auditEvents: {
      edges: {
        node: {
          id: string;
          action: string;
          entityType: string;
          entityId: string;
          actor: { email: string } | null;
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  it("filters by who, action, entity and dates, newest first, for a reviewer and an administrator", async () => {
    const all = await ds.query(`SELECT id::text AS id FROM audit_event ORDER BY at DESC, id DESC`);
    const res = await gql<Page>(ds, city.admin.viewer, PAGE, { first: 200 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.auditEvents.edges.map((e) => e.node.id)).toEqual(all.map((r: { id: string }) => r.id));

    const records = await gql<Page>(ds, city.reviewer.viewer, PAGE, {
      filter: { action: "records_request.", actorEmail: city.reviewer.email },
    });
    expect(records.data!.auditEvents.edges.map((e) => e.node.action)).toEqual([
      "records_request.package_downloaded",
      "records_request.produced",
      "records_request.recorded",
    ]);
    expect(records.data!.auditEvents.edges.every((e) => e.node.actor?.email === city.reviewer.email)).toBe(
      true,
    );

    const views = await gql<Page>(ds, city.reviewer.viewer, PAGE, {
      filter: { entityType: "constituent", entityId: ana.id, action: "constituent.exported" },
    });
    expect(views.data!.auditEvents.edges).toHaveLength(1);

    const today = localDate(new Date(), "America/Phoenix");
    const dated = await gql<Page>(ds, city.reviewer.viewer, PAGE, {
      filter: { from: today, to: today },
      first: 200,
    });
    expect(dated.data!.auditEvents.edges).toHaveLength(all.length);
    const future = await gql<Page>(ds, city.reviewer.viewer, PAGE, { filter: { from: "2099-01-01" } });
    expect(future.data!.auditEvents.edges).toEqual([]);
  });

  it("pages with cursors through the same events as one long page", async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { data?: Page | null } = await gql<Page>(ds, city.reviewer.viewer, PAGE, {
        first: 3,
        after,
      });
      const page = res.data!.auditEvents;
      expect(page.edges.length).toBeLessThanOrEqual(3);
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const all = await ds.query(`SELECT id::text AS id FROM audit_event ORDER BY at DESC, id DESC`);
    expect(ids).toEqual(all.map((r: { id: string }) => r.id));
    const bad = await gql(ds, city.reviewer.viewer, PAGE, { after: "not-a-cursor" });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});

/** Every stored object under the attachments folder (temporary files included). */
function storedFiles(): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(dir, f)).isFile(),
  );
}

describe("the package download route", () => {
  let server: http.Server;
  let base: string;
  let request: RecordsRequest;

  beforeAll(async () => {
    // Next's API adapter, reduced to what the route reads: the parsed query and cookies.
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const cookies = Object.fromEntries(
        (req.headers.cookie ?? "")
          .split(";")
          .filter(Boolean)
          .map((c) => c.trim().split("=").map(decodeURIComponent) as [string, string]),
      );
      const id = url.pathname.match(/^\/api\/records\/([^/]+)\/package$/)?.[1];
      Object.assign(req, { query: id ? { id: decodeURIComponent(id) } : {}, cookies });
      void packageRoute(req as NextApiRequest, res as NextApiResponse);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.NEXTAUTH_URL = base;
    const recorded = await makeRecordsRequest(ds, city.reviewer.viewer, {
      scope: { text: "library", includeAttachmentFiles: false },
    });
    request = await produceRecordsPackage(ds, city.reviewer.viewer, recorded);
  });
  afterAll(async () => {
    delete process.env.NEXTAUTH_URL;
    await new Promise((r) => server.close(r));
    await closeDatabase();
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

  const downloads = () =>
    ds
      .query(
        `SELECT count(*)::int AS n FROM audit_event WHERE action = 'records_request.package_downloaded' AND entity_id = $1`,
        [request.id],
      )
      .then((r: { n: number }[]) => r[0].n);

  it("serves the package as a zip download to an administrator, and audits the download", async () => {
    const res = await fetch(`${base}/api/records/${request.id}/package`, {
      headers: await cookieFor(city.admin.viewer),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`filename="${request.referenceNumber}.zip"`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(request.packageSha256);
    const files = unzip(bytes);
    // Metadata only: the attachments are listed, their files stay out.
    expect([...files.keys()].filter((f) => f.startsWith("attachments/"))).toEqual([]);
    expect(
      JSON.parse(files.get("contacts.json")!.toString("utf8")).map((c: Contact) => c.referenceNumber),
    ).toEqual([c3.referenceNumber]);
    expect(await downloads()).toBe(1);
  });

  it.each([
    ["an intake clerk", () => city.intake.viewer, 403],
    ["a department", () => city.streetsStaff.viewer, 403],
    ["an analyst", () => city.analyst.viewer, 403],
    ["an anonymous caller", () => null, 401],
  ])("refuses %s with no package bytes and no download audited", async (_who, viewer, status) => {
    const before = await downloads();
    const res = await fetch(`${base}/api/records/${request.id}/package`, {
      headers: await cookieFor(viewer()),
    });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).not.toBe("application/zip");
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.includes(Buffer.from("PK\u0003\u0004", "latin1"))).toBe(false);
    expect(await downloads()).toBe(before);
  });

  it("answers 404 for a request with no package or no such request", async () => {
    const unproduced = await makeRecordsRequest(ds, city.reviewer.viewer, { scope: { text: "library" } });
    for (const id of [unproduced.id, "9b2a3c4d-0000-4000-8000-000000000001", "nonsense"]) {
      const res = await fetch(`${base}/api/records/${id}/package`, {
        headers: await cookieFor(city.reviewer.viewer),
      });
      expect(res.status).toBe(404);
    }
  });
});

describe("producing again, and failing", () => {
  it("replaces the earlier package, removing its stored object", async () => {
    const recorded = await makeRecordsRequest(ds, city.reviewer.viewer, { scope: { text: "library" } });
    const first = await produceRecordsPackage(ds, city.reviewer.viewer, recorded);
    const firstKey = first.packageStorageKey!;
    expect(await storage().exists(firstKey)).toBe(true);
    const second = await produceRecordsPackage(ds, city.reviewer.viewer, first);
    expect(second.version).toBe(first.version + 1);
    expect(second.packageStorageKey).not.toBe(firstKey);
    expect(await storage().exists(firstKey)).toBe(false);
    expect(await storage().exists(second.packageStorageKey!)).toBe(true);
  });

  it("produces nothing when an attachment's file is missing from storage, and says so", async () => {
    const recorded = await makeRecordsRequest(ds, city.reviewer.viewer, { scope });
    const [photo] = await ds.query(`SELECT storage_key FROM attachment WHERE id = $1`, [photoId]);
    await storage().delete(photo.storage_key);
    const filesBefore = storedFiles().sort();
    const events = await rowCount(ds, "audit_event");
    const e = await refusal(produceRecordsPackage(ds, city.reviewer.viewer, recorded));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toMatch(/missing from storage/);
    expect(storedFiles().sort()).toEqual(filesBefore);
    expect(await rowCount(ds, "audit_event")).toBe(events);
    const after = await ds.getRepository(RecordsRequest).findOneByOrFail({ id: recorded.id });
    expect(after).toMatchObject({ status: "RECEIVED", version: recorded.version, packageStorageKey: null });
  });
});

describe("records scopes", () => {
  const preview = async (scopeOf: Record<string, unknown>) => {
    const r = await makeRecordsRequest(ds, city.reviewer.viewer, { scope: scopeOf as never });
    const res = await gql(ds, city.reviewer.viewer, PREVIEW, { id: r.id });
    expect(res.errors).toBeUndefined();
    return res.data!.previewRecordsPackage.contacts as number;
  };

  it("narrows by department: the contacts any of whose assignments it held", async () => {
    expect(await preview({ departmentIds: [city.water.id] })).toBe(1);
    expect(await preview({ departmentIds: [city.streets.id, city.water.id] })).toBe(4);
  });

  it("narrows by constituent, with the records merged into them, never a confidential request", async () => {
    expect(await preview({ constituentId: ana.id })).toBe(3);
    const before = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Ana",
      lastName: "Morales-Duarte",
    });
    await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: before.id,
      description: "Filed under the record that was later merged.",
    });
    await ds.query(`UPDATE constituent SET merged_into_id = $2 WHERE id = $1`, [before.id, ana.id]);
    expect(await preview({ constituentId: ana.id })).toBe(4);
    expect(await preview({ constituentId: ana.id, categoryIds: [city.leak.id] })).toBe(1);
  });
});
