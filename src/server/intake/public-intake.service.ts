import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { AssignmentStatus, Channel, Language } from "../../../entities";
import { config } from "../config/config";
import { cleanConstituentFields } from "../constituents/constituent.service";
import { preparedQuery } from "../db/data-source";
import { updateReturning } from "../db/sql";
import { badInput } from "../errors/domain-error";
import { newAssignmentNotice } from "../mail/notification.service";
import { outboxRow, type OutboxRow } from "../mail/outbox.service";
import { localDate } from "../routing/business-days";
import { route } from "../routing/routing.service";
import { RATE_HIT_CTE, rateHit } from "../self-service/rate-limit.service";
import { receiptRow } from "../self-service/receipt-mail";
import { hashTrackingCode, newTrackingCode } from "../self-service/tracking-code";
import {
  oneOf,
  optionalEmail,
  optionalNumber,
  optionalText,
  requiredText,
  uuid,
} from "../validation/validate";
import { normalizePhone } from "./phone";

/** A request from the public form or an Open311 client: nobody signed in. */
export interface PublicRequestCommand {
  categoryId: string;
  description: string;
  locationAddress?: string | null;
  locationLat?: number | null;
  locationLong?: number | null;
  language?: Language | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Keep my name and address confidential: only the request's details are stored. */
  confidential?: boolean | null;
  /**
   * Nobody to answer and nothing personal given (an Open311 report with no name, email or phone): kept with
   * no constituent, but not confidential, so its description and location stay public like any report's.
   */
  anonymous?: boolean | null;
  /** "What you submit may be released under a public records request" was shown and acknowledged. */
  publicRecordNoticeAcknowledged: boolean;
  /** Unlinked public uploads (from the public upload endpoint). */
  attachmentIds?: string[] | null;
  /** "This looks like a report already open: add yourself to it." */
  duplicateOfReference?: string | null;
}

export interface PublicRequestSource {
  channel: Channel.WEB | Channel.OPEN311;
  apiKeyId?: string | null;
  /** The Open311 token answered to the client, written with the request. */
  open311Token?: string | null;
  clientAddress?: string | null;
}

/** What the submitter learns: their own request only, never whether they were already on file. */
export interface PublicReceipt {
  contactId: string;
  referenceNumber: string;
  /** Shown once; only its hash is stored. */
  trackingCode: string;
  status: string;
  departmentName: string;
  departmentNameEs: string;
  dueAt: Date | null;
  language: Language;
}

const LANGUAGES = Object.values(Language);
const MAX_ATTACHMENTS = 5;

interface CleanPublicRequest {
  categoryId: string;
  description: string;
  locationAddress: string | null;
  locationLat: number | null;
  locationLong: number | null;
  language: Language;
  confidential: boolean;
  anonymous: boolean;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  attachmentIds: string[];
  duplicateOfReference: string | null;
}

