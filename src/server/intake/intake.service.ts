import type { DataSource, EntityManager } from "typeorm";
import {
  Assignment,
  AssignmentStatus,
  Attachment,
  Category,
  Channel,
  ConfidentialCallback,
  Constituent,
  Contact,
  Language,
} from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { DomainError, ErrorCode, badInput, conflict } from "../errors/domain-error";
import {
  cleanConstituentFields,
  findDuplicates,
  insertConstituent,
  type ConstituentFields,
} from "../constituents/constituent.service";
import { notifyNewAssignment } from "../mail/notification.service";
import { localDate } from "../routing/business-days";
import { route } from "../routing/routing.service";
import {
  oneOf,
  optionalEmail,
  optionalNumber,
  optionalText,
  optionalUuid,
  requiredDate,
  requiredText,
  uuid,
} from "../validation/validate";
import { linkDuplicateWithin } from "./duplicate-contacts.service";
import { normalizePhone } from "./phone";

export interface RecordContactCommand {
  constituentId?: string | null;
  newConstituent?: (ConstituentFields & { confirmNotDuplicateReason?: string | null }) | null;
  confidential?: boolean | null;
  callbackPhone?: string | null;
  callbackEmail?: string | null;
  channel: Channel;
  receivedAt?: Date | null;
  categoryId: string;
  description: string;
  locationAddress?: string | null;
  locationLat?: number | null;
  locationLong?: number | null;
  language?: Language | null;
  publicRecordNoticeGiven?: boolean | null;
  attachmentIds?: string[] | null;
  /** The same issue reported earlier: the new contact is linked to it in the same transaction. */
  duplicateOfId?: string | null;
}

/** Test seam: lets a test fail the transaction part-way and prove that nothing was written. */
export interface RecordContactHooks {
  afterContactInsert?: (em: EntityManager, contact: Contact) => Promise<void>;
}

const CHANNELS = Object.values(Channel);
const LANGUAGES = Object.values(Language);
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_BACKDATE_DAYS = 366;

/** The next human-friendly reference number, e.g. STAR-26-000123 (the year in the city's time zone). */
export async function nextReferenceNumber(em: EntityManager, now: Date): Promise<string> {
  const [{ n }] = await em.query(`SELECT nextval('contact_reference_seq') AS n`);
  const year = localDate(now, config().STAR_TIME_ZONE).slice(2, 4);
  return `${config().STAR_REFERENCE_PREFIX}-${year}-${String(n).padStart(6, "0")}`;
}

/**
 * Takes a contact at any door: validates everything first, then one transaction writes the contact, its
 * reference number, the lead assignment (routed with its due date), any volunteered callback, the linked
 * attachments and the audit event. A confidential request stores no name and no address anywhere.
 */
