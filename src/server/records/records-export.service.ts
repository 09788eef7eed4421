import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { PassThrough, Transform, type Readable } from "node:stream";
import { once } from "node:events";
import type { DataSource, QueryRunner } from "typeorm";
import { ZipFile } from "yazl";
import {
  RecordsRequest,
  RecordsRequestStatus,
  type RecordsCounts,
  type RecordsScope,
} from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { conflict, notFound } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { addDays, zonedInstant } from "../routing/business-days";
import { ObjectMissingError, newStorageKey, storage } from "../storage/storage";
import {
  checkVersion,
  loadRecordsRequest,
  staleOrState,
  type RecordsRequestVersionCommand,
} from "./records-request.service";
import { csvHeader, csvLine, type CsvColumn } from "./csv";
import {
  CONSTITUENT_FIELDS,
  emptyRuleCounts,
  maskFreeText,
  redactAttachment,
  redactContact,
  redactResponse,
  type AttachmentSource,
  type ContactSource,
  type ExportedAttachment,
  type ExportedContact,
  type ExportedResponse,
  type Redaction,
  type RedactionPolicy,
  type RedactionRule,
  type ResponseSource,
} from "./redaction";

/*
 * A records package is the public's view of the records: stricter than any staff role's and the same
 * whoever produces it, so it is narrowed by the redaction rules (redaction.ts), not by the viewer. The
 * callback table is only asked whether a row exists; its phone and email are never read.
 */

const PAGE = 500;

type Queryable = Pick<QueryRunner, "query"> | Pick<DataSource, "query">;

export interface ExportedAssignment {
  id: string;
  contactReference: string;
  department: string;
  isLead: boolean;
  status: string;
  assignedAt: string;
  dueAt: string;
  completedAt: string | null;
  transferredFromId: string | null;
  reason: string | null;
}

export interface RuleCount {
  rule: RedactionRule;
  count: number;
}

export interface RecordsPreview extends RecordsCounts {
  redactionsByRule: RuleCount[];
}

export function redactionPolicy(): RedactionPolicy {
  return { maskedFields: new Set(config().STAR_RECORDS_MASKED_FIELDS) };
}

/** The scope as a predicate over contact `k`; parameters are appended to `params`. */
export function scopeSql(scope: RecordsScope, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const tz = config().STAR_TIME_ZONE;
  const where: string[] = [];
  if (scope.receivedFrom) where.push(`k.received_at >= ${p(zonedInstant(scope.receivedFrom, 0, tz))}`);
  if (scope.receivedTo) {
    where.push(`k.received_at < ${p(zonedInstant(addDays(scope.receivedTo, 1), 0, tz))}`);
  }
  if (scope.categoryIds?.length) where.push(`k.category_id = ANY(${p(scope.categoryIds)}::uuid[])`);
  if (scope.departmentIds?.length) {
    where.push(
      `EXISTS (SELECT 1 FROM assignment sa WHERE sa.contact_id = k.id
                 AND sa.department_id = ANY(${p(scope.departmentIds)}::uuid[]))`,
    );
  }
  if (scope.constituentId) {
    // Records merged into the constituent are theirs too.
    const id = p(scope.constituentId);
    where.push(
      `k.constituent_id IN (SELECT sc.id FROM constituent sc WHERE sc.id = ${id}::uuid OR sc.merged_into_id = ${id}::uuid)`,
    );
  }
  if (scope.text) {
    const q = `websearch_to_tsquery('simple', ${p(scope.text)})`;
    // The responses' side is one indexed lookup (response_body_tsv_idx), not a probe per contact.
    where.push(
      `(k.description_tsv @@ ${q} OR k.id IN (SELECT ta.contact_id FROM response tr
          JOIN assignment ta ON ta.id = tr.assignment_id
          WHERE to_tsvector('simple'::regconfig, tr.body) @@ ${q}))`,
    );
  }
  return where.length ? where.join(" AND ") : "TRUE";
}