/** Every check that needs no database, so a refused submission touches nothing. */
export function cleanPublicRequest(input: PublicRequestCommand): CleanPublicRequest {
  if (input.publicRecordNoticeAcknowledged !== true) {
    throw badInput("publicRecordNoticeAcknowledged", "acknowledge the public-record notice before sending");
  }
  const categoryId = uuid("categoryId", input.categoryId);
  const description = requiredText("description", input.description, { max: 4000 });
  const locationAddress = optionalText("locationAddress", input.locationAddress, { max: 300 });
  const locationLat = optionalNumber("locationLat", input.locationLat, -90, 90);
  const locationLong = optionalNumber("locationLong", input.locationLong, -180, 180);
  if ((locationLat == null) !== (locationLong == null)) {
    throw badInput(locationLat == null ? "locationLat" : "locationLong", "give both latitude and longitude");
  }
  if (!locationAddress && locationLat == null) {
    throw badInput("locationAddress", "say where the issue is: an address, or share your location");
  }
  const language = input.language != null ? oneOf("language", input.language, LANGUAGES) : Language.EN;
  const confidential = input.confidential === true;
  const firstName = optionalText("firstName", input.firstName, { max: 100 });
  const lastName = optionalText("lastName", input.lastName, { max: 100 });
  const email = optionalEmail("email", input.email);
  const phone = normalizePhone("phone", input.phone);
  if (confidential && (firstName || lastName)) {
    throw badInput("firstName", "a confidential request keeps no name: leave the name out");
  }
  const anonymous = input.anonymous === true;
  if (anonymous && (confidential || firstName || lastName || email || phone)) {
    throw badInput("firstName", "an anonymous report carries no name or contact details");
  }
  if (!confidential && !anonymous && !firstName && !lastName) {
    throw badInput("lastName", "give your name, or ask to keep your name and address confidential");
  }
  const attachmentIds = [
    ...new Set((input.attachmentIds ?? []).map((id, i) => uuid(`attachmentIds[${i}]`, id))),
  ];
  if (attachmentIds.length > MAX_ATTACHMENTS) {
    throw badInput("attachmentIds", `at most ${MAX_ATTACHMENTS} files per request`);
  }
  const duplicateOfReference = optionalText("duplicateOfReference", input.duplicateOfReference, { max: 30 });
  return {
    categoryId,
    description,
    locationAddress,
    locationLat,
    locationLong,
    language,
    confidential,
    anonymous,
    firstName,
    lastName,
    email,
    phone,
    attachmentIds,
    duplicateOfReference: duplicateOfReference?.toUpperCase() ?? null,
  };
}

interface SubmitFacts {
  hits: number | null;
  id: string | null;
  department_id: string;
  sla_business_days: number;
  active: boolean;
  name: string;
  name_es: string;
  standard_response: string;
  standard_response_es: string;
  department_name: string;
  department_name_es: string;
  department_email: string | null;
  n: string | null;
  constituent_id: string | null;
}

/**
 * Category, department, the next reference number (taken only for an active category, within the rate
 * limit) and the constituent on file with the given email, in one read.
 */
function factsStatement(
  from: string,
  p: { hits: string; category: string; email: string; allowed: string },
): string {
  return `SELECT ${p.hits} AS hits, c.id, c.department_id, c.sla_business_days, c.active, c.name, c.name_es,
         c.standard_response, c.standard_response_es, d.name AS department_name,
         COALESCE(d.name_es, d.name) AS department_name_es, d.email AS department_email,
         CASE WHEN c.active AND ${p.allowed} THEN nextval('contact_reference_seq') END AS n,
         CASE WHEN ${p.email}::text IS NOT NULL THEN
           (SELECT k.id FROM constituent k WHERE lower(k.email) = ${p.email} AND k.merged_into_id IS NULL
             ORDER BY k.created_at, k.id LIMIT 1) END AS constituent_id
    FROM ${from} LEFT JOIN (category c JOIN department d ON d.id = c.department_id) ON c.id = ${p.category}::uuid`;
}

// The web form's rate-limit hit leads the same statement.
const WEB_FACTS = `WITH ${RATE_HIT_CTE}
  ${factsStatement("hit", { hits: "hit.hits", category: "$6", email: "$7", allowed: "hit.hits <= $8" })}`;
const OPEN311_FACTS = factsStatement("(SELECT 1) one", {
  hits: "NULL::int",
  category: "$1",
  email: "$2",
  allowed: "true",
});

/**
 * Takes a request from the public (the web form, or Open311) through the same intake rules as a clerk's
 * contact: routed to the category's department with its due date, written with its audit events and
 * mail (no viewer: the actor is the channel). A named submitter is matched to an existing constituent by
 * email, and the receipt reads the same either way, so the form never tells who is on file. A
 * confidential request stores no name; a volunteered email or phone lives only as its callback.
 * Two statements in all: one read, then one write, which is its own transaction; joining an open report
 * or linking uploads takes an explicit transaction, as the report stays locked until the write.
 */
