import { gql, type TypedDocumentNode } from "@apollo/client";

export type AssignmentStatus = "OPEN" | "IN_PROGRESS" | "COMPLETED" | "TRANSFERRED" | "CANCELLED";
export type AssignmentOrder =
  "DUE_AT_ASC" | "DUE_AT_DESC" | "ASSIGNED_AT_ASC" | "ASSIGNED_AT_DESC" | "STATUS" | "CATEGORY" | "ASSIGNEE";

export interface AssignmentFilter {
  departmentId?: string | null;
  status?: AssignmentStatus[] | null;
  categoryId?: string | null;
  assigneeId?: string | null;
  overdue?: boolean | null;
  unassigned?: boolean | null;
  reviewFlagged?: boolean | null;
}

export interface AssignmentCounts {
  open: number;
  inProgress: number;
  overdue: number;
  unassigned: number;
  dueToday: number;
}

export interface QueueRow {
  id: string;
  status: AssignmentStatus;
  isLead: boolean;
  assignedAt: string;
  dueAt: string;
  version: number;
  overdue: boolean;
  reporterCount: number;
  /** Has a review concern from the City Manager's Office not yet resolved. */
  reviewFlagged: boolean;
  department: { id: string; code: string; name: string };
  assignee: { id: string; name: string } | null;
  contact: {
    id: string;
    referenceNumber: string;
    receivedAt: string;
    category: { id: string; name: string };
  };
}

export interface QueueData {
  assignments: {
    totalCount: number;
    counts: AssignmentCounts;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: QueueRow }[];
  };
}

export interface QueueVariables {
  filter?: AssignmentFilter | null;
  orderBy?: AssignmentOrder | null;
  first?: number | null;
  after?: string | null;
}

const QUEUE_ROW = gql`
  fragment QueueRow on Assignment {
    id
    status
    isLead
    assignedAt
    dueAt
    version
    overdue
    reporterCount
    reviewFlagged
    department {
      id
      code
      name
    }
    assignee {
      id
      name
    }
    contact {
      id
      referenceNumber
      receivedAt
      category {
        id
        name
      }
    }
  }
`;

export const QUEUE: TypedDocumentNode<QueueData, QueueVariables> = gql`
  query Queue($filter: AssignmentFilter, $orderBy: AssignmentOrder, $first: Int, $after: String) {
    assignments(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      counts {
        open
        inProgress
        overdue
        unassigned
        dueToday
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...QueueRow
        }
      }
    }
  }
  ${QUEUE_ROW}
`;

/** A response letter, generated or uploaded. */
export interface ResponseAttachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  downloadUrl: string;
}

/** How an emailed response is getting to the constituent. */
export interface ResponseDelivery {
  id: string;
  status: "PENDING" | "SENT" | "FAILED";
  attempts: number;
  sentAt: string | null;
}

export interface AssignmentResponse {
  id: string;
  kind: "RESPONSE" | "NOTE";
  body: string;
  channel: string | null;
  sentAt: string | null;
  isFinal: boolean;
  createdAt: string;
  attachments: ResponseAttachment[];
  delivery: ResponseDelivery | null;
}

export interface TimelineEntry {
  at: string;
  action: string;
  summary: string;
  reason: string | null;
  actor: { name: string } | null;
}

export interface AssignmentDetail {
  id: string;
  status: AssignmentStatus;
  isLead: boolean;
  assignedAt: string;
  dueAt: string;
  completedAt: string | null;
  version: number;
  overdue: boolean;
  standardResponse: string;
  reporterCount: number;
  reason: string | null;
  department: { id: string; code: string; name: string };
  assignee: { id: string; name: string } | null;
  transferredFrom: { id: string; department: { id: string; name: string } } | null;
  responses: AssignmentResponse[];
  contact: {
    id: string;
    referenceNumber: string;
    channel: string;
    receivedAt: string;
    description: string;
    locationAddress: string | null;
    confidential: boolean;
    language: string;
    status: string;
    category: { id: string; name: string };
    constituent: { id: string; firstName: string | null; lastName: string | null } | null;
    attachments: {
      id: string;
      fileName: string;
      contentType: string;
      sizeBytes: number;
      downloadUrl: string;
    }[];
    timeline: TimelineEntry[];
  };
}