interface ContactRow {
  id: string;
  sort_key: string;
  reference_number: string;
  channel: string;
  received_at: Date;
  category_code: string;
  category_name: string;
  lead_department: string | null;
  description: string;
  location_address: string | null;
  location_lat: number | null;
  location_long: number | null;
  confidential: boolean;
  language: string;
  duplicate_of: string | null;
  public_record_notice_given: boolean;
  has_callback: boolean;
  constituent_id: string | null;
  first_name: string | null;
  last_name: string | null;
  organization: string | null;
  email: string | null;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
}

function toContactSource(r: ContactRow): ContactSource {
  return {
    referenceNumber: r.reference_number,
    channel: r.channel,
    receivedAt: r.received_at,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    leadDepartment: r.lead_department,
    description: r.description,
    locationAddress: r.location_address,
    locationLat: r.location_lat,
    locationLong: r.location_long,
    confidential: r.confidential,
    language: r.language,
    duplicateOf: r.duplicate_of,
    publicRecordNoticeGiven: r.public_record_notice_given,
    hasCallback: r.has_callback,
    constituent:
      r.constituent_id && !r.confidential
        ? {
            id: r.constituent_id,
            firstName: r.first_name,
            lastName: r.last_name,
            organization: r.organization,
            email: r.email,
            phone: r.phone,
            addressLine1: r.address_line1,
            addressLine2: r.address_line2,
            city: r.city,
            state: r.state,
            postalCode: r.postal_code,
          }
        : null,
  };
}

interface Page {
  contacts: { source: ContactSource }[];
  assignments: ExportedAssignment[];
  assignmentRedactions: Redaction[];
  responses: ResponseSource[];
  attachments: (AttachmentSource & { storageKey: string })[];
}

