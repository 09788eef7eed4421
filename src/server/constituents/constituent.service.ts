import type { DataSource, EntityManager } from "typeorm";
import { Channel, Constituent, Language } from "../../../entities";
import { audit } from "../audit/audit.service";
import { updateReturning } from "../db/sql";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput, conflict, notFound } from "../errors/domain-error";
import { normalizePhone } from "../intake/phone";
import { LIKELY_DUPLICATE, scoreDuplicate, type Match } from "../search/match-scoring";
import { textKey } from "../search/text-key";
import { oneOf, optionalEmail, optionalText, requiredText, uuid } from "../validation/validate";

export interface ConstituentFields {
  firstName?: string | null;
  lastName?: string | null;
  organization?: string | null;
  email?: string | null;
  phone?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  preferredLanguage?: Language | null;
  preferredChannel?: Channel | null;
}

export interface CreateConstituentCommand extends ConstituentFields {
  /** Create even though likely duplicates exist; the reason is kept in the audit log. */
  confirmNotDuplicateReason?: string | null;
}

export interface DuplicateCandidate extends Match {
  constituent: Constituent;
}

export interface CreateConstituentOutcome {
  constituent: Constituent | null;
  duplicates: DuplicateCandidate[];
}

type CleanFields = Required<Omit<ConstituentFields, "preferredLanguage">> & {
  preferredLanguage: Language;
  nameKey: string;
  addressKey: string;
};

const LANGUAGES = Object.values(Language);
const CHANNELS = Object.values(Channel);

/** Validates and normalises a constituent's fields; `prefix` names nested input fields in errors. */
export function cleanConstituentFields(input: ConstituentFields, prefix = ""): CleanFields {
  const f = (name: string) => `${prefix}${name}`;
  const firstName = optionalText(f("firstName"), input.firstName, { max: 100 });
  const lastName = optionalText(f("lastName"), input.lastName, { max: 100 });
  const organization = optionalText(f("organization"), input.organization, { max: 200 });
  if (!firstName && !lastName && !organization) {
    throw badInput(f("lastName"), "a name or an organization is required");
  }
  const addressLine1 = optionalText(f("addressLine1"), input.addressLine1, { max: 200 });
  const addressLine2 = optionalText(f("addressLine2"), input.addressLine2, { max: 200 });
  const city = optionalText(f("city"), input.city, { max: 100 });
  const state = optionalText(f("state"), input.state, { max: 40 });
  const postalCode = optionalText(f("postalCode"), input.postalCode, { max: 20 });
  if (postalCode && !/^\d{5}(-\d{4})?$/.test(postalCode)) {
    throw badInput(f("postalCode"), "must be a ZIP code such as 85004 or 85004-1234");
  }
  return {
    firstName,
    lastName,
    organization,
    email: optionalEmail(f("email"), input.email),
    phone: normalizePhone(f("phone"), input.phone),
    addressLine1,
    addressLine2,
    city,
    state,
    postalCode,
    preferredLanguage: input.preferredLanguage
      ? oneOf(f("preferredLanguage"), input.preferredLanguage, LANGUAGES)
      : Language.EN,
    preferredChannel: input.preferredChannel
      ? oneOf(f("preferredChannel"), input.preferredChannel, CHANNELS)
      : null,
    nameKey: textKey(firstName, lastName, organization),
    addressKey: textKey(addressLine1, addressLine2, city, postalCode),
  };
}

/** Records on file that look like the same person: same phone or email, or a similar name or address. */
export async function findDuplicates(
  em: EntityManager,
  fields: CleanFields,
  excludeId?: string,
): Promise<DuplicateCandidate[]> {
  const personKey = textKey(fields.firstName, fields.lastName);
  const rows: Constituent[] = await em
    .getRepository(Constituent)
    .createQueryBuilder("c")
    .where("c.merged_into_id IS NULL")
    .andWhere(excludeId ? "c.id <> :excludeId" : "TRUE", { excludeId })
    .andWhere(
      `(c.phone = :phone OR lower(c.email) = :email OR (:personKey <> '' AND c.name_key % :personKey)
        OR (:orgKey <> '' AND c.name_key % :orgKey) OR (:addressKey <> '' AND c.address_key % :addressKey))`,
      {
        phone: fields.phone ?? "",
        email: fields.email ?? "",
        personKey,
        orgKey: textKey(fields.organization),
        addressKey: fields.addressKey,
      },
    )
    .orderBy("c.created_at", "DESC")
    .limit(50)
    .getMany();
  return rows
    .map((constituent) => ({ constituent, ...scoreDuplicate(fields, constituent) }))
    .filter((d) => d.score >= LIKELY_DUPLICATE)
    .sort((a, b) => b.score - a.score)
    .slice(0, 10);
}

export async function createConstituent(
  ds: DataSource,
  viewer: Viewer | null,
  input: CreateConstituentCommand,
): Promise<CreateConstituentOutcome> {
  const v = requireRole(viewer, Rules.writeConstituents);
  const fields = cleanConstituentFields(input);
  const reason = optionalText("confirmNotDuplicateReason", input.confirmNotDuplicateReason, { max: 500 });
  return ds.transaction(async (em) => {
    const duplicates = await findDuplicates(em, fields);
    if (duplicates.length && !reason) return { constituent: null, duplicates };
    const constituent = await insertConstituent(em, v, fields, duplicates, reason);
    return { constituent, duplicates };
  });
}

