import { seededRandom } from "../server/db/seed/random";
import { dashboardBody, type DashboardItem } from "./report-bench";
import { publicSubmitBody, type PublicSubmitItem } from "./public-bench";

export type HttpScenario =
  "screen" | "search" | "recordContact" | "queue" | "respond" | "dashboard" | "publicSubmit";

export const SCREEN_QUERY = `query Screen($id: ID!) {
  constituent(id: $id) {
    id firstName lastName email phone
    contacts {
      id referenceNumber channel receivedAt status
      category { name }
      assignments {
        id status assignedAt dueAt completedAt
        department { code name }
        responses { id body channel sentAt }
      }
    }
  }
}`;

export const SEARCH_QUERY = `query Search($q: String!) {
  searchConstituents(query: $q, limit: 10) { score reasons constituent { id firstName lastName } }
}`;

export const RECORD_CONTACT_MUTATION = `mutation Record($input: RecordContactInput!) {
  recordContact(input: $input) {
    id referenceNumber status
    assignments { id isLead status dueAt department { code } }
  }
}`;

export const QUEUE_QUERY = `query Queue($filter: AssignmentFilter, $orderBy: AssignmentOrder, $first: Int, $after: String) {
  assignments(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges {
      cursor
      node { id status dueAt contact { referenceNumber category { name } } assignee { name } }
    }
    pageInfo { hasNextPage endCursor }
    totalCount
    counts { open inProgress overdue unassigned dueToday }
  }
}`;

export const RESPOND_MUTATION = `mutation Respond($input: RespondToAssignmentInput!) {
  respondToAssignment(input: $input) { id kind isFinal channel }
}`;

export interface RecordContactItem {
  constituentId: string;
  categoryId: string;
  channel: string;
}

export interface QueueFilter {
  status?: string[];
  categoryId?: string;
  assigneeId?: string;
  overdue?: boolean;
  unassigned?: boolean;
}

/** One queue page to ask for: a first page, or a later one from a cursor an earlier page returned. */
export interface QueueItem {
  orderBy: string;
  filter: QueueFilter;
  after: string | null;
}

/** An assignment to post a note on, with the version the load generator last saw. */
export interface RespondItem {
  assignmentId: string;
  version: number;
}

export type PoolItem =
  string | RecordContactItem | QueueItem | RespondItem | DashboardItem | PublicSubmitItem;

export const QUEUE_PAGE = 50;
export const NOTE_BODY = "Benchmark: crew scheduled; the site was checked again.";

const DESCRIPTIONS = [
  "Benchmark: the streetlight in front of the house has been out for a week.",
  "Benchmark: a large pothole in the eastbound lane near the corner.",
  "Benchmark: the trash container was not picked up on the scheduled day.",
];

/** The GraphQL request body for one request of a scenario, from a random item of its pool. */
export function requestBody(scenario: HttpScenario, item: PoolItem, n: number): string {
  switch (scenario) {
    case "screen":
      return JSON.stringify({ query: SCREEN_QUERY, variables: { id: item } });
    case "search":
      return JSON.stringify({ query: SEARCH_QUERY, variables: { q: item } });
    case "recordContact": {
      const r = item as RecordContactItem;
      return JSON.stringify({
        query: RECORD_CONTACT_MUTATION,
        variables: {
          input: {
            constituentId: r.constituentId,
            categoryId: r.categoryId,
            channel: r.channel,
            description: DESCRIPTIONS[n % DESCRIPTIONS.length],
          },
        },
      });
    }
    case "queue": {
      const q = item as QueueItem;
      return JSON.stringify({
        query: QUEUE_QUERY,
        variables: { filter: q.filter, orderBy: q.orderBy, first: QUEUE_PAGE, after: q.after },
      });
    }
    case "dashboard":
      return dashboardBody(item as DashboardItem);
    case "publicSubmit":
      return publicSubmitBody(item as PublicSubmitItem, n);
    case "respond": {
      const r = item as RespondItem;
      return JSON.stringify({
        query: RESPOND_MUTATION,
        variables: {
          // Half internal notes, half answers to the constituent by phone (not final, so the work stays open).
          input: {
            assignmentId: r.assignmentId,
            version: r.version,
            ...(n % 2 ? { kind: "RESPONSE", channel: "PHONE", isFinal: false } : { kind: "NOTE" }),
            body: `${NOTE_BODY} #${n}`,
          },
        },
      });
    }
  }
}

