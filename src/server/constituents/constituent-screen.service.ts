import type { DataSource } from "typeorm";
import type { Constituent, Contact } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { contactFilter } from "../confidentiality/visibility";
import { hydrate } from "../db/hydrate";
import { preparedQuery } from "../db/data-source";
import { notFound } from "../errors/domain-error";
import { isUuid } from "../validation/validate";

const CATEGORY_JSON = `(SELECT row_to_json(g) FROM (
    SELECT cat.id, cat.code, cat.name, cat.name_es AS "nameEs", cat.description,
           cat.description_es AS "descriptionEs", cat.department_id AS "departmentId",
           cat.sla_business_days AS "slaBusinessDays", cat.standard_response AS "standardResponse",
           cat.standard_response_es AS "standardResponseEs", cat.open311_service_code AS "open311ServiceCode",
           cat.keywords, cat.active,
           (SELECT row_to_json(cd) FROM (SELECT d2.id, d2.code, d2.name, d2.email, d2.active
              FROM department d2 WHERE d2.id = cat.department_id) cd) AS department
      FROM category cat WHERE cat.id = ct.category_id) g)`;

const ASSIGNMENTS_JSON = `COALESCE((SELECT json_agg(a ORDER BY a."assignedAt", a.id) FROM (
    SELECT asg.id, asg.contact_id AS "contactId", asg.department_id AS "departmentId", asg.is_lead AS "isLead",
           asg.status, asg.assignee_id AS "assigneeId", asg.assigned_at AS "assignedAt", asg.due_at AS "dueAt",
           asg.completed_at AS "completedAt", asg.version,
           (SELECT row_to_json(d) FROM (SELECT dep.id, dep.code, dep.name, dep.email, dep.active
              FROM department dep WHERE dep.id = asg.department_id) d) AS department,
           COALESCE((SELECT json_agg(r ORDER BY r."createdAt", r.id) FROM (
              SELECT rs.id, rs.assignment_id AS "assignmentId", rs.kind, rs.body, rs.channel, rs.sent_at AS "sentAt",
                     rs.author_id AS "authorId", rs.is_final AS "isFinal", rs.created_at AS "createdAt"
                FROM response rs WHERE rs.assignment_id = asg.id) r), '[]'::json) AS responses
      FROM assignment asg WHERE asg.contact_id = ct.id) a), '[]'::json)`;

const ATTACHMENTS_JSON = `COALESCE((SELECT json_agg(f ORDER BY f."createdAt", f.id) FROM (
    SELECT att.id, att.contact_id AS "contactId", att.response_id AS "responseId", att.file_name AS "fileName",
           att.content_type AS "contentType", att.size_bytes AS "sizeBytes", att.sha256,
           att.uploaded_by_id AS "uploadedById", att.created_at AS "createdAt"
      FROM attachment att WHERE att.contact_id = ct.id) f), '[]'::json)`;

/** Everything about one contact that the screen shows, as JSON, for a contact row aliased `ct`. */
export const CONTACT_TREE_COLUMNS = `
    ct.id, ct.reference_number AS "referenceNumber", ct.channel, ct.received_at AS "receivedAt",
    ct.entered_at AS "enteredAt", ct.entered_by_id AS "enteredById", ct.category_id AS "categoryId",
    ct.description, ct.location_address AS "locationAddress", ct.location_lat AS "locationLat",
    ct.location_long AS "locationLong", ct.constituent_id AS "constituentId", ct.confidential, ct.language,
    ct.duplicate_of_id AS "duplicateOfId", ct.public_record_notice_given AS "publicRecordNoticeGiven",
    ${CATEGORY_JSON} AS category,
    ${ASSIGNMENTS_JSON} AS assignments,
    ${ATTACHMENTS_JSON} AS attachments`;

const statements = new Map<string, string>();

/** The whole screen as one prepared statement per role (the confidentiality filter differs by role). */
function screenStatement(viewer: Viewer): { name: string; text: string; params: unknown[] } {
  const filter = contactFilter(viewer, "ct", 1);
  let text = statements.get(viewer.role);
  if (!text) {
    text = `
      SELECT row_to_json(x) AS tree FROM (
        SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.organization, c.email, c.phone,
               c.address_line1 AS "addressLine1", c.address_line2 AS "addressLine2", c.city, c.state,
               c.postal_code AS "postalCode", c.preferred_language AS "preferredLanguage",
               c.preferred_channel AS "preferredChannel", c.merged_into_id AS "mergedIntoId",
               c.created_by_id AS "createdById", c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.version,
               COALESCE((SELECT json_agg(k ORDER BY k."receivedAt" DESC, k."referenceNumber" DESC) FROM (
                 SELECT ${CONTACT_TREE_COLUMNS}
                   FROM contact ct
                  WHERE ct.constituent_id = c.id AND ${filter.sql}) k), '[]'::json) AS contacts
          FROM constituent c WHERE c.id = $1) x`;
    statements.set(viewer.role, text);
  }
  return { name: `star-constituent-screen-${viewer.role.toLowerCase()}`, text, params: filter.params };
}

/**
 * The constituent screen: the record and its whole history (contacts newest first, their assignments,
 * responses and attachments) in one SQL statement, however long the history.
 */
export async function loadConstituentScreen(
  ds: DataSource,
  viewer: Viewer | null,
  id: string,
): Promise<Constituent | null> {
  const v = requireRole(viewer, Rules.readConstituents);
  if (!isUuid(id)) throw notFound("Constituent");
  const st = screenStatement(v);
  const { rows } = await preparedQuery(ds, { name: st.name, text: st.text, values: [id, ...st.params] });
  if (!rows.length) return null;
  return hydrate<Constituent>(rows[0].tree);
}

/** One contact by reference number, narrowed by the same choke point. */
export async function loadContactByReference(
  ds: DataSource,
  viewer: Viewer | null,
  referenceNumber: string,
): Promise<Contact | null> {
  const v = requireRole(viewer, Rules.readConstituents);
  const ref = (referenceNumber ?? "").trim().toUpperCase();
  if (!ref || ref.length > 30) return null;
  const filter = contactFilter(v, "ct", 1);
  const rows = await ds.query(
    `SELECT row_to_json(k) AS tree FROM (SELECT ${CONTACT_TREE_COLUMNS} FROM contact ct
      WHERE ct.reference_number = $1 AND ${filter.sql}) k`,
    [ref, ...filter.params],
  );
  return rows.length ? hydrate<Contact>(rows[0].tree) : null;
}

/** Contacts of many constituents at once (search results, new records), narrowed by the choke point. */
export async function loadContactsOfConstituents(
  ds: DataSource,
  viewer: Viewer,
  constituentIds: readonly string[],
): Promise<Contact[][]> {
  const filter = contactFilter(viewer, "ct", 1);
  const rows: { tree: Contact }[] = await ds.query(
    `SELECT row_to_json(k) AS tree FROM (SELECT ${CONTACT_TREE_COLUMNS} FROM contact ct
      WHERE ct.constituent_id = ANY($1::uuid[]) AND ${filter.sql}
      ORDER BY ct.received_at DESC, ct.reference_number DESC) k`,
    [constituentIds, ...filter.params],
  );
  const groups = new Map<string, Contact[]>(constituentIds.map((id) => [id, []]));
  for (const { tree } of rows) groups.get(tree.constituentId as string)?.push(hydrate<Contact>(tree));
  return constituentIds.map((id) => groups.get(id) ?? []);
}
