import type { DataSource, EntityManager } from "typeorm";
import { AssignmentStatus, Category, Channel, ConfidentialCallback, Language } from "../../../entities";
import { audit } from "../audit/audit.service";
import { cleanConstituentFields } from "../constituents/constituent.service";
import { updateReturning } from "../db/sql";
import { badInput } from "../errors/domain-error";
import { notifyNewAssignment } from "../mail/notification.service";
import { route } from "../routing/routing.service";
import { enqueueReceipt } from "../self-service/receipt-mail";
import { hitRateLimit } from "../self-service/rate-limit.service";
import { hashTrackingCode, newTrackingCode } from "../self-service/tracking-code";
import {
  oneOf,
  optionalEmail,
  optionalNumber,
  optionalText,
  requiredText,
  uuid,
} from "../validation/validate";
import { nextReferenceNumber } from "./intake.service";
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
  if (!confidential && !firstName && !lastName) {
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
    firstName,
    lastName,
    email,
    phone,
    attachmentIds,
    duplicateOfReference: duplicateOfReference?.toUpperCase() ?? null,
  };
}

/**
 * Takes a request from the public (the web form, or Open311) through the same intake rules as a clerk's
 * contact: routed to the category's department with its due date, one transaction with its audit event
 * (no viewer: the actor is the channel). A named submitter is matched to an existing constituent by
 * email, and the receipt reads the same either way, so the form never tells who is on file. A
 * confidential request stores no name; a volunteered email or phone lives only as its callback.
 */
export async function submitPublicRequest(
  ds: DataSource,
  input: PublicRequestCommand,
  source: PublicRequestSource,
): Promise<PublicReceipt> {
  const channel = oneOf("channel", source.channel, [Channel.WEB, Channel.OPEN311] as const);
  const req = cleanPublicRequest(input);
  if (channel === Channel.WEB) await hitRateLimit(ds, "submit", source.clientAddress);
  const now = new Date();
  const trackingCode = newTrackingCode();

  return ds.transaction(async (em) => {
    const categories: (Pick<Category, "id" | "departmentId" | "slaBusinessDays" | "active"> & {
      name: string;
      nameEs: string;
      standardResponse: string;
      standardResponseEs: string;
      departmentName: string;
    })[] = await em.query(
      `SELECT c.id, c.department_id AS "departmentId", c.sla_business_days AS "slaBusinessDays", c.active,
              c.name, c.name_es AS "nameEs", c.standard_response AS "standardResponse",
              c.standard_response_es AS "standardResponseEs", d.name AS "departmentName"
         FROM category c JOIN department d ON d.id = c.department_id WHERE c.id = $1`,
      [req.categoryId],
    );
    const category = categories[0];
    if (!category || !category.active) throw badInput("categoryId", "no such active category");
    const root = req.duplicateOfReference ? await openRootByReference(em, req.duplicateOfReference) : null;
    if (root && root.categoryId !== category.id) {
      throw badInput("duplicateOfReference", "is a report in a different category");
    }

    const constituentId = req.confidential ? null : await matchOrCreateConstituent(em, req, channel);
    const referenceNumber = await nextReferenceNumber(em, now);
    const { departmentId, dueAt } = route(category, now);
    // One statement for the contact, its tracking-code hash and its lead assignment. A report added to an
    // open one is answered by that one's lead: its own assignment starts cancelled.
    const [ids]: { contact_id: string; assignment_id: string }[] = await em.query(
      `WITH c AS (
         INSERT INTO contact (reference_number, channel, received_at, entered_at, entered_by_id, category_id,
                              description, location_address, location_lat, location_long, constituent_id,
                              confidential, language, duplicate_of_id, public_record_notice_given)
         VALUES ($1, $2, $3, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12, true)
         RETURNING id),
       t AS (INSERT INTO public_tracking_code (contact_id, code_hash) SELECT id, $13 FROM c),
       a AS (INSERT INTO assignment (contact_id, department_id, is_lead, status, assigned_at, due_at)
             SELECT id, $14, true, $15, $3, $16 FROM c RETURNING id)
       SELECT c.id AS contact_id, a.id AS assignment_id FROM c, a`,
      [
        referenceNumber,
        channel,
        now,
        category.id,
        req.description,
        req.locationAddress,
        req.locationLat,
        req.locationLong,
        constituentId,
        req.confidential,
        req.language,
        root?.id ?? null,
        hashTrackingCode(trackingCode),
        departmentId,
        root ? AssignmentStatus.CANCELLED : AssignmentStatus.OPEN,
        dueAt,
      ],
    );
    const contact = { id: ids.contact_id };
    const assignment = { id: ids.assignment_id };
    if (req.confidential && (req.email || req.phone)) {
      await em.insert(ConfidentialCallback, { contactId: contact.id, phone: req.phone, email: req.email });
    }
    if (req.attachmentIds.length) await linkPublicUploads(em, contact.id, req.attachmentIds);

    const answering = root?.lead ?? {
      departmentId,
      departmentName: category.departmentName,
      dueAt,
      status: AssignmentStatus.OPEN,
    };
    await audit(em, null, {
      action: "contact.submitted",
      entityType: "contact",
      entityId: contact.id,
      // No personal data in the audit row, and no sign of whether the submitter was already on file.
      after: {
        referenceNumber,
        channel,
        apiKeyId: source.apiKeyId ?? null,
        categoryId: category.id,
        confidential: req.confidential,
        leadAssignmentId: assignment.id,
        departmentId,
        dueAt: dueAt.toISOString(),
        duplicateOfId: root?.id ?? null,
        attachmentIds: req.attachmentIds,
      },
    });
    if (!root) await notifyNewAssignment(em, assignment.id);
    if (req.email) {
      await enqueueReceipt(em, {
        to: req.email,
        language: req.language,
        referenceNumber,
        trackingCode,
        categoryName: req.language === Language.ES ? category.nameEs : category.name,
        departmentName: answering.departmentName,
        dueAt: answering.dueAt,
        standardResponse:
          req.language === Language.ES ? category.standardResponseEs : category.standardResponse,
      });
    }
    return {
      contactId: contact.id,
      referenceNumber,
      trackingCode,
      status: answering.status === AssignmentStatus.IN_PROGRESS ? "IN_PROGRESS" : "OPEN",
      departmentName: answering.departmentName,
      dueAt: answering.dueAt,
      language: req.language,
    };
  });
}