/** What the pages show of a response: its text, letters and delivery. */
export const RESPONSE_FIELDS = gql`
  fragment ResponseFields on Response {
    id
    kind
    body
    channel
    sentAt
    isFinal
    createdAt
    attachments {
      id
      fileName
      contentType
      sizeBytes
      downloadUrl
    }
    delivery {
      id
      status
      attempts
      sentAt
    }
  }
`;

const ASSIGNMENT_DETAIL = gql`
  fragment AssignmentDetail on Assignment {
    id
    status
    isLead
    assignedAt
    dueAt
    completedAt
    version
    overdue
    standardResponse
    reporterCount
    reason
    department {
      id
      code
      name
    }
    assignee {
      id
      name
    }
    transferredFrom {
      id
      department {
        id
        name
      }
    }
    responses {
      ...ResponseFields
    }
    contact {
      id
      referenceNumber
      channel
      receivedAt
      description
      locationAddress
      confidential
      language
      status
      category {
        id
        name
      }
      constituent {
        id
        firstName
        lastName
      }
      attachments {
        id
        fileName
        contentType
        sizeBytes
        downloadUrl
      }
      timeline {
        at
        action
        summary
        reason
        actor {
          name
        }
      }
    }
  }
  ${RESPONSE_FIELDS}
`;

export const ASSIGNMENT_SCREEN: TypedDocumentNode<{ assignment: AssignmentDetail | null }, { id: string }> =
  gql`
    query AssignmentScreen($id: ID!) {
      assignment(id: $id) {
        ...AssignmentDetail
      }
    }
    ${ASSIGNMENT_DETAIL}
  `;

export const DEPARTMENTS: TypedDocumentNode<
  { departments: { id: string; code: string; name: string; active: boolean }[] },
  Record<string, never>
> = gql`
  query Departments {
    departments {
      id
      code
      name
      active
    }
  }
`;

export const CLAIM_ASSIGNMENT: TypedDocumentNode<
  { claimAssignment: AssignmentDetail },
  { input: { id: string; version: number; assigneeId?: string | null } }
> = gql`
  mutation ClaimAssignment($input: ClaimAssignmentInput!) {
    claimAssignment(input: $input) {
      ...AssignmentDetail
    }
  }
  ${ASSIGNMENT_DETAIL}
`;

export interface RespondInput {
  assignmentId: string;
  version: number;
  kind: "RESPONSE" | "NOTE";
  body: string;
  channel?: string | null;
  isFinal?: boolean | null;
  attachmentIds?: string[] | null;
  acknowledgedResponseId?: string | null;
  generateLetter?: boolean | null;
}

export const RESPOND_TO_ASSIGNMENT: TypedDocumentNode<
  { respondToAssignment: AssignmentResponse },
  { input: RespondInput }
> = gql`
  mutation RespondToAssignment($input: RespondToAssignmentInput!) {
    respondToAssignment(input: $input) {
      ...ResponseFields
    }
  }
  ${RESPONSE_FIELDS}
`;

export const COMPLETE_ASSIGNMENT: TypedDocumentNode<
  { completeAssignment: AssignmentDetail },
  { input: { id: string; version: number } }
> = gql`
  mutation CompleteAssignment($input: CompleteAssignmentInput!) {
    completeAssignment(input: $input) {
      ...AssignmentDetail
    }
  }
  ${ASSIGNMENT_DETAIL}
`;

export const REOPEN_CONTACT: TypedDocumentNode<
  { reopenContact: { id: string; status: string } },
  { input: { contactId: string; reason: string } }
> = gql`
  mutation ReopenContact($input: ReopenContactInput!) {
    reopenContact(input: $input) {
      id
      status
    }
  }
`;

export const TRANSFER_ASSIGNMENT: TypedDocumentNode<
  { transferAssignment: { id: string; department: { id: string; name: string } } },
  { input: { id: string; version: number; departmentId: string; reason: string; categoryId?: string | null } }
> = gql`
  mutation TransferAssignment($input: TransferAssignmentInput!) {
    transferAssignment(input: $input) {
      id
      department {
        id
        name
      }
    }
  }
`;

export const ADD_SUPPORTING_ASSIGNMENT: TypedDocumentNode<
  { addSupportingAssignment: { id: string; department: { id: string; name: string } } },
  { input: { contactId: string; departmentId: string; reason: string } }
> = gql`
  mutation AddSupportingAssignment($input: AddSupportingAssignmentInput!) {
    addSupportingAssignment(input: $input) {
      id
      department {
        id
        name
      }
    }
  }
`;