/** The scope's contacts a page at a time (keyset on receipt, id), each page with its children. */
async function* pages(db: Queryable, scope: RecordsScope): AsyncGenerator<Page> {
  let after: { key: string; id: string } | null = null;
  for (;;) {
    const params: unknown[] = [];
    const where = scopeSql(scope, params);
    const keyset = after
      ? ` AND (k.received_at, k.id) > (${(params.push(after.key), `$${params.length}`)}::timestamptz, ${
          (params.push(after.id), `$${params.length}`)
        }::uuid)`
      : "";
    params.push(PAGE);
    const rows: ContactRow[] = await db.query(
      `SELECT k.id, k.received_at::text AS sort_key, k.reference_number, k.channel, k.received_at,
              cat.code AS category_code, cat.name AS category_name,
              (SELECT d.code FROM assignment la JOIN department d ON d.id = la.department_id
                WHERE la.contact_id = k.id AND la.is_lead AND la.status NOT IN ('TRANSFERRED','CANCELLED')
                LIMIT 1) AS lead_department,
              k.description, k.location_address, k.location_lat, k.location_long, k.confidential, k.language,
              dup.reference_number AS duplicate_of, k.public_record_notice_given,
              EXISTS (SELECT 1 FROM confidential_callback cb WHERE cb.contact_id = k.id) AS has_callback,
              c.id AS constituent_id, c.first_name, c.last_name, c.organization, c.email, c.phone,
              c.address_line1, c.address_line2, c.city, c.state, c.postal_code
         FROM contact k
         JOIN category cat ON cat.id = k.category_id
         LEFT JOIN contact dup ON dup.id = k.duplicate_of_id
         LEFT JOIN constituent c ON c.id = k.constituent_id AND NOT k.confidential
        WHERE ${where}${keyset}
        ORDER BY k.received_at, k.id
        LIMIT $${params.length}`,
      params,
    );
    if (!rows.length) return;
    const ids = rows.map((r) => r.id);
    // One connection (the snapshot's): the three statements run one after another.
    const assignments = await (db.query(
      `SELECT a.id, k.reference_number AS "contactReference", d.code AS department, a.is_lead AS "isLead",
                a.status, a.assigned_at AS "assignedAt", a.due_at AS "dueAt", a.completed_at AS "completedAt",
                a.transferred_from_id AS "transferredFromId", a.reason
           FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
           JOIN assignment a ON a.contact_id = p.id
           JOIN contact k ON k.id = a.contact_id
           JOIN department d ON d.id = a.department_id
          ORDER BY p.n, a.assigned_at, a.id`,
      [ids],
    ) as Promise<
      (Omit<ExportedAssignment, "assignedAt" | "dueAt" | "completedAt"> & Record<string, Date>)[]
    >);
    const responses = await (db.query(
      `SELECT r.id, k.reference_number AS "contactReference", r.assignment_id AS "assignmentId", r.kind,
                r.channel, r.sent_at AS "sentAt", r.is_final AS "isFinal", r.created_at AS "createdAt", r.body
           FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
           JOIN assignment a ON a.contact_id = p.id
           JOIN response r ON r.assignment_id = a.id
           JOIN contact k ON k.id = a.contact_id
          ORDER BY p.n, r.created_at, r.id`,
      [ids],
    ) as Promise<ResponseSource[]>);
    const attachments = await (db.query(
      `SELECT x.id, k.reference_number AS "contactReference", x.response_id AS "responseId",
                x.file_name AS "fileName", x.content_type AS "contentType", x.size_bytes AS "sizeBytes",
                x.sha256, x.created_at AS "createdAt", k.confidential, x.storage_key AS "storageKey"
           FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
           JOIN contact k ON k.id = p.id
           JOIN LATERAL (
             SELECT at.* FROM attachment at WHERE at.contact_id = p.id
             UNION ALL
             SELECT at.* FROM assignment ra JOIN response rr ON rr.assignment_id = ra.id
               JOIN attachment at ON at.response_id = rr.id
              WHERE ra.contact_id = p.id AND at.contact_id IS NULL
           ) x ON TRUE
          ORDER BY p.n, x.created_at, x.id`,
      [ids],
    ) as Promise<(AttachmentSource & { storageKey: string })[]>);
    const assignmentRedactions: Redaction[] = [];
    const exportedAssignments = assignments.map((a) => {
      const reason =
        a.reason == null ? null : maskFreeText(a.reason as string, `assignment ${a.id}`, "reason");
      if (reason) assignmentRedactions.push(...reason.redactions);
      return {
        id: a.id as string,
        contactReference: a.contactReference as string,
        department: a.department as string,
        isLead: a.isLead as boolean,
        status: a.status as string,
        assignedAt: (a.assignedAt as Date).toISOString(),
        dueAt: (a.dueAt as Date).toISOString(),
        completedAt: a.completedAt ? (a.completedAt as Date).toISOString() : null,
        transferredFromId: (a.transferredFromId as string | null) ?? null,
        reason: reason?.value ?? null,
      };
    });
    yield {
      contacts: rows.map((r) => ({ source: toContactSource(r) })),
      assignments: exportedAssignments,
      assignmentRedactions,
      responses,
      attachments,
    };
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { key: last.sort_key, id: last.id };
  }
}

const CONTACT_COLUMNS: CsvColumn<ExportedContact>[] = [
  { header: "referenceNumber", value: (c) => c.referenceNumber },
  { header: "channel", value: (c) => c.channel },
  { header: "receivedAt", value: (c) => c.receivedAt },
  { header: "categoryCode", value: (c) => c.categoryCode },
  { header: "categoryName", value: (c) => c.categoryName },
  { header: "leadDepartment", value: (c) => c.leadDepartment },
  { header: "description", value: (c) => c.description },
  { header: "locationAddress", value: (c) => c.locationAddress },
  { header: "locationLat", value: (c) => c.locationLat },
  { header: "locationLong", value: (c) => c.locationLong },
  { header: "confidential", value: (c) => c.confidential },
  { header: "language", value: (c) => c.language },
  { header: "duplicateOf", value: (c) => c.duplicateOf },
  { header: "publicRecordNoticeGiven", value: (c) => c.publicRecordNoticeGiven },
  { header: "constituent.id", value: (c) => c.constituent?.id },
  ...CONSTITUENT_FIELDS.map((f) => ({
    header: `constituent.${f}`,
    value: (c: ExportedContact) => c.constituent?.[f],
  })),
];