export async function submitPublicRequest(
  ds: DataSource,
  input: PublicRequestCommand,
  source: PublicRequestSource,
): Promise<PublicReceipt> {
  const channel = oneOf("channel", source.channel, [Channel.WEB, Channel.OPEN311] as const);
  const req = cleanPublicRequest(input);
  const now = new Date();
  const trackingCode = newTrackingCode();
  const email = req.email && !req.confidential ? req.email.toLowerCase() : null;

  const hit = channel === Channel.WEB ? rateHit("submit", source.clientAddress, now) : null;
  const { rows } = hit
    ? await preparedQuery<SubmitFacts>(ds, {
        name: "public_submit_facts_web",
        text: WEB_FACTS,
        values: [...hit.values, req.categoryId, email, hit.limit],
      })
    : await preparedQuery<SubmitFacts>(ds, {
        name: "public_submit_facts",
        text: OPEN311_FACTS,
        values: [req.categoryId, email],
      });
  const facts = rows[0];
  if (hit) hit.check(facts.hits ?? 0);
  if (!facts.id || !facts.active || facts.n == null) throw badInput("categoryId", "no such active category");
  const year = localDate(now, config().STAR_TIME_ZONE).slice(2, 4);
  const referenceNumber = `${config().STAR_REFERENCE_PREFIX}-${year}-${String(facts.n).padStart(6, "0")}`;
  const { departmentId, dueAt } = route(
    { departmentId: facts.department_id, slaBusinessDays: facts.sla_business_days },
    now,
  );
  const contactId = randomUUID();
  const assignmentId = randomUUID();
  const unnamed = req.confidential || req.anonymous;
  const newConstituent =
    unnamed || facts.constituent_id ? null : { id: randomUUID(), ...newConstituentFields(req, channel) };
  const constituentId = unnamed ? null : (facts.constituent_id ?? newConstituent!.id);

  const plan = (root: OpenRoot | null) => {
    const answering = root?.lead ?? {
      departmentId,
      departmentName: facts.department_name,
      departmentNameEs: facts.department_name_es,
      dueAt,
      status: AssignmentStatus.OPEN,
    };
    const audits: AuditRow[] = [];
    if (newConstituent) {
      audits.push({
        action: "constituent.created",
        entityType: "constituent",
        entityId: newConstituent.id,
        after: { channel, preferredLanguage: newConstituent.preferredLanguage },
      });
    }
    audits.push({
      action: "contact.submitted",
      entityType: "contact",
      entityId: contactId,
      // No personal data in the audit row, and no sign of whether the submitter was already on file.
      after: {
        referenceNumber,
        channel,
        apiKeyId: source.apiKeyId ?? null,
        categoryId: facts.id,
        confidential: req.confidential,
        leadAssignmentId: assignmentId,
        departmentId,
        dueAt: dueAt.toISOString(),
        duplicateOfId: root?.id ?? null,
        attachmentIds: req.attachmentIds,
      },
    });
    const mails: OutboxRow[] = [];
    const notice = root
      ? null
      : newAssignmentNotice({
          assignmentId,
          dueAt,
          isLead: true,
          referenceNumber,
          categoryName: facts.name,
          departmentName: facts.department_name,
          to: facts.department_email,
        });
    if (notice) mails.push(outboxRow(notice.mail, notice.dedupeKey));
    if (req.email) {
      mails.push(
        receiptRow({
          to: req.email,
          language: req.language,
          referenceNumber,
          trackingCode,
          categoryName: req.language === Language.ES ? facts.name_es : facts.name,
          departmentName:
            req.language === Language.ES ? answering.departmentNameEs : answering.departmentName,
          dueAt: answering.dueAt,
          standardResponse:
            req.language === Language.ES ? facts.standard_response_es : facts.standard_response,
        }),
      );
    }
    const callback =
      req.confidential && (req.email || req.phone) ? { email: req.email, phone: req.phone } : null;
    const token = channel === Channel.OPEN311 ? (source.open311Token ?? null) : null;
    const statement = writeStatement({ constituent: !!newConstituent, callback: !!callback, token: !!token });
    const values = [
      contactId,
      referenceNumber,
      channel,
      now,
      facts.id,
      req.description,
      req.locationAddress,
      req.locationLat,
      req.locationLong,
      constituentId,
      req.confidential,
      req.language,
      root?.id ?? null,
      hashTrackingCode(trackingCode),
      assignmentId,
      departmentId,
      // A report added to an open one is answered by that one's lead: its own assignment starts cancelled.
      root ? AssignmentStatus.CANCELLED : AssignmentStatus.OPEN,
      dueAt,
      audits.map((a) => a.action),
      audits.map((a) => a.entityType),
      audits.map((a) => a.entityId),
      audits.map((a) => JSON.stringify(a.after)),
      mails.map((m) => m.kind),
      mails.map((m) => m.toAddress),
      mails.map((m) => m.subject),
      mails.map((m) => m.body),
      mails.map((m) => m.dedupeKey),
      ...(newConstituent
        ? [
            newConstituent.id,
            newConstituent.firstName,
            newConstituent.lastName,
            newConstituent.email,
            newConstituent.phone,
            newConstituent.preferredLanguage,
            newConstituent.preferredChannel,
            newConstituent.nameKey,
            newConstituent.addressKey,
          ]
        : []),
      ...(callback ? [callback.phone, callback.email] : []),
      ...(token ? [token, source.apiKeyId ?? null] : []),
    ];
    const receipt: PublicReceipt = {
      contactId,
      referenceNumber,
      trackingCode,
      status: answering.status === AssignmentStatus.IN_PROGRESS ? "IN_PROGRESS" : "OPEN",
      departmentName: answering.departmentName,
      departmentNameEs: answering.departmentNameEs,
      dueAt: answering.dueAt,
      language: req.language,
    };
    return { statement, values, receipt };
  };

  if (!req.duplicateOfReference && !req.attachmentIds.length) {
    const { statement, values, receipt } = plan(null);
    await preparedQuery(ds, { name: statement.name, text: statement.text, values });
    return receipt;
  }
  return ds.transaction(async (tx) => {
    const root = req.duplicateOfReference ? await openRootByReference(tx, req.duplicateOfReference) : null;
    if (root && root.categoryId !== facts.id) {
      throw badInput("duplicateOfReference", "is a report in a different category");
    }
    const { statement, values, receipt } = plan(root);
    await tx.query(statement.text, values);
    if (req.attachmentIds.length) await linkPublicUploads(tx, contactId, req.attachmentIds);
    return receipt;
  });
}

