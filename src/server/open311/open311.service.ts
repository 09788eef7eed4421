import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { Channel } from "../../../entities";
import { config } from "../config/config";
import { pgPool, preparedQuery } from "../db/data-source";
import { badInput, notFound } from "../errors/domain-error";
import { submitPublicRequest } from "../intake/public-intake.service";
import { zonedInstant } from "../routing/business-days";
import { authenticateApiKey } from "./api-key.service";
import { open311Time, type Open311Format, type Open311Object } from "./open311-format";
import { prepareRequests } from "./open311-projection";

/*
 * Open311 GeoReport v2 over STAR's categories and contacts. Everything here is public (no viewer): a
 * request is shown by its reference number, status, service, agency, times and, unless it is
 * confidential, its description (with personal details masked, see open311-privacy.ts) and location.
 * Names, emails, phones and responses (written to the constituent, often by name) are never shown.
 * A confidential request shows neither its description nor its location: a complainant who asked not
 * to be named could be recognised by either.
 */

export const MAX_REQUESTS = 1000;
export const MAX_SPAN_DAYS = 90;
const DAY_MS = 86_400_000;
export const MAX_DESCRIPTION = 4000;

const DATATYPES = ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"] as const;
type Datatype = (typeof DATATYPES)[number];

/** One attribute of a service definition, as GeoReport v2 writes it (also how category.open311_attributes holds it). */
export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: Datatype;
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

/** The attributes stored on a category; an entry that is not a well-formed attribute is left out. */
export function parseAttributes(raw: unknown): Open311Attribute[] {
  if (!Array.isArray(raw)) return [];
  const out: Open311Attribute[] = [];
  raw.forEach((a: Record<string, unknown> | null, i) => {
    if (!a || typeof a !== "object") return;
    const code = str(a.code);
    const datatype = DATATYPES.find((d) => d === a.datatype);
    if (!code || !datatype) return;
    const values = Array.isArray(a.values)
      ? a.values.flatMap((x: Record<string, unknown> | null) => {
          const key =
            x && typeof x === "object"
              ? (str(x.key) ?? (typeof x.key === "number" ? String(x.key) : null))
              : null;
          return key ? [{ key, name: str(x!.name) ?? key }] : [];
        })
      : [];
    if (datatype.endsWith("valuelist") && !values.length) return;
    out.push({
      variable: a.variable !== false,
      code,
      datatype,
      required: a.required === true,
      datatype_description: str(a.datatype_description),
      order: typeof a.order === "number" && Number.isFinite(a.order) ? a.order : i + 1,
      description: str(a.description) ?? code,
      values: datatype.endsWith("valuelist") ? values : [],
    });
  });
  return out.sort((x, y) => x.order - y.order);
}

/** A jurisdiction_id, when given, must be the one this deployment serves (when one is configured). */
export function checkJurisdiction(params: URLSearchParams): void {
  const ours = config().STAR_OPEN311_JURISDICTION_ID;
  const given = params.get("jurisdiction_id")?.trim();
  if (ours && given && given !== ours) throw notFound(`jurisdiction_id ${given}`);
}

interface ServiceRow {
  code: string;
  name: string;
  description: string;
  keywords: string[];
  attributes: unknown;
  group: string;
  created_at: Date;
}

async function activeServices(ds: DataSource, code?: string): Promise<ServiceRow[]> {
  return ds.query(
    `SELECT c.open311_service_code AS code, c.name, c.description, c.keywords, c.open311_attributes AS attributes,
            d.name AS "group", c.created_at
       FROM category c JOIN department d ON d.id = c.department_id
      WHERE c.active AND c.open311_service_code IS NOT NULL ${code === undefined ? "" : "AND c.open311_service_code = $1"}
      ORDER BY c.open311_service_code`,
    code === undefined ? [] : [code],
  );
}

/** GET services: every active category that has an Open311 service code. */
export async function listServices(ds: DataSource): Promise<Open311Object[]> {
  return (await activeServices(ds)).map((s) => ({
    service_code: s.code,
    service_name: s.name,
    description: s.description || null,
    metadata: parseAttributes(s.attributes).length > 0,
    // STAR creates the request while the client waits: the POST answers with its id.
    type: "realtime",
    keywords: s.keywords.join(","),
    group: s.group,
  }));
}