const ASSIGNMENT_COLUMNS: CsvColumn<ExportedAssignment>[] = (
  [
    "id",
    "contactReference",
    "department",
    "isLead",
    "status",
    "assignedAt",
    "dueAt",
    "completedAt",
    "transferredFromId",
    "reason",
  ] as const
).map((k) => ({ header: k, value: (a) => a[k] }));

const RESPONSE_COLUMNS: CsvColumn<ExportedResponse>[] = (
  [
    "id",
    "contactReference",
    "assignmentId",
    "kind",
    "channel",
    "sentAt",
    "isFinal",
    "createdAt",
    "body",
  ] as const
).map((k) => ({ header: k, value: (r) => r[k] }));

const ATTACHMENT_COLUMNS: CsvColumn<ExportedAttachment>[] = (
  [
    "id",
    "contactReference",
    "responseId",
    "fileName",
    "contentType",
    "sizeBytes",
    "sha256",
    "createdAt",
    "packagePath",
  ] as const
).map((k) => ({ header: k, value: (a) => a[k] }));

const REDACTION_COLUMNS: CsvColumn<Redaction>[] = (["record", "field", "rule", "reason"] as const).map(
  (k) => ({
    header: k,
    value: (r) => r[k],
  }),
);

/** Everything one page contributes to the package, after redaction. */
function redactPage(page: Page, policy: RedactionPolicy, includeFiles: boolean) {
  const redactions: Redaction[] = [];
  const contacts = page.contacts.map(({ source }) => {
    const r = redactContact(source, policy);
    redactions.push(...r.redactions);
    return r.value;
  });
  redactions.push(...page.assignmentRedactions);
  const responses = page.responses.map((s) => {
    const r = redactResponse(s);
    redactions.push(...r.redactions);
    return r.value;
  });
  const files: { path: string; storageKey: string; sizeBytes: number }[] = [];
  const attachments = page.attachments.map((s) => {
    const r = redactAttachment(s, includeFiles);
    redactions.push(...r.redactions);
    if (r.value.packagePath)
      files.push({ path: r.value.packagePath, storageKey: s.storageKey, sizeBytes: s.sizeBytes });
    return r.value;
  });
  return { contacts, assignments: page.assignments, responses, attachments, files, redactions };
}

function tally(
  counts: RecordsCounts,
  byRule: Record<RedactionRule, number>,
  part: ReturnType<typeof redactPage>,
) {
  counts.contacts += part.contacts.length;
  counts.assignments += part.assignments.length;
  counts.responses += part.responses.length;
  counts.attachments += part.attachments.length;
  counts.attachmentFiles += part.files.length;
  counts.redactions += part.redactions.length;
  for (const r of part.redactions) byRule[r.rule]++;
}

const emptyCounts = (): RecordsCounts => ({
  contacts: 0,
  assignments: 0,
  responses: 0,
  attachments: 0,
  attachmentFiles: 0,
  redactions: 0,
});

const byRuleList = (byRule: Record<RedactionRule, number>): RuleCount[] =>
  Object.entries(byRule).map(([rule, count]) => ({ rule: rule as RedactionRule, count }));