interface AuditRow {
  action: string;
  entityType: string;
  entityId: string;
  after: Record<string, unknown>;
}

/**
 * The whole write as one statement: the constituent when new, the contact, its tracking-code hash, its
 * lead assignment, a confidential request's callback, the audit events and the outbox mail. The ids are
 * made here, so nothing just written is read back.
 */
function writeStatement(shape: { constituent: boolean; callback: boolean; token: boolean }): {
  name: string;
  text: string;
} {
  let next = 28;
  const params = (n: number) => Array.from({ length: n }, () => `$${next++}`).join(", ");
  const parts = [
    ...(shape.constituent
      ? [
          `k AS (INSERT INTO constituent (id, first_name, last_name, email, phone, preferred_language,
                                      preferred_channel, name_key, address_key, created_by_id)
               VALUES (${params(9)}, NULL))`,
        ]
      : []),
    `c AS (
       INSERT INTO contact (id, reference_number, channel, received_at, entered_at, entered_by_id, category_id,
                            description, location_address, location_lat, location_long, constituent_id,
                            confidential, language, duplicate_of_id, public_record_notice_given)
       VALUES ($1, $2, $3, $4, $4, NULL, $5, $6, $7, $8, $9, $10, $11, $12, $13, true) RETURNING id)`,
    `t AS (INSERT INTO public_tracking_code (contact_id, code_hash) VALUES ($1, $14))`,
    `a AS (INSERT INTO assignment (id, contact_id, department_id, is_lead, status, assigned_at, due_at)
           VALUES ($15, $1, $16, true, $17, $4, $18))`,
    ...(shape.callback
      ? [`cb AS (INSERT INTO confidential_callback (contact_id, phone, email) VALUES ($1, ${params(2)}))`]
      : []),
    ...(shape.token
      ? [
          `o AS (INSERT INTO open311_token (token, contact_id, api_key_id) VALUES (${params(1)}, $1, ${params(1)}))`,
        ]
      : []),
    `e AS (INSERT INTO audit_event (actor_id, action, entity_type, entity_id, after)
           SELECT NULL, * FROM unnest($19::varchar[], $20::varchar[], $21::varchar[], $22::jsonb[]))`,
    `m AS (INSERT INTO mail_outbox (kind, to_address, subject, body, dedupe_key)
           SELECT * FROM unnest($23::varchar[], $24::varchar[], $25::varchar[], $26::text[], $27::varchar[])
           ON CONFLICT (dedupe_key) DO NOTHING)`,
  ];
  return {
    name: `public_submit_write${shape.constituent ? "_k" : ""}${shape.callback ? "_cb" : ""}${shape.token ? "_o" : ""}`,
    text: `WITH ${parts.join(",\n")}\nSELECT id FROM c`,
  };
}