interface OpenRoot {
  id: string;
  categoryId: string;
  lead: { departmentId: string; departmentName: string; dueAt: Date | null; status: AssignmentStatus };
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
    due_at: Date | null;
    status: AssignmentStatus;
  }[] = await em.query(
    `SELECT a.department_id, d.name AS department_name, a.due_at, a.status
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
      dueAt: leads[0].due_at,
      status: leads[0].status,
    },
  };
}

/**
 * An email already on file joins the request to that constituent; otherwise a new constituent is made.
 * The existing record is never changed from the public side, and nothing about it is returned.
 */
async function matchOrCreateConstituent(
  em: EntityManager,
  req: CleanPublicRequest,
  channel: Channel,
): Promise<string> {
  if (req.email) {
    const found: { id: string }[] = await em.query(
      `SELECT id FROM constituent WHERE lower(email) = $1 AND merged_into_id IS NULL
        ORDER BY created_at, id LIMIT 1`,
      [req.email.toLowerCase()],
    );
    if (found.length) return found[0].id;
  }
  const fields = cleanConstituentFields({
    firstName: req.firstName,
    lastName: req.lastName,
    email: req.email,
    phone: req.phone,
    preferredLanguage: req.language,
    preferredChannel: channel,
  });
  const [saved]: { id: string }[] = await em.query(
    `INSERT INTO constituent (first_name, last_name, organization, email, phone, address_line1, address_line2,
                              city, state, postal_code, preferred_language, preferred_channel, name_key,
                              address_key, created_by_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL) RETURNING id`,
    [
      fields.firstName,
      fields.lastName,
      fields.organization,
      fields.email,
      fields.phone,
      fields.addressLine1,
      fields.addressLine2,
      fields.city,
      fields.state,
      fields.postalCode,
      fields.preferredLanguage,
      fields.preferredChannel,
      fields.nameKey,
      fields.addressKey,
    ],
  );
  await audit(em, null, {
    action: "constituent.created",
    entityType: "constituent",
    entityId: saved.id,
    after: { channel, preferredLanguage: fields.preferredLanguage },
  });
  return saved.id;
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