/** What a package of the request's scope would hold, and what would be redacted, without producing it. */
export async function previewRecordsPackage(
  ds: DataSource,
  viewer: Viewer | null,
  id: string,
): Promise<RecordsPreview> {
  const request = await loadRecordsRequest(ds, viewer, id);
  const policy = redactionPolicy();
  const includeFiles = request.scope.includeAttachmentFiles !== false;
  const counts = emptyCounts();
  const byRule = emptyRuleCounts();
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    // One snapshot, so the counts of each kind describe the same moment.
    await qr.startTransaction("REPEATABLE READ");
    for await (const page of pages(qr, request.scope))
      tally(counts, byRule, redactPage(page, policy, includeFiles));
    await qr.commitTransaction();
  } finally {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    await qr.release();
  }
  return { ...counts, redactionsByRule: byRuleList(byRule) };
}

/** A file being written line by line, waiting whenever the disk is behind. */
class Spool {
  readonly stream: fs.WriteStream;
  private first = true;
  constructor(
    readonly file: string,
    readonly name: string,
    private readonly kind: "csv" | "json",
  ) {
    this.stream = fs.createWriteStream(file, { flags: "wx", mode: 0o600 });
  }
  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
  async jsonItem(value: unknown): Promise<void> {
    await this.write(`${this.first ? "[\n" : ",\n"}${JSON.stringify(value)}`);
    this.first = false;
  }
  async close(): Promise<void> {
    if (this.kind === "json") await this.write(this.first ? "[]\n" : "\n]\n");
    this.stream.end();
    await once(this.stream, "finish");
  }
}

/** Counts and hashes the bytes on their way to storage. */
class Meter extends Transform {
  readonly hash = createHash("sha256");
  size = 0;
  _transform(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.push(chunk);
    done();
  }
}

async function writeSpools(
  qr: QueryRunner,
  request: RecordsRequest,
  dir: string,
): Promise<{
  spools: Spool[];
  filesList: string;
  counts: RecordsCounts;
  byRule: Record<RedactionRule, number>;
}> {
  const policy = redactionPolicy();
  const includeFiles = request.scope.includeAttachmentFiles !== false;
  const make = (name: string) =>
    new Spool(path.join(dir, name.replace("/", "_")), name, name.endsWith(".json") ? "json" : "csv");
  const s = {
    contactsCsv: make("contacts.csv"),
    contactsJson: make("contacts.json"),
    assignmentsCsv: make("assignments.csv"),
    assignmentsJson: make("assignments.json"),
    responsesCsv: make("responses.csv"),
    responsesJson: make("responses.json"),
    attachmentsCsv: make("attachments.csv"),
    attachmentsJson: make("attachments.json"),
    logCsv: make("redaction-log.csv"),
    logJson: make("redaction-log.json"),
  };
  const spools = Object.values(s);
  const filesList = path.join(dir, "files.jsonl");
  const files = fs.createWriteStream(filesList, { flags: "wx", mode: 0o600 });
  const counts = emptyCounts();
  const byRule = emptyRuleCounts();
  try {
    await s.contactsCsv.write(csvHeader(CONTACT_COLUMNS));
    await s.assignmentsCsv.write(csvHeader(ASSIGNMENT_COLUMNS));
    await s.responsesCsv.write(csvHeader(RESPONSE_COLUMNS));
    await s.attachmentsCsv.write(csvHeader(ATTACHMENT_COLUMNS));
    await s.logCsv.write(csvHeader(REDACTION_COLUMNS));
    for await (const page of pages(qr, request.scope)) {
      const part = redactPage(page, policy, includeFiles);
      tally(counts, byRule, part);
      for (const c of part.contacts) {
        await s.contactsCsv.write(csvLine(CONTACT_COLUMNS, c));
        await s.contactsJson.jsonItem(c);
      }
      for (const a of part.assignments) {
        await s.assignmentsCsv.write(csvLine(ASSIGNMENT_COLUMNS, a));
        await s.assignmentsJson.jsonItem(a);
      }
      for (const r of part.responses) {
        await s.responsesCsv.write(csvLine(RESPONSE_COLUMNS, r));
        await s.responsesJson.jsonItem(r);
      }
      for (const a of part.attachments) {
        await s.attachmentsCsv.write(csvLine(ATTACHMENT_COLUMNS, a));
        await s.attachmentsJson.jsonItem(a);
      }
      for (const r of part.redactions) {
        await s.logCsv.write(csvLine(REDACTION_COLUMNS, r));
        await s.logJson.jsonItem(r);
      }
      for (const f of part.files) {
        if (!files.write(`${JSON.stringify(f)}\n`)) await once(files, "drain");
      }
    }
  } finally {
    await Promise.all(spools.map((sp) => sp.close()));
    files.end();
    await once(files, "finish");
  }
  return { spools, filesList, counts, byRule };
}