/** When the offer last changed, for the discovery document's changeset. */
export async function servicesChangeset(ds: DataSource): Promise<Date> {
  const [row]: { at: Date | null }[] = await ds.query(`SELECT max(created_at) AS at FROM category`);
  return row?.at ?? new Date(0);
}

function serviceCode(raw: string): string {
  const code = raw.trim();
  if (!code) throw badInput("service_code", "is required");
  if (code.length > 40) throw badInput("service_code", "must be at most 40 characters");
  return code;
}

/** GET services/{code}: the attributes the client should ask for. */
export async function serviceDefinition(ds: DataSource, rawCode: string): Promise<Open311Object> {
  const code = serviceCode(rawCode);
  const [s] = await activeServices(ds, code);
  if (!s) throw notFound(`service_code ${code}`);
  return {
    service_code: s.code,
    attributes: parseAttributes(s.attributes).map((a) => ({
      variable: a.variable,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatype_description,
      order: a.order,
      description: a.description,
      values: a.values.map((v) => ({ key: v.key, name: v.name })),
    })),
  };
}

export type RequestStatus = "open" | "closed";

export interface RequestsQuery {
  ids: string[] | null;
  serviceCodes: string[] | null;
  statuses: RequestStatus[] | null;
  start: Date;
  end: Date;
}

