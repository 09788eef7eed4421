import { AssignmentStatus, Channel } from "../../../entities/enums";
import type { Viewer } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";
import { badInput } from "../errors/domain-error";
import { optionalText, optionalUuid } from "../validation/validate";

/** What analysts may narrow contacts by; every list is "any of". */
export interface ContactFilterCommand {
  referenceNumber?: string | null;
  channel?: Channel[] | null;
  categoryId?: string[] | null;
  departmentId?: string[] | null;
  status?: AssignmentStatus[] | null;
  receivedFrom?: Date | null;
  receivedTo?: Date | null;
  overdue?: boolean | null;
  confidential?: boolean | null;
  text?: string | null;
}

export const MAX_FILTER_VALUES = 100;

function ids(field: string, values: string[] | null | undefined): string[] | null {
  if (!values?.length) return null;
  if (values.length > MAX_FILTER_VALUES) throw badInput(field, `at most ${MAX_FILTER_VALUES} values`);
  return [...new Set(values.map((v) => optionalUuid(field, v)!))];
}

function members<T extends string>(field: string, values: T[] | null | undefined, all: object): T[] | null {
  if (!values?.length) return null;
  const allowed = Object.values(all) as string[];
  for (const v of values) if (!allowed.includes(v)) throw badInput(field, `unknown value ${String(v)}`);
  return [...new Set(values)];
}

function date(field: string, value: Date | null | undefined): Date | null {
  if (value == null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, "must be a date");
  return value;
}

/** Pushes values and hands back their `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Where each filtered column lives: the contact rows, or the contact's fact row `f` (contact_fact). */
export interface FilterColumns {
  channel: string;
  category: string;
  received: string;
  confidential: string;
  department: string;
  status: string;
  due: string;
}

export const ROW_COLUMNS: FilterColumns = {
  channel: "ct.channel",
  category: "ct.category_id",
  received: "ct.received_at",
  confidential: "ct.confidential",
  department: "la.department_id",
  status: "la.status",
  due: "la.due_at",
};

export const FACT_COLUMNS: FilterColumns = {
  channel: "f.channel",
  category: "f.category_id",
  received: "f.received_at",
  confidential: "f.confidential",
  department: "f.department_id",
  status: "f.status",
  due: "f.due_at",
};

/** The filter's channels, categories and departments, checked, when it narrows by nothing else. */
export function dimensionsOnly(
  filter: ContactFilterCommand | null | undefined,
): { channels: string[] | null; categories: string[] | null; departments: string[] | null } | null {
  const f = filter ?? {};
  const other =
    !!f.referenceNumber?.trim() ||
    !!f.text?.trim() ||
    !!f.status?.length ||
    f.receivedFrom != null ||
    f.receivedTo != null ||
    f.overdue != null ||
    f.confidential != null;
  if (other) return null;
  return {
    channels: members("filter.channel", f.channel, Channel),
    categories: ids("filter.categoryId", f.categoryId),
    departments: ids("filter.departmentId", f.departmentId),
  };
}

/** Filters that read the contact itself (its reference number or words), not only its fact row. */
export const needsContactRow = (filter: ContactFilterCommand | null | undefined) =>
  !!filter?.referenceNumber?.trim() || !!filter?.text?.trim();

/**
 * The WHERE conditions over a contact `ct` and its lead assignment in force `la` (LEFT JOINed), or over
 * its fact row `f` with `FACT_COLUMNS` (then `ct` is needed only when `needsContactRow`), the
 * confidentiality choke point first. Every analyst read of contacts is narrowed by this.
 */
export function contactConditions(
  viewer: Viewer,
  filter: ContactFilterCommand | null | undefined,
  p: Params,
  c: FilterColumns = ROW_COLUMNS,
): string[] {
  const f = filter ?? {};
  const scope = contactFilter(viewer, "ct", p.values.length);
  p.values.push(...scope.params);
  const where = [scope.sql];
  const ref = optionalText("filter.referenceNumber", f.referenceNumber, { max: 30 });
  if (ref) where.push(`ct.reference_number = ${p.add(ref.toUpperCase())}`);
  const channels = members("filter.channel", f.channel, Channel);
  if (channels) where.push(`${c.channel} = ANY(${p.add(channels)}::varchar[])`);
  const categories = ids("filter.categoryId", f.categoryId);
  if (categories) where.push(`${c.category} = ANY(${p.add(categories)}::uuid[])`);
  const departments = ids("filter.departmentId", f.departmentId);
  if (departments) where.push(`${c.department} = ANY(${p.add(departments)}::uuid[])`);
  const statuses = members("filter.status", f.status, AssignmentStatus);
  if (statuses) where.push(`${c.status} = ANY(${p.add(statuses)}::varchar[])`);
  const from = date("filter.receivedFrom", f.receivedFrom);
  const to = date("filter.receivedTo", f.receivedTo);
  if (from && to && from > to) throw badInput("filter.receivedTo", "must not be before receivedFrom");
  if (from) where.push(`${c.received} >= ${p.add(from)}`);
  if (to) where.push(`${c.received} < ${p.add(to)}`);
  const overdue = `(${c.status} IN ('OPEN','IN_PROGRESS') AND ${c.due} < now())`;
  if (f.overdue != null) where.push(f.overdue ? overdue : `NOT COALESCE(${overdue}, false)`);
  if (f.confidential != null) where.push(f.confidential ? c.confidential : `NOT ${c.confidential}`);
  const text = optionalText("filter.text", f.text, { max: 200 });
  if (text) where.push(`ct.description_tsv @@ websearch_to_tsquery('simple', ${p.add(text)})`);
  return where;
}

/** The lead assignment in force: at most one per contact (a unique partial index says so). */
export const LEAD_JOIN = `LEFT JOIN assignment la ON la.contact_id = ct.id AND la.is_lead
  AND la.status NOT IN ('TRANSFERRED','CANCELLED')`;