/** Zips the spooled files, the attachments' bytes and the manifest into storage under `key`. */
async function storePackage(
  key: string,
  spools: Spool[],
  filesList: string,
  manifest: Record<string, unknown>,
): Promise<{ sha256: string; size: number }> {
  const zip = new ZipFile();
  const meter = new Meter();
  const out = new PassThrough();
  zip.outputStream.pipe(meter).pipe(out);
  const stored = storage().put(key, out);
  zip.on("error", (err: Error) => out.destroy(err));
  const store = storage();
  try {
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), "manifest.json");
    for (const sp of spools) zip.addFile(sp.file, sp.name);
    const lines = readline.createInterface({ input: fs.createReadStream(filesList), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const f = JSON.parse(line) as { path: string; storageKey: string };
      // Opened only when the zip reaches it: one attachment open at a time.
      zip.addReadStreamLazy(f.path, { compress: false }, (cb) => {
        store.get(f.storageKey).then(
          (stream: Readable) => {
            stream.on("error", (err) => zip.emit("error", err));
            cb(null, stream);
          },
          (err: unknown) => cb(err, undefined as never),
        );
      });
    }
    zip.end();
  } catch (err) {
    out.destroy(err as Error);
  }
  await stored;
  return { sha256: meter.hash.digest("hex"), size: meter.size };
}

/**
 * Produces the package of a request's scope: every row read in one snapshot, redacted, written as it
 * comes (CSV and JSON spooled to a private temporary folder, then zipped with the attachments into
 * storage), never all in memory. The request's new state, its audit event and one "exported" view event
 * per constituent whose record is in the package are written in the same transaction as the reads.
 */