export async function recordContact(
  ds: DataSource,
  viewer: Viewer | null,
  input: RecordContactCommand,
  hooks: RecordContactHooks = {},
): Promise<Contact> {
  const v = requireRole(viewer, Rules.recordContacts);
  const now = new Date();
  const confidential = input.confidential === true;
  const who = [input.constituentId ? 1 : 0, input.newConstituent ? 1 : 0, confidential ? 1 : 0].reduce(
    (a, b) => a + b,
  );
  if (who !== 1) {
    throw badInput(
      confidential ? "confidential" : "constituentId",
      "give exactly one of constituentId, newConstituent, or confidential: true",
    );
  }
  const constituentId = optionalUuid("constituentId", input.constituentId);
  const newConstituent = input.newConstituent
    ? cleanConstituentFields(input.newConstituent, "newConstituent.")
    : null;
  const overrideReason = optionalText(
    "newConstituent.confirmNotDuplicateReason",
    input.newConstituent?.confirmNotDuplicateReason,
    { max: 500 },
  );
  const callbackPhone = normalizePhone("callbackPhone", input.callbackPhone);
  const callbackEmail = optionalEmail("callbackEmail", input.callbackEmail);
  if (!confidential && (callbackPhone || callbackEmail)) {
    throw badInput("callbackPhone", "a separate callback is only kept for confidential requests");
  }
  const channel = oneOf("channel", input.channel, CHANNELS);
  const receivedAt = input.receivedAt == null ? now : requiredDate("receivedAt", input.receivedAt);
  if (receivedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS)
    throw badInput("receivedAt", "cannot be in the future");
  if (now.getTime() - receivedAt.getTime() > MAX_BACKDATE_DAYS * 86_400_000) {
    throw badInput("receivedAt", `cannot be more than ${MAX_BACKDATE_DAYS} days ago`);
  }
  const categoryId = uuid("categoryId", input.categoryId);
  const description = requiredText("description", input.description, { max: 4000 });
  const locationAddress = optionalText("locationAddress", input.locationAddress, { max: 300 });
  const locationLat = optionalNumber("locationLat", input.locationLat, -90, 90);
  const locationLong = optionalNumber("locationLong", input.locationLong, -180, 180);
  if ((locationLat == null) !== (locationLong == null)) {
    throw badInput(locationLat == null ? "locationLat" : "locationLong", "give both latitude and longitude");
  }
  const attachmentIds = [
    ...new Set((input.attachmentIds ?? []).map((id, i) => uuid(`attachmentIds[${i}]`, id))),
  ];
  if (attachmentIds.length > 20) throw badInput("attachmentIds", "at most 20 attachments per contact");
  const duplicateOfId = optionalUuid("duplicateOfId", input.duplicateOfId);
  if (duplicateOfId) requireRole(v, Rules.linkDuplicateContacts);

  return ds.transaction(async (em) => {
    const category = await em.getRepository(Category).findOneBy({ id: categoryId });
    if (!category || !category.active) throw badInput("categoryId", "no such active category");

    let constituent: Constituent | null = null;
    if (constituentId) {
      constituent = await em.getRepository(Constituent).findOneBy({ id: constituentId });
      if (!constituent) throw badInput("constituentId", "no such constituent");
      if (constituent.mergedIntoId) {
        throw new DomainError(
          ErrorCode.CONFLICT,
          "This constituent was merged into another record",
          "constituentId",
          {
            mergedIntoId: constituent.mergedIntoId,
          },
        );
      }
    } else if (newConstituent) {
      const duplicates = await findDuplicates(em, newConstituent);
      if (duplicates.length && !overrideReason) {
        throw conflict("Likely duplicates exist: pick one, or confirm with a reason", {
          duplicateIds: duplicates.map((d) => d.constituent.id),
        });
      }
      constituent = await insertConstituent(em, v, newConstituent, duplicates, overrideReason);
    }
    const language =
      input.language != null
        ? oneOf("language", input.language, LANGUAGES)
        : (constituent?.preferredLanguage ?? Language.EN);

    const referenceNumber = await nextReferenceNumber(em, now);

    const contact = await em.getRepository(Contact).save(
      em.create(Contact, {
        referenceNumber,
        channel,
        receivedAt,
        enteredAt: now,
        enteredById: v.id,
        categoryId,
        description,
        locationAddress,
        locationLat,
        locationLong,
        constituentId: constituent?.id ?? null,
        confidential,
        language,
        duplicateOfId: null,
        publicRecordNoticeGiven: input.publicRecordNoticeGiven === true,
      }),
    );
    await hooks.afterContactInsert?.(em, contact);

    const { departmentId, dueAt } = route(category, receivedAt);
    const assignment = await em.getRepository(Assignment).save(
      em.create(Assignment, {
        contactId: contact.id,
        departmentId,
        isLead: true,
        status: AssignmentStatus.OPEN,
        assignedAt: now,
        dueAt,
      }),
    );
    if (callbackPhone || callbackEmail) {
      await em.insert(ConfidentialCallback, {
        contactId: contact.id,
        phone: callbackPhone,
        email: callbackEmail,
      });
    }
    if (attachmentIds.length) {
      const linked = await em
        .createQueryBuilder()
        .update(Attachment)
        .set({ contactId: contact.id })
        .where("id IN (:...ids) AND contact_id IS NULL AND response_id IS NULL AND uploaded_by_id = :uid", {
          ids: attachmentIds,
          uid: v.id,
        })
        .execute();
      if (linked.affected !== attachmentIds.length) {
        throw badInput("attachmentIds", "unknown attachment, or not an unlinked upload of yours");
      }
    }
    await audit(em, v, {
      action: "contact.recorded",
      entityType: "contact",
      entityId: contact.id,
      // No personal data in the audit row: a confidential request must leave no name anywhere.
      after: {
        referenceNumber,
        channel,
        categoryId,
        confidential,
        constituentId: contact.constituentId,
        leadAssignmentId: assignment.id,
        departmentId,
        dueAt: dueAt.toISOString(),
        attachmentIds,
      },
    });
    if (duplicateOfId) {
      // The lead of the first report answers this one too: its own assignment is cancelled, unannounced.
      contact.duplicateOfId = await linkDuplicateWithin(
        em,
        v,
        { contactId: contact.id, duplicateOfId },
        { recordedNow: true },
      );
      const lead = await em.getRepository(Assignment).findOneByOrFail({ id: assignment.id });
      contact.assignments = [Object.assign(lead, { responses: [] })];
      return contact;
    }
    await notifyNewAssignment(em, assignment.id);
    contact.assignments = [Object.assign(assignment, { responses: [] })];
    return contact;
  });
}