/** Inside the caller's transaction. Audits the create, and the override when duplicates were shown. */
export async function insertConstituent(
  em: EntityManager,
  viewer: Viewer,
  fields: CleanFields,
  duplicates: DuplicateCandidate[],
  reason: string | null,
): Promise<Constituent> {
  const saved = await em
    .getRepository(Constituent)
    .save(em.create(Constituent, { ...fields, createdById: viewer.id }));
  await audit(em, viewer, {
    action: "constituent.created",
    entityType: "constituent",
    entityId: saved.id,
    after: publicFields(saved),
    reason: duplicates.length
      ? `created despite possible duplicates ${duplicates.map((d) => d.constituent.id).join(", ")}: ${reason}`
      : null,
  });
  return saved;
}

export interface UpdateConstituentCommand extends ConstituentFields {
  id: string;
  version: number;
}

export async function updateConstituent(
  ds: DataSource,
  viewer: Viewer | null,
  input: UpdateConstituentCommand,
): Promise<Constituent> {
  const v = requireRole(viewer, Rules.writeConstituents);
  const id = uuid("id", input.id);
  return ds.transaction(async (em) => {
    const repo = em.getRepository(Constituent);
    const current = await repo.findOne({ where: { id }, lock: { mode: "pessimistic_write" } });
    if (!current) throw notFound("Constituent");
    if (current.mergedIntoId) throw conflict("This record was merged; edit the record it was merged into");
    if (current.version !== input.version) {
      throw conflict("This constituent was changed by someone else; reload and try again", {
        currentVersion: current.version,
      });
    }
    // Fields left out keep their value; fields sent as null are cleared.
    const merged: ConstituentFields = { ...current };
    for (const key of Object.keys(input) as (keyof UpdateConstituentCommand)[]) {
      if (key !== "id" && key !== "version" && input[key] !== undefined) {
        (merged as Record<string, unknown>)[key] = input[key];
      }
    }
    const fields = cleanConstituentFields(merged);
    await repo.update({ id, version: current.version }, { ...fields, version: current.version + 1 });
    const updated = await repo.findOneByOrFail({ id });
    await audit(em, v, {
      action: "constituent.updated",
      entityType: "constituent",
      entityId: id,
      before: publicFields(current),
      after: publicFields(updated),
    });
    return updated;
  });
}

export interface MergeConstituentsCommand {
  survivorId: string;
  duplicateId: string;
  reason: string;
}

/** Moves the duplicate's contacts to the survivor, fills the survivor's blanks, and points the duplicate at it. */
export async function mergeConstituents(
  ds: DataSource,
  viewer: Viewer | null,
  input: MergeConstituentsCommand,
): Promise<Constituent> {
  const v = requireRole(viewer, Rules.mergeConstituents);
  const survivorId = uuid("survivorId", input.survivorId);
  const duplicateId = uuid("duplicateId", input.duplicateId);
  const reason = requiredText("reason", input.reason, { max: 500 });
  if (survivorId === duplicateId) throw badInput("duplicateId", "must differ from survivorId");
  return ds.transaction(async (em) => {
    const repo = em.getRepository(Constituent);
    // Lock in id order so that two opposite merges cannot deadlock.
    const locked = await repo
      .createQueryBuilder("c")
      .setLock("pessimistic_write")
      .where("c.id IN (:...ids)", { ids: [survivorId, duplicateId] })
      .orderBy("c.id")
      .getMany();
    const survivor = locked.find((c) => c.id === survivorId);
    const duplicate = locked.find((c) => c.id === duplicateId);
    if (!survivor) throw notFound("Survivor constituent");
    if (!duplicate) throw notFound("Duplicate constituent");
    if (survivor.mergedIntoId) throw conflict("The survivor was itself merged into another record");
    if (duplicate.mergedIntoId) throw conflict("The duplicate was already merged");

    const moved = await updateReturning<{ id: string }>(
      em,
      `UPDATE contact SET constituent_id = $1 WHERE constituent_id = $2 RETURNING id`,
      [survivorId, duplicateId],
    );
    const blanks: ConstituentFields = { ...survivor };
    for (const key of [
      "email",
      "phone",
      "organization",
      "addressLine1",
      "addressLine2",
      "city",
      "state",
      "postalCode",
    ] as const) {
      if (!blanks[key] && duplicate[key]) blanks[key] = duplicate[key];
    }
    const fields = cleanConstituentFields(blanks);
    await repo.update({ id: survivorId }, { ...fields, version: survivor.version + 1 });
    await repo.update({ id: duplicateId }, { mergedIntoId: survivorId, version: duplicate.version + 1 });
    // Records merged into the duplicate earlier now point at the survivor too.
    await em.query(`UPDATE constituent SET merged_into_id = $1 WHERE merged_into_id = $2`, [
      survivorId,
      duplicateId,
    ]);
    await audit(em, v, {
      action: "constituent.merged",
      entityType: "constituent",
      entityId: survivorId,
      before: { survivor: publicFields(survivor), duplicate: publicFields(duplicate) },
      after: { survivorId, duplicateId, movedContactIds: moved.map((m) => m.id) },
      reason,
    });
    return repo.findOneByOrFail({ id: survivorId });
  });
}

function publicFields(c: Constituent): Record<string, unknown> {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    organization: c.organization,
    email: c.email,
    phone: c.phone,
    addressLine1: c.addressLine1,
    addressLine2: c.addressLine2,
    city: c.city,
    state: c.state,
    postalCode: c.postalCode,
    preferredLanguage: c.preferredLanguage,
    preferredChannel: c.preferredChannel,
    version: c.version,
  };
}