function newConstituentFields(req: CleanPublicRequest, channel: Channel) {
  return cleanConstituentFields({
    firstName: req.firstName,
    lastName: req.lastName,
    email: req.email,
    phone: req.phone,
    preferredLanguage: req.language,
    preferredChannel: channel,
  });
}

interface OpenRoot {
  id: string;
  categoryId: string;
  lead: {
    departmentId: string;
    departmentName: string;
    departmentNameEs: string;
    dueAt: Date | null;
    status: AssignmentStatus;
  };
}

/**
 * The open first report a public submitter asked to join, as offered by the public duplicate search:
 * never a confidential one. Locked, so it cannot close or be relinked while this request joins it.
 */
async function openRootByReference(em: EntityManager, reference: string): Promise<OpenRoot> {
  const rows: { id: string; duplicate_of_id: string | null; confidential: boolean; category_id: string }[] =
    await em.query(
      `SELECT id, duplicate_of_id, confidential, category_id FROM contact WHERE reference_number = $1 FOR UPDATE`,
      [reference],
    );
  let row = rows[0];
  if (row?.duplicate_of_id) {
    const up: typeof rows = await em.query(
      `SELECT id, duplicate_of_id, confidential, category_id FROM contact WHERE id = $1 FOR UPDATE`,
      [row.duplicate_of_id],
    );
    row = up[0];
  }
  if (!row || row.confidential) throw badInput("duplicateOfReference", "no such open report");
  const leads: {
    department_id: string;
    department_name: string;
    department_name_es: string;
    due_at: Date | null;
    status: AssignmentStatus;
  }[] = await em.query(
    `SELECT a.department_id, d.name AS department_name, COALESCE(d.name_es, d.name) AS department_name_es,
            a.due_at, a.status
         FROM assignment a JOIN department d ON d.id = a.department_id
        WHERE a.contact_id = $1 AND a.is_lead AND a.status IN ('OPEN','IN_PROGRESS') LIMIT 1`,
    [row.id],
  );
  if (!leads.length) throw badInput("duplicateOfReference", "is no longer open");
  return {
    id: row.id,
    categoryId: row.category_id,
    lead: {
      departmentId: leads[0].department_id,
      departmentName: leads[0].department_name,
      departmentNameEs: leads[0].department_name_es,
      dueAt: leads[0].due_at,
      status: leads[0].status,
    },
  };
}

/** Only uploads made through the public endpoint and not yet linked to anything may be attached. */
async function linkPublicUploads(em: EntityManager, contactId: string, ids: string[]): Promise<void> {
  const rows = await updateReturning<{ id: string }>(
    em,
    `UPDATE attachment SET contact_id = $1
      WHERE id = ANY($2::uuid[]) AND contact_id IS NULL AND response_id IS NULL AND uploaded_by_id IS NULL
      RETURNING id`,
    [contactId, ids],
  );
  if (rows.length !== ids.length) throw badInput("attachmentIds", "unknown upload, or already used");
}
