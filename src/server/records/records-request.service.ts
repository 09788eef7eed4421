import type { DataSource, EntityManager } from "typeorm";
import {
  Category,
  Constituent,
  Department,
  RecordsRequest,
  RecordsRequestStatus,
  type RecordsScope,
} from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { badInput, conflict, notFound } from "../errors/domain-error";
import { dueDate, localDate } from "../routing/business-days";
import { cityCalendar } from "../routing/city-calendar";
import {
  isUuid,
  optionalEmail,
  optionalText,
  optionalUuid,
  requiredDate,
  requiredText,
  uuid,
} from "../validation/validate";

export interface RecordsScopeCommand {
  receivedFrom?: string | null;
  receivedTo?: string | null;
  categoryIds?: string[] | null;
  departmentIds?: string[] | null;
  constituentId?: string | null;
  text?: string | null;
  includeAttachmentFiles?: boolean | null;
}

export interface RecordRecordsRequestCommand {
  requesterName: string;
  requesterEmail?: string | null;
  requesterOrganization?: string | null;
  receivedAt?: Date | null;
  description: string;
  scope: RecordsScopeCommand;
}

export interface RecordsRequestVersionCommand {
  id: string;
  version: number;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_IDS = 50;
const MAX_BACKDATE_DAYS = 366;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

function plainDate(field: string, value: string | null | undefined): string | null {
  if (value == null || value.trim() === "") return null;
  const v = value.trim();
  const d = new Date(`${v}T12:00:00Z`);
  if (!PLAIN_DATE.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw badInput(field, "must be a date such as 2026-12-04");
  }
  return v;
}

function idList(field: string, ids: string[] | null | undefined): string[] | null {
  if (!ids?.length) return null;
  if (ids.length > MAX_IDS) throw badInput(field, `at most ${MAX_IDS}`);
  return [...new Set(ids.map((id, i) => uuid(`${field}[${i}]`, id)))].sort();
}

/** Checks a scope's shape, then that what it names exists; returns it in its stored form. */
export async function validateScope(
  db: DataSource | EntityManager,
  input: RecordsScopeCommand | null | undefined,
): Promise<RecordsScope> {
  if (!input) throw badInput("scope", "is required");
  const receivedFrom = plainDate("scope.receivedFrom", input.receivedFrom);
  const receivedTo = plainDate("scope.receivedTo", input.receivedTo);
  if (receivedFrom && receivedTo && receivedFrom > receivedTo) {
    throw badInput("scope.receivedTo", "must not be before the start date");
  }
  const categoryIds = idList("scope.categoryIds", input.categoryIds);
  const departmentIds = idList("scope.departmentIds", input.departmentIds);
  const constituentId = optionalUuid("scope.constituentId", input.constituentId);
  const text = optionalText("scope.text", input.text, { max: 200 });
  if (!receivedFrom && !receivedTo && !categoryIds && !departmentIds && !constituentId && !text) {
    throw badInput("scope", "give at least one of dates, categories, departments, a constituent or words");
  }
  if (categoryIds) {
    const n = await db.getRepository(Category).countBy(categoryIds.map((id) => ({ id })));
    if (n !== categoryIds.length) throw badInput("scope.categoryIds", "names an unknown category");
  }
  if (departmentIds) {
    const n = await db.getRepository(Department).countBy(departmentIds.map((id) => ({ id })));
    if (n !== departmentIds.length) throw badInput("scope.departmentIds", "names an unknown department");
  }
  if (constituentId && !(await db.getRepository(Constituent).existsBy({ id: constituentId }))) {
    throw badInput("scope.constituentId", "no such constituent");
  }
  return {
    receivedFrom,
    receivedTo,
    categoryIds,
    departmentIds,
    constituentId,
    text,
    includeAttachmentFiles: input.includeAttachmentFiles !== false,
  };
}

/** The due date under the city's policy: STAR_RECORDS_DUE_BUSINESS_DAYS business days after receipt. */
export function recordsDueAt(receivedAt: Date): Date {
  return dueDate(receivedAt, config().STAR_RECORDS_DUE_BUSINESS_DAYS, cityCalendar());
}

/** Records a request as received: its reference number, due date and scope, with its audit event. */
export async function recordRecordsRequest(
  ds: DataSource,
  viewer: Viewer | null,
  input: RecordRecordsRequestCommand,
): Promise<RecordsRequest> {
  const v = requireRole(viewer, Rules.handleRecordsRequests);
  const now = new Date();
  const requesterName = requiredText("requesterName", input.requesterName, { max: 200 });
  const requesterEmail = optionalEmail("requesterEmail", input.requesterEmail);
  const requesterOrganization = optionalText("requesterOrganization", input.requesterOrganization, {
    max: 200,
  });
  const receivedAt = input.receivedAt == null ? now : requiredDate("receivedAt", input.receivedAt);
  if (receivedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw badInput("receivedAt", "cannot be in the future");
  }
  if (now.getTime() - receivedAt.getTime() > MAX_BACKDATE_DAYS * 86_400_000) {
    throw badInput("receivedAt", `cannot be more than ${MAX_BACKDATE_DAYS} days ago`);
  }
  const description = requiredText("description", input.description, { max: 4000 });

  return ds.transaction(async (em) => {
    const scope = await validateScope(em, input.scope);
    const [{ n }] = await em.query(`SELECT nextval('records_request_reference_seq') AS n`);
    const year = localDate(now, config().STAR_TIME_ZONE).slice(2, 4);
    const referenceNumber = `PRR-${year}-${String(n).padStart(6, "0")}`;
    const dueAt = recordsDueAt(receivedAt);
    const saved = await em.getRepository(RecordsRequest).save(
      em.create(RecordsRequest, {
        referenceNumber,
        requesterName,
        requesterEmail,
        requesterOrganization,
        receivedAt,
        description,
        scope,
        dueAt,
        status: RecordsRequestStatus.RECEIVED,
        recordedById: v.id,
      }),
    );
    await audit(em, v, {
      action: "records_request.recorded",
      entityType: "records_request",
      entityId: saved.id,
      // The requester's name and email stay out of the append-only log.
      after: { referenceNumber, receivedAt: receivedAt.toISOString(), dueAt: dueAt.toISOString(), scope },
    });
    return saved;
  });
}

export async function listRecordsRequests(
  ds: DataSource,
  viewer: Viewer | null,
  args: { status?: RecordsRequestStatus | null },
): Promise<RecordsRequest[]> {
  requireRole(viewer, Rules.handleRecordsRequests);
  if (args.status != null && !Object.values(RecordsRequestStatus).includes(args.status)) {
    throw badInput("status", "unknown status");
  }
  return ds.getRepository(RecordsRequest).find({
    where: args.status ? { status: args.status } : {},
    order: { dueAt: "ASC", id: "ASC" },
    take: 500,
  });
}

export async function loadRecordsRequest(
  ds: DataSource | EntityManager,
  viewer: Viewer | null,
  id: string,
): Promise<RecordsRequest> {
  requireRole(viewer, Rules.handleRecordsRequests);
  const found = isUuid(id)
    ? await ds.getRepository(RecordsRequest).findOneBy({ id: id.toLowerCase() })
    : null;
  if (!found) throw notFound("Records request");
  return found;
}

export function checkVersion(input: RecordsRequestVersionCommand): { id: string; version: number } {
  const id = uuid("id", input.id);
  if (!Number.isInteger(input.version) || input.version < 1) throw badInput("version", "must be a version");
  return { id, version: input.version };
}

export function staleOrState(found: RecordsRequest, version: number, what: string): never {
  const state = { status: found.status, version: found.version };
  if (found.version !== version) {
    throw conflict("The records request changed since you read it; reload and try again", state);
  }
  throw conflict(`A ${found.status} records request cannot be ${what}`, state);
}

/** Fulfilled: the package was handed over. Only a produced request closes. */
export async function closeRecordsRequest(
  ds: DataSource,
  viewer: Viewer | null,
  input: RecordsRequestVersionCommand,
): Promise<RecordsRequest> {
  const v = requireRole(viewer, Rules.handleRecordsRequests);
  const { id, version } = checkVersion(input);
  return ds.transaction(async (em) => {
    const found = await loadRecordsRequest(em, v, id);
    const [, changed] = (await em.query(
      `UPDATE records_request SET status = 'CLOSED', closed_at = now(), version = version + 1
        WHERE id = $1 AND version = $2 AND status = 'PRODUCED'`,
      [id, version],
    )) as [unknown, number];
    if (!changed) staleOrState(found, version, "closed");
    await audit(em, v, {
      action: "records_request.closed",
      entityType: "records_request",
      entityId: id,
      before: { status: found.status, version: found.version },
      after: { status: RecordsRequestStatus.CLOSED, version: found.version + 1 },
    });
    return em.getRepository(RecordsRequest).findOneByOrFail({ id });
  });
}