export async function produceRecordsPackage(
  ds: DataSource,
  viewer: Viewer | null,
  input: RecordsRequestVersionCommand,
): Promise<RecordsRequest> {
  const v = requireRole(viewer, Rules.handleRecordsRequests);
  const { id, version } = checkVersion(input);
  const started = Date.now();
  const qr = ds.createQueryRunner();
  await qr.connect();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "star-records-"));
  const key = newStorageKey();
  let storedKey: string | null = null;
  try {
    await qr.startTransaction("REPEATABLE READ");
    const [locked]: { id: string }[] = await qr.query(
      `SELECT id FROM records_request WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!locked) throw notFound("Records request");
    const request = await qr.manager.getRepository(RecordsRequest).findOneByOrFail({ id });
    if (request.version !== version || request.status === RecordsRequestStatus.CLOSED) {
      staleOrState(request, version, "produced again");
    }
    const { spools, filesList, counts, byRule } = await writeSpools(qr, request, dir);
    const producedAt = new Date();
    const manifest = {
      referenceNumber: request.referenceNumber,
      receivedAt: request.receivedAt.toISOString(),
      dueAt: request.dueAt.toISOString(),
      description: request.description,
      scope: request.scope,
      producedAt: producedAt.toISOString(),
      producedBy: v.name,
      timeZone: config().STAR_TIME_ZONE,
      maskedFields: config().STAR_RECORDS_MASKED_FIELDS,
      counts,
      redactionsByRule: byRule,
      files: [
        "manifest.json",
        ...spools.map((sp) => sp.name),
        ...(counts.attachmentFiles ? ["attachments/"] : []),
      ],
    };
    const { sha256, size } = await storePackage(key, spools, filesList, manifest);
    storedKey = key;

    await qr.query(
      `UPDATE records_request SET status = 'PRODUCED', produced_at = $2, produced_by_id = $3,
              package_storage_key = $4, package_sha256 = $5, package_size_bytes = $6, counts = $7,
              version = version + 1
        WHERE id = $1`,
      [id, producedAt, v.id, key, sha256, size, counts],
    );
    await audit(qr.manager, v, {
      action: "records_request.produced",
      entityType: "records_request",
      entityId: id,
      before: { status: request.status, version: request.version, packageSha256: request.packageSha256 },
      after: {
        status: RecordsRequestStatus.PRODUCED,
        version: request.version + 1,
        packageSha256: sha256,
        counts,
        redactionsByRule: byRule,
      },
    });
    // Whose records left in the package: one view event per person, from the same snapshot as the rows.
    const params: unknown[] = [v.id, id, request.referenceNumber];
    const where = scopeSql(request.scope, params);
    await qr.query(
      `INSERT INTO audit_event (actor_id, action, entity_type, entity_id, after)
       SELECT $1, 'constituent.exported', 'constituent', s.constituent_id::text,
              jsonb_build_object('recordsRequestId', $2::text, 'referenceNumber', $3::text)
         FROM (SELECT DISTINCT k.constituent_id FROM contact k
                WHERE k.constituent_id IS NOT NULL AND NOT k.confidential AND ${where}) s`,
      params,
    );
    await qr.commitTransaction();
    if (request.packageStorageKey) {
      await storage()
        .delete(request.packageStorageKey)
        .catch((err) =>
          logger.error(
            { err, key: request.packageStorageKey },
            "could not remove a replaced records package",
          ),
        );
    }
    logger.info(
      { recordsRequestId: id, counts, sizeBytes: size, ms: Date.now() - started },
      "records package produced",
    );
    return qr.manager.getRepository(RecordsRequest).findOneByOrFail({ id });
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    if (storedKey) {
      await storage()
        .delete(storedKey)
        .catch((e) =>
          logger.error({ err: e, key: storedKey }, "could not remove an orphaned records package"),
        );
    }
    if (err instanceof ObjectMissingError) {
      logger.error({ err, recordsRequestId: id }, "an attachment in a records package has no stored file");
      throw conflict("An attachment's file is missing from storage; the package was not produced", {
        storageKey: err.key,
      });
    }
    if (err instanceof Error && /could not serialize/.test(err.message)) {
      throw conflict("The records request changed while the package was produced; try again");
    }
    throw err;
  } finally {
    await qr.release();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

export interface RecordsPackageDownload {
  fileName: string;
  sizeBytes: number;
  sha256: string;
  stream: Readable;
}

/** The produced package's bytes, for those who handle records requests; every download is audited. */
export async function openRecordsPackage(
  ds: DataSource,
  viewer: Viewer | null,
  id: string,
): Promise<RecordsPackageDownload> {
  const v = requireRole(viewer, Rules.handleRecordsRequests);
  const request = await loadRecordsRequest(ds, v, id);
  if (!request.packageStorageKey || !request.packageSha256) throw notFound("Records package");
  const stream = await storage().get(request.packageStorageKey);
  try {
    await audit(ds.manager, v, {
      action: "records_request.package_downloaded",
      entityType: "records_request",
      entityId: request.id,
      after: { packageSha256: request.packageSha256 },
    });
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return {
    fileName: `${request.referenceNumber}.zip`,
    sizeBytes: request.packageSizeBytes ?? 0,
    sha256: request.packageSha256,
    stream,
  };
}

export function openRecordsPackageUrl(id: string): string {
  return `/api/records/${encodeURIComponent(id)}/package`;
}
