import { gql, type TypedDocumentNode } from "@apollo/client";

export interface AuditEventFilter {
  actorEmail?: string | null;
  action?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  from?: string | null;
  to?: string | null;
}

export interface AuditEventRow {
  id: string;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  actor: { id: string; name: string; email: string } | null;
}

export interface AuditEventsData {
  auditEvents: {
    edges: { cursor: string; node: AuditEventRow }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export const AUDIT_EVENTS: TypedDocumentNode<
  AuditEventsData,
  { filter?: AuditEventFilter | null; first?: number | null; after?: string | null }
> = gql`
  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          action
          entityType
          entityId
          reason
          actor {
            id
            name
            email
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The kinds of record the audit log speaks of, for the filter. */
export const AUDIT_ENTITY_TYPES = [
  "contact",
  "constituent",
  "assignment",
  "attachment",
  "response",
  "records_request",
  "staff_user",
];
