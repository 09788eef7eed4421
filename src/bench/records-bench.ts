import { createHash } from "node:crypto";
import fs from "node:fs";
import type { DataSource } from "typeorm";
import { config } from "../server/config/config";
import { progress } from "../server/logging/progress";
import type { AppServer } from "./app-server";

/** How many contacts the records export covers, and the targets it is held to. */
export const RECORDS_EXPORT_CONTACTS = 10_000;
export const RECORDS_EXPORT_TARGET = { seconds: 10, rssGrowthMb: 150 };
// Bench attachment rows are recognised by their storage keys; the bytes are not stored (metadata only).
const BENCH_KEY_PREFIX = "bench-records/";
const CHUNK = 50_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

export interface RecordsExportFigures {
  contacts: number;
  assignments: number;
  responses: number;
  attachments: number;
  redactions: number;
  receivedFrom: string;
  receivedTo: string;
  previewSeconds: number;
  produceSeconds: number;
  packageBytes: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  target: string;
  pass: boolean;
}

/**
 * Attachment metadata for one contact in four (chosen by hash, so the same ones on every run), added once:
 * the bulk seed has none. Idempotent: nothing happens when bench attachment rows already exist.
 */
export async function ensureBenchAttachments(ds: DataSource): Promise<number> {
  const [{ present }] = await ds.query(
    `SELECT EXISTS (SELECT 1 FROM attachment WHERE storage_key LIKE $1) AS present`,
    [`${BENCH_KEY_PREFIX}%`],
  );
  if (present) return 0;
  const [{ n: total }] = await ds.query(`SELECT count(*)::int AS n FROM contact`);
  const p = progress("bench: records attachments metadata (contacts scanned)", total);
  let after = "00000000-0000-0000-0000-000000000000";
  let scanned = 0;
  let added = 0;
  for (;;) {
    const [row] = await ds.query(
      `WITH chunk AS (SELECT id, received_at FROM contact WHERE id > $1 ORDER BY id LIMIT $2),
            added AS (
              INSERT INTO attachment (contact_id, file_name, content_type, size_bytes, sha256, storage_key, created_at)
              SELECT c.id, 'letter-' || left(c.id::text, 8) || '.pdf', 'application/pdf',
                     20000 + (abs(hashtext(c.id::text)) % 200000), md5(c.id::text) || md5(c.id::text || 'b'),
                     $3 || c.id::text, c.received_at
                FROM chunk c WHERE abs(hashtext(c.id::text || 'attachment')) % 4 = 0
              RETURNING 1)
       SELECT (SELECT count(*)::int FROM chunk) AS scanned, (SELECT count(*)::int FROM added) AS added,
              (SELECT max(id::text) FROM chunk) AS last`,
      [after, CHUNK, BENCH_KEY_PREFIX],
    );
    if (!row.scanned) break;
    scanned += row.scanned;
    added += row.added;
    after = row.last;
    p.tick(scanned);
    if (row.scanned < CHUNK) break;
  }
  await ds.query(`ANALYZE attachment`);
  p.done(`(${added.toLocaleString("en-US")} attachment rows)`);
  return added;
}

/** The earliest days of receipt that together hold at least RECORDS_EXPORT_CONTACTS contacts (stable across runs). */
async function exportWindow(ds: DataSource): Promise<{ from: string; to: string; contacts: number }> {
  const tz = config().STAR_TIME_ZONE;
  const days: { d: string; n: number }[] = await ds.query(
    `SELECT to_char((received_at AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS d, count(*)::int AS n
       FROM contact GROUP BY 1 ORDER BY 1 LIMIT 400`,
    [tz],
  );
  let sum = 0;
  for (const day of days) {
    sum += day.n;
    if (sum >= RECORDS_EXPORT_CONTACTS) return { from: days[0].d, to: day.d, contacts: sum };
  }
  throw new Error(`records export: fewer than ${RECORDS_EXPORT_CONTACTS} contacts in the bench data`);
}

/** Resident set of the app's whole process group, in bytes. */
function appRss(pgrp: number): number {
  let total = 0;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgrp) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${d}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