const stripAccents = (s: string) => s.normalize("NFD").replace(/\p{M}+/gu, "");

/**
 * What a clerk might type for a name heard over the phone: two letters swapped, a letter dropped, or the
 * accents left out (always a real change of the name on file).
 */
export function misspell(first: string, last: string, rnd: ReturnType<typeof seededRandom>): string {
  const accented = stripAccents(`${first} ${last}`) !== `${first} ${last}`;
  const kind = accented && rnd.chance(0.34) ? "accents" : rnd.chance(0.5) ? "swap" : "drop";
  if (kind === "accents") return stripAccents(`${first} ${last}`);
  // Change the longer name, away from its first letter (as people rarely mishear that one).
  const useLast = last.length >= first.length;
  const word = useLast ? last : first;
  if (word.length < 4) return `${first} ${last}`.toLowerCase();
  const i = 1 + Math.floor(rnd.next() * (word.length - 2));
  const changed =
    kind === "swap" && word[i] !== word[i + 1]
      ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
      : word.slice(0, i) + word.slice(i + 1);
  return useLast ? `${first} ${changed}` : `${changed} ${last}`;
}

/** The floor: the same tree as SCREEN_QUERY asks for, written by hand as one statement. */
export const FLOOR_SQL = `
SELECT json_build_object(
  'id', c.id, 'firstName', c.first_name, 'lastName', c.last_name, 'email', c.email, 'phone', c.phone,
  'contacts', COALESCE((
    SELECT json_agg(json_build_object(
      'id', k.id, 'referenceNumber', k.reference_number, 'channel', k.channel, 'receivedAt', k.received_at,
      'status', (SELECT CASE
          WHEN count(*) FILTER (WHERE s.status NOT IN ('TRANSFERRED', 'CANCELLED')) > 0
           AND bool_and(s.status = 'COMPLETED') FILTER (WHERE s.status NOT IN ('TRANSFERRED', 'CANCELLED'))
            THEN 'CLOSED'
          WHEN bool_or(s.status IN ('IN_PROGRESS', 'COMPLETED')) THEN 'IN_PROGRESS'
          ELSE 'OPEN' END
        FROM assignment s WHERE s.contact_id = k.id),
      'category', json_build_object('name', cat.name),
      'assignments', COALESCE((
        SELECT json_agg(json_build_object(
          'id', a.id, 'status', a.status, 'assignedAt', a.assigned_at, 'dueAt', a.due_at,
          'completedAt', a.completed_at, 'department', json_build_object('code', d.code, 'name', d.name),
          'responses', COALESCE((
            SELECT json_agg(json_build_object('id', r.id, 'body', r.body, 'channel', r.channel, 'sentAt', r.sent_at)
                            ORDER BY r.created_at, r.id)
              FROM response r WHERE r.assignment_id = a.id), '[]'::json)
        ) ORDER BY a.assigned_at, a.id)
          FROM assignment a JOIN department d ON d.id = a.department_id WHERE a.contact_id = k.id), '[]'::json)
    ) ORDER BY k.received_at DESC, k.reference_number DESC)
      FROM contact k JOIN category cat ON cat.id = k.category_id WHERE k.constituent_id = c.id), '[]'::json)
) AS tree
FROM constituent c WHERE c.id = $1`;

const DATE_KEYS = new Set(["receivedAt", "assignedAt", "dueAt", "completedAt", "sentAt"]);

/** A tree with its keys sorted and its timestamps as ISO strings, so that two sources can be compared. */
export function canonical(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, unknown>)[k], k);
    return out;
  }
  if (DATE_KEYS.has(key) && typeof value === "string") return new Date(value).toISOString();
  return value;
}

export interface TreeShape {
  contacts: number;
  assignments: number;
  responses: number;
}

export function treeShape(tree: { contacts: { assignments: { responses: unknown[] }[] }[] }): TreeShape {
  const assignments = tree.contacts.flatMap((c) => c.assignments);
  return {
    contacts: tree.contacts.length,
    assignments: assignments.length,
    responses: assignments.reduce((n, a) => n + a.responses.length, 0),
  };
}
