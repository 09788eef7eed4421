import type { DataSource } from "typeorm";
import { config } from "../../src/server/config/config";
import { open311Time, type Open311Object } from "../../src/server/open311/open311-format";
import { publicDescription } from "../../src/server/open311/open311-privacy";
import { MAX_REQUESTS, type RequestsQuery } from "../../src/server/open311/open311.service";

/*
 * GET requests as it was answered before the open311_request projection: straight from contacts,
 * assignments and constituents, masked while reading. The projection must answer exactly this.
 */

interface RequestRow {
  reference_number: string;
  confidential: boolean;
  description: string;
  location_address: string | null;
  location_lat: number | null;
  location_long: number | null;
  received_ms: number;
  service_code: string | null;
  service_name: string;
  first_name: string | null;
  last_name: string | null;
  address_line1: string | null;
  root_reference: string | null;
  closed: boolean;
  in_progress: boolean;
  updated_ms: number | null;
  due_ms: number | null;
  agency: string | null;
}

/*
 * A duplicate's own assignment is cancelled when it joins its first report, so its status, agency and
 * expected time are the first report's (as on the staff screens). The submitter's name and home are
 * read only to mask them in the description; they never leave this module.
 */
const LIVE = `a.status NOT IN ('TRANSFERRED','CANCELLED')`;
// Times as epoch milliseconds: a float is parsed far faster than a timestamp, 3,000 times a page.
const MS = (t: string) => `(extract(epoch FROM ${t}) * 1000)::float8`;

// One pass over the (first report's) assignments gives the status, the last change and the live lead.
const REQUEST_SELECT = `
  SELECT c.reference_number, c.confidential, c.description, c.location_address, c.location_lat,
         c.location_long, ${MS("c.received_at")} AS received_ms, cat.open311_service_code AS service_code,
         cat.name AS service_name,
         k.first_name, k.last_name, k.address_line1, root.reference_number AS root_reference,
         st.closed, st.in_progress, ${MS("greatest(c.entered_at, st.updated_at)")} AS updated_ms,
         ${MS("st.due_at")} AS due_ms,
         d.name AS agency
    FROM page
    JOIN contact c ON c.id = page.id
    JOIN category cat ON cat.id = c.category_id
    LEFT JOIN constituent k ON k.id = c.constituent_id AND NOT c.confidential
    LEFT JOIN contact root ON root.id = c.duplicate_of_id
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE ${LIVE}) > 0
               AND coalesce(bool_and(a.status = 'COMPLETED') FILTER (WHERE ${LIVE}), false) AS closed,
             coalesce(bool_or(a.status IN ('IN_PROGRESS','COMPLETED')) FILTER (WHERE ${LIVE}), false)
               AS in_progress,
             greatest(max(a.assigned_at), max(a.completed_at)) AS updated_at,
             (array_agg(a.due_at) FILTER (WHERE a.is_lead AND ${LIVE}))[1] AS due_at,
             (array_agg(a.department_id) FILTER (WHERE a.is_lead AND ${LIVE}))[1] AS lead_department_id
        FROM assignment a WHERE a.contact_id = coalesce(c.duplicate_of_id, c.id)) st
    LEFT JOIN department d ON d.id = st.lead_department_id`;

const ORDER = `ORDER BY c.received_at DESC, c.id DESC`;

// The status filter as the page's own predicate (the same rule as st.closed), so that the page of ids is
// chosen first and the rest is joined to those 1,000 rows only. A correlated aggregate, not EXISTS: the
// planner would hash an EXISTS over every open assignment of the city.
const CLOSED = `coalesce((SELECT count(*) FILTER (WHERE ${LIVE}) > 0
      AND bool_and(a.status = 'COMPLETED') FILTER (WHERE ${LIVE})
    FROM assignment a WHERE a.contact_id = coalesce(c.duplicate_of_id, c.id)), false)`;

function statusNotes(r: RequestRow): string {
  if (r.root_reference) return `Reported earlier as ${r.root_reference}; answered with that request.`;
  if (!r.agency) return r.closed ? "Closed." : "Received.";
  if (r.closed) return `Answered by ${r.agency}.`;
  if (r.in_progress) return `${r.agency} is working on this request.`;
  return `Received and assigned to ${r.agency}.`;
}

function toRequest(r: RequestRow, timeZone: string): Open311Object {
  const shown = !r.confidential;
  return {
    service_request_id: r.reference_number,
    status: r.closed ? "closed" : "open",
    status_notes: statusNotes(r),
    service_name: r.service_name,
    service_code: r.service_code,
    description: shown
      ? publicDescription(
          r.description,
          { firstName: r.first_name, lastName: r.last_name, addressLine1: r.address_line1 },
          r.location_address,
        )
      : null,
    agency_responsible: r.agency,
    service_notice: null,
    requested_datetime: open311Time(r.received_ms, timeZone),
    updated_datetime: open311Time(r.updated_ms ?? r.received_ms, timeZone),
    expected_datetime: open311Time(r.due_ms, timeZone),
    address: shown ? r.location_address : null,
    address_id: null,
    zipcode: null,
    lat: shown ? r.location_lat : null,
    long: shown ? r.location_long : null,
    media_url: null,
  };
}

/** GET requests: newest first, at most 1,000; service_request_id overrides every other filter. */
export async function referenceRequests(ds: DataSource, q: RequestsQuery): Promise<Open311Object[]> {
  const values: unknown[] = [];
  const where: string[] = [];
  if (q.ids) {
    values.push(q.ids);
    where.push(`c.reference_number = ANY($1::varchar[])`);
  } else {
    values.push(q.start, q.end);
    where.push(`c.received_at >= $1`, `c.received_at <= $2`);
    if (q.serviceCodes) {
      values.push(q.serviceCodes);
      where.push(`cat.open311_service_code = ANY($${values.length}::varchar[])`);
    }
    if (q.statuses) {
      where.push(q.statuses[0] === "closed" ? CLOSED : `NOT ${CLOSED}`);
    }
  }
  const rows: RequestRow[] = await ds.query(
    `WITH page AS MATERIALIZED (
        SELECT c.id FROM contact c JOIN category cat ON cat.id = c.category_id
         WHERE ${where.join(" AND ")} ${ORDER} LIMIT ${MAX_REQUESTS})
      ${REQUEST_SELECT} ${ORDER}`,
    values,
  );
  const tz = config().STAR_TIME_ZONE;
  return rows.map((r) => toRequest(r, tz));
}