/** A parameter that may be given more than once and comma-delimited; null when absent. */
function commaList(params: URLSearchParams, name: string): string[] | null {
  const all = params.getAll(name);
  if (!all.length) return null;
  const items = [
    ...new Set(
      all
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  return items.length ? items : null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 time with its zone; a bare date is the start of that day in the city. */
export function parseOpen311Time(field: string, raw: string): Date {
  const v = raw.trim();
  let d: Date;
  if (ISO_DATE.test(v)) d = zonedInstant(v, 0, config().STAR_TIME_ZONE);
  else if (ISO_TIME.test(v)) d = new Date(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  else throw badInput(field, "must be an ISO 8601 time with its zone, e.g. 2026-12-01T00:00:00-07:00");
  if (Number.isNaN(d.getTime())) throw badInput(field, "is not a valid date and time");
  return d;
}

/** The filters of GET requests, with the spec's defaults: the last 90 days, at most 1,000 requests. */
export function parseRequestsQuery(params: URLSearchParams, now = new Date()): RequestsQuery {
  const ids = commaList(params, "service_request_id");
  if (ids && ids.length > MAX_REQUESTS) {
    throw badInput("service_request_id", `at most ${MAX_REQUESTS} ids at a time`);
  }
  if (ids?.some((id) => id.length > 30)) throw badInput("service_request_id", "is not a request id");
  // The ids override every other parameter, so the others are not read at all (nor refused).
  if (ids) {
    return {
      ids: ids.map((id) => id.toUpperCase()),
      serviceCodes: null,
      statuses: null,
      start: new Date(now.getTime() - MAX_SPAN_DAYS * DAY_MS),
      end: now,
    };
  }
  const serviceCodes = commaList(params, "service_code")?.map(serviceCode) ?? null;
  const statuses = commaList(params, "status")?.map((s) => s.toLowerCase()) ?? null;
  const unknown = statuses?.find((s) => s !== "open" && s !== "closed");
  if (unknown !== undefined) throw badInput("status", "must be open or closed (or both, comma-delimited)");
  const startRaw = params.get("start_date");
  const endRaw = params.get("end_date");
  const span = MAX_SPAN_DAYS * DAY_MS;
  let start = startRaw?.trim() ? parseOpen311Time("start_date", startRaw) : null;
  let end = endRaw?.trim() ? parseOpen311Time("end_date", endRaw) : null;
  if (start && end) {
    if (end < start) throw badInput("end_date", "must not be before start_date");
    if (end.getTime() - start.getTime() > span) {
      throw badInput("end_date", `start_date and end_date may span at most ${MAX_SPAN_DAYS} days`);
    }
  } else if (start) end = new Date(start.getTime() + span);
  else if (end) start = new Date(end.getTime() - span);
  else {
    end = now;
    start = new Date(now.getTime() - span);
  }
  return {
    ids: null,
    serviceCodes,
    statuses: statuses && new Set(statuses).size === 1 ? [statuses[0] as RequestStatus] : null,
    start: start!,
    end: end!,
  };
}

/*
 * GET requests reads open311_request (see the migrations 1765000800000-open311-projection.ts and
 * 1765001300000-open311-fragments.ts): one row per contact, public-safe and kept current by triggers,
 * each holding its own entry already written in both formats (in the shape and order open311-format.ts
 * would write), so a page is an index range and a string_agg of those entries. A duplicate shows its first
 * report's status, agency and expected time (its own assignment is cancelled when it joins).
 */
const ORDER = `ORDER BY r.received_at DESC, r.contact_id DESC`;

/** A row must be masked or (re)rendered before it is shown: changed since, or written in another zone. */
const STALE = `r.description_pending OR r.entry_key IS NULL OR r.rendered_zone <> $1::text`;

/** The document around the page's entries, as open311-format.ts writes an empty list's. */
const DOCUMENT: Record<Open311Format, { open: string; separator: string; close: string }> = {
  json: { open: "[", separator: ",", close: "]" },
  xml: {
    open: '<?xml version="1.0" encoding="utf-8"?>\n<service_requests>',
    separator: "",
    close: "</service_requests>",
  },
};

type Row = { count: number; pending: string[] | null; version: string | null; entries: string | null };

/*
 * The entries of pages read lately, by format and by the page's version (the md5 of its rows'
 * entry_keys, which each rendering draws anew): a page read again whose rows are unchanged is
 * answered from here, and the database sends only the version, not the text (sending 1,000 entries was
 * most of the database's and of this process's work). Requests asked for by id (one, mostly) are not held,
 * so that they do not push the pages out.
 */
const HELD_PAGES = 16;
const heldPages = new WeakMap<DataSource, Record<Open311Format, Map<string, Buffer>>>();

function pagesHeld(ds: DataSource, format: Open311Format): Map<string, Buffer> {
  let held = heldPages.get(ds);
  if (!held) heldPages.set(ds, (held = { json: new Map(), xml: new Map() }));
  return held[format];
}

/** The document as UTF-8 (as sent, and as held: encoded once), and as text. */
export class RequestsDocument {
  constructor(
    readonly bytes: Buffer,
    readonly count: number,
  ) {}

  get body(): string {
    return this.bytes.toString("utf8");
  }
}

/** GET requests as a whole document: newest first, at most 1,000; service_request_id overrides the rest. */
export async function listRequests(
  ds: DataSource,
  q: RequestsQuery,
  format: Open311Format,
): Promise<RequestsDocument> {
  const timeZone = config().STAR_TIME_ZONE;
  const values: unknown[] = [timeZone];
  const where: string[] = [];
  const name: string[] = ["open311_requests", format];
  if (q.ids) {
    values.push(q.ids);
    where.push(`r.reference_number = ANY($2::varchar[])`);
    name.push("ids");
  } else {
    values.push(q.start, q.end);
    where.push(`r.received_at >= $2`, `r.received_at <= $3`);
    if (q.serviceCodes) {
      values.push(q.serviceCodes);
      where.push(`r.category_id = k.id`);
      name.push("codes");
    }
    if (q.statuses) {
      where.push(q.statuses[0] === "closed" ? "r.closed" : "NOT r.closed");
      name.push(q.statuses[0]);
    }
  }
  const doc = DOCUMENT[format];
  const held = pagesHeld(ds, format);
  // Copied: other requests may change what is held before this one's answer comes.
  const offered = q.ids ? new Map<string, Buffer>() : new Map(held);
  values.push([...offered.keys()]);
  const heldVersions = `$${values.length}::text[]`;
  const newest = `FROM open311_request r WHERE ${where.join(" AND ")} ${ORDER} LIMIT ${MAX_REQUESTS}`;
  // Per service, the newest of each from its own index, then the newest of those.
  const page = (columns: string) =>
    q.serviceCodes
      ? `SELECT r.* FROM unnest(ARRAY(SELECT id FROM category WHERE open311_service_code = ANY($4::varchar[]))) k(id)
           CROSS JOIN LATERAL (SELECT r.contact_id, r.received_at, ${columns} ${newest}) r ${ORDER} LIMIT ${MAX_REQUESTS}`
      : `SELECT r.contact_id, r.received_at, ${columns} ${newest}`;
  const statement = {
    name: name.join("_"),
    // The entries only when this process does not hold them (the same snapshot reads both), and only the
    // entries: the document's ends are added here, not copied again in SQL. The keys say which rows, and
    // so in which order, whatever order they are taken in: the version needs no sort.
    text: `SELECT h.*,
             CASE WHEN h.pending IS NULL AND (h.version IS NULL OR h.version <> ALL(${heldVersions})) THEN (
               SELECT string_agg(r.entry, '${doc.separator}' ${ORDER}) FROM (${page(`r.${format} AS entry`)}) r)
             END AS entries
        FROM (SELECT count(*)::int AS count, array_agg(r.contact_id) FILTER (WHERE r.stale) AS pending,
                     md5(string_agg(r.entry_key::text, ',')) AS version
                FROM (${page(`r.entry_key, (${STALE}) AS stale`)}) r) h`,
    values,
  };

  // A row whose masking inputs changed is masked (by the same code as ever) before it is shown, and a row
  // whose entry was cleared is written again.
  // A service's page is planned for its values: a generic plan cannot see how many of the service's
  // requests the window holds, and reads them all (thousands) to sort, where the index gives the newest.
  const run = () =>
    q.serviceCodes
      ? pgPool(ds).query<Row>(statement.text, statement.values)
      : preparedQuery<Row>(ds, statement);
  for (let attempt = 0; ; attempt++) {
    const {
      rows: [row],
    } = await run();
    if (!row.pending) {
      // Not sent only when offered (an empty page has no version and no entries).
      const bytes =
        row.entries === null && row.version !== null
          ? offered.get(row.version)
          : Buffer.from(doc.open + (row.entries ?? "") + doc.close);
      if (bytes === undefined) throw new Error("Open311 requests: the page's entries were not sent");
      if (row.version !== null && !q.ids) {
        held.delete(row.version);
        held.set(row.version, bytes);
        if (held.size > HELD_PAGES) held.delete(held.keys().next().value!);
      }
      return new RequestsDocument(bytes, row.count);
    }
    if (attempt === 3) throw new Error("Open311 requests kept changing while they were being masked");
    // Rows a writer holds are passed over at first (it may be changing them again), then waited for.
    await ds.transaction((em) =>
      prepareRequests((text, v) => em.query(text, v), row.pending!, timeZone, { skipLocked: attempt < 2 }),
    );
  }
}

/** GET requests/{id}: one request by its reference number, as a list of one. */
export async function getRequest(ds: DataSource, rawId: string, format: Open311Format): Promise<string> {
  const id = rawId.trim().toUpperCase();
  if (!id || id.length > 30) throw notFound(`service_request_id ${rawId}`);
  const found = await listRequests(
    ds,
    { ids: [id], serviceCodes: null, statuses: null, start: new Date(0), end: new Date() },
    format,
  );
  if (!found.count) throw notFound(`service_request_id ${id}`);
  return found.body;
}

/** GET tokens/{token}: the request a POST's token stands for. */
export async function requestIdForToken(ds: DataSource, rawToken: string): Promise<Open311Object> {
  const token = rawToken.trim();
  const rows: { reference_number: string }[] =
    token && token.length <= 40
      ? await ds.query(
          `SELECT c.reference_number FROM open311_token t JOIN contact c ON c.id = t.contact_id WHERE t.token = $1`,
          [token],
        )
      : [];
  if (!rows.length) throw notFound(`token ${token}`);
  return { service_request_id: rows[0].reference_number, token };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function coordinate(field: string, raw: string | null): number | null {
  const v = raw?.trim();
  if (!v) return null;
  if (!NUMBER.test(v)) throw badInput(field, "must be a decimal number (WGS84)");
  return Number(v);
}

/** `attribute[code]=value`, and `attribute[code][]=value` for each value of a multivaluelist. */
function givenAttributes(form: URLSearchParams): Map<string, string[]> {
  const given = new Map<string, string[]>();
  for (const [k, v] of form) {
    const m = /^attribute\[([^\]]{1,100})\](\[\])?$/.exec(k);
    if (!m) continue;
    const value = v.trim();
    if (value) given.set(m[1], [...(given.get(m[1]) ?? []), value]);
  }
  return given;
}

/** The answers as lines for the description, checked against the service definition. */
function attributeLines(definition: Open311Attribute[], given: Map<string, string[]>): string[] {
  const byCode = new Map(definition.map((a) => [a.code, a]));
  for (const code of given.keys()) {
    if (!byCode.get(code)?.variable)
      throw badInput(`attribute[${code}]`, "is not an attribute of this service");
  }
  const lines: string[] = [];
  for (const a of definition) {
    if (!a.variable) continue;
    const field = `attribute[${a.code}]`;
    const values = given.get(a.code) ?? [];
    if (!values.length) {
      if (a.required) throw badInput(field, "is required");
      continue;
    }
    if (a.datatype !== "multivaluelist" && values.length > 1) throw badInput(field, "takes one value");
    let shown: string[];
    switch (a.datatype) {
      case "number":
        if (!NUMBER.test(values[0])) throw badInput(field, "must be a number");
        shown = values;
        break;
      case "datetime":
        shown = [parseOpen311Time(field, values[0]).toISOString()];
        break;
      case "singlevaluelist":
      case "multivaluelist":
        shown = values.map((v) => {
          const value = a.values.find((x) => x.key === v);
          if (!value) throw badInput(field, `must be one of ${a.values.map((x) => x.key).join(", ")}`);
          return value.name;
        });
        break;
      default:
        shown = values;
    }
    lines.push(`${a.description}: ${shown.join(", ")}`);
  }
  return lines;
}

export interface Open311Submission {
  form: URLSearchParams;
  clientAddress: string | null;
}

/**
 * POST requests: the client's key first (403 for any other outcome), then the request goes through the
 * same public intake as the web form, on the OPEN311 channel. A request without a name is taken as a
 * confidential one (STAR stores no name for it; a volunteered email or phone becomes its callback).
 * Attribute answers are appended to the description. media_url is not fetched.
 */
export async function submitOpen311Request(ds: DataSource, s: Open311Submission): Promise<Open311Object[]> {
  const form = s.form;
  const key = await authenticateApiKey(ds, form.get("api_key"));
  checkJurisdiction(form);
  const code = serviceCode(form.get("service_code") ?? "");
  const [category]: { id: string; attributes: unknown }[] = await ds.query(
    `SELECT id, open311_attributes AS attributes FROM category WHERE active AND open311_service_code = $1`,
    [code],
  );
  if (!category) throw badInput("service_code", `no such service: ${code}`);

  const lat = coordinate("lat", form.get("lat"));
  const long = coordinate("long", form.get("long"));
  if ((lat === null) !== (long === null))
    throw badInput(lat === null ? "lat" : "long", "give both lat and long");
  const address = form.get("address_string")?.trim() || null;
  if (lat === null && !address) {
    throw badInput(
      form.get("address_id")?.trim() ? "address_id" : "lat",
      form.get("address_id")?.trim()
        ? "is not supported here: send lat and long, or address_string"
        : "say where the issue is: lat and long, or address_string",
    );
  }

  const lines = attributeLines(parseAttributes(category.attributes), givenAttributes(form));
  const given = form.get("description")?.trim() ?? "";
  if ([...given].length > MAX_DESCRIPTION) {
    throw badInput("description", `must be at most ${MAX_DESCRIPTION} characters`);
  }
  const description = [given, lines.join("\n")].filter(Boolean).join("\n\n");
  if (!description) throw badInput("description", "is required (or answer the service's attributes)");
  if ([...description].length > MAX_DESCRIPTION) {
    throw badInput(
      "description",
      `with the attribute answers, must be at most ${MAX_DESCRIPTION} characters`,
    );
  }
  const firstName = form.get("first_name")?.trim() || null;
  const lastName = form.get("last_name")?.trim() || null;
  const email = form.get("email")?.trim() || null;
  const phone = form.get("phone")?.trim() || null;
  const named = !!(firstName || lastName);
  const token = randomBytes(18).toString("base64url");

  const receipt = await submitPublicRequest(
    ds,
    {
      categoryId: category.id,
      description,
      locationAddress: address,
      locationLat: lat,
      locationLong: long,
      firstName,
      lastName,
      email,
      phone,
      // Contact details without a name can only be kept as a confidential request's callback; a report
      // with nothing personal at all is anonymous, and public like any other.
      confidential: !named && !!(email || phone),
      anonymous: !named && !email && !phone,
      // A key is issued on the condition that the client shows the city's public-record notice.
      publicRecordNoticeAcknowledged: true,
    },
    { channel: Channel.OPEN311, apiKeyId: key.id, open311Token: token, clientAddress: s.clientAddress },
  );
  const tz = config().STAR_TIME_ZONE;
  const due = open311Time(receipt.dueAt, tz);
  return [
    {
      service_request_id: receipt.referenceNumber,
      token,
      service_notice: due
        ? `${receipt.departmentName} will handle this request; expected by ${due}.`
        : `${receipt.departmentName} will handle this request.`,
      account_id: null,
    },
  ];
}