async function gql<T>(app: AppServer, cookie: string, query: string, variables: object): Promise<T> {
  const res = await fetch(`${app.url}/api/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors?.length) {
    throw new Error(
      `records export: GraphQL failed (HTTP ${res.status}): ${JSON.stringify(body.errors ?? body)}`,
    );
  }
  return body.data!;
}

const COUNTS = `contacts assignments responses attachments attachmentFiles redactions`;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * One records export of the earliest ~10,000 contacts (with their assignments, responses and attachments'
 * metadata) through the app, as the City Manager's Office: the time of produceRecordsPackage and the app's
 * peak resident memory while it runs (sampled every 20 ms). Checked against SQL and the downloaded bytes.
 */
export async function runRecordsExport(
  ds: DataSource,
  app: AppServer,
  cookie: string,
): Promise<RecordsExportFigures> {
  await ensureBenchAttachments(ds);
  const window = await exportWindow(ds);
  const tz = config().STAR_TIME_ZONE;
  const [expected] = await ds.query(
    `WITH k AS (SELECT id FROM contact WHERE (received_at AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date)
     SELECT (SELECT count(*) FROM k)::int AS contacts,
            (SELECT count(*) FROM assignment a JOIN k ON k.id = a.contact_id)::int AS assignments,
            (SELECT count(*) FROM response r JOIN assignment a ON a.id = r.assignment_id
               JOIN k ON k.id = a.contact_id)::int AS responses,
            (SELECT count(*) FROM attachment x WHERE x.contact_id IN (SELECT id FROM k))::int
              + (SELECT count(*) FROM attachment x JOIN response r ON r.id = x.response_id
                   JOIN assignment a ON a.id = r.assignment_id JOIN k ON k.id = a.contact_id
                  WHERE x.contact_id IS NULL)::int AS attachments`,
    [tz, window.from, window.to],
  );
  log(
    `bench: records export: ${expected.contacts.toLocaleString("en-US")} contacts received ${window.from}..${window.to}, ` +
      `${expected.assignments.toLocaleString("en-US")} assignments, ${expected.responses.toLocaleString("en-US")} ` +
      `responses, ${expected.attachments.toLocaleString("en-US")} attachments (metadata)`,
  );
  type Request = { id: string; version: number };
  const { recordRecordsRequest: request } = await gql<{ recordRecordsRequest: Request }>(
    app,
    cookie,
    `mutation ($input: RecordRecordsRequestInput!) { recordRecordsRequest(input: $input) { id version } }`,
    {
      input: {
        requesterName: "Benchmark requester",
        description: "Every contact of the first days on file, with the answers and attachments' metadata.",
        scope: { receivedFrom: window.from, receivedTo: window.to, includeAttachmentFiles: false },
      },
    },
  );

  const previewStarted = performance.now();
  const { previewRecordsPackage: preview } = await gql<{ previewRecordsPackage: Record<string, number> }>(
    app,
    cookie,
    `query ($id: ID!) { previewRecordsPackage(id: $id) { ${COUNTS} } }`,
    { id: request.id },
  );
  const previewSeconds = (performance.now() - previewStarted) / 1000;

  const rssBefore = appRss(app.pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, appRss(app.pid));
  }, 20);
  const started = performance.now();
  let produced: {
    packageSha256: string;
    packageSizeBytes: number;
    packageUrl: string;
    counts: Record<string, number>;
  };
  try {
    ({ produceRecordsPackage: produced } = await gql<{ produceRecordsPackage: typeof produced }>(
      app,
      cookie,
      `mutation ($input: RecordsRequestVersionInput!) {
        produceRecordsPackage(input: $input) { packageSha256 packageSizeBytes packageUrl counts { ${COUNTS} } }
      }`,
      { input: { id: request.id, version: request.version } },
    ));
  } finally {
    clearInterval(sampler);
  }
  const produceSeconds = (performance.now() - started) / 1000;
  rssPeak = Math.max(rssPeak, appRss(app.pid));

  for (const k of ["contacts", "assignments", "responses", "attachments"] as const) {
    if (produced.counts[k] !== expected[k] || preview[k] !== expected[k]) {
      throw new Error(
        `records export: ${k} ${produced.counts[k]} in the package, ${preview[k]} in the preview, SQL says ${expected[k]}`,
      );
    }
  }
  const res = await fetch(`${app.url}${produced.packageUrl}`, { headers: { cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (!res.ok || bytes.length !== produced.packageSizeBytes || sha !== produced.packageSha256) {
    throw new Error(
      `records export: the download (HTTP ${res.status}, ${bytes.length} bytes) is not the package`,
    );
  }
  log(`bench: check: the records package matches SQL's counts and its download matches its sha256`);

  const figures: RecordsExportFigures = {
    contacts: produced.counts.contacts,
    assignments: produced.counts.assignments,
    responses: produced.counts.responses,
    attachments: produced.counts.attachments,
    redactions: produced.counts.redactions,
    receivedFrom: window.from,
    receivedTo: window.to,
    previewSeconds: Math.round(previewSeconds * 100) / 100,
    produceSeconds: Math.round(produceSeconds * 100) / 100,
    packageBytes: produced.packageSizeBytes,
    rssBeforeMb: mb(rssBefore),
    rssPeakMb: mb(rssPeak),
    rssGrowthMb: mb(rssPeak - rssBefore),
    target: `<= ${RECORDS_EXPORT_TARGET.seconds} s, app RSS growth <= ${RECORDS_EXPORT_TARGET.rssGrowthMb} MB`,
    pass:
      produceSeconds <= RECORDS_EXPORT_TARGET.seconds &&
      (rssPeak - rssBefore) / 1024 / 1024 <= RECORDS_EXPORT_TARGET.rssGrowthMb,
  };
  log(
    `bench: records export: ${figures.produceSeconds} s for ${figures.contacts.toLocaleString("en-US")} contacts ` +
      `(${mb(figures.packageBytes)} MB zip, ${figures.redactions.toLocaleString("en-US")} redactions); preview ` +
      `${figures.previewSeconds} s; app RSS ${figures.rssBeforeMb} -> peak ${figures.rssPeakMb} MB`,
  );
  return figures;
}
