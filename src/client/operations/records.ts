import { gql, type TypedDocumentNode } from "@apollo/client";

export type RecordsRequestStatus = "RECEIVED" | "PRODUCED" | "CLOSED";

export interface RecordsScope {
  receivedFrom: string | null;
  receivedTo: string | null;
  categoryIds: string[];
  departmentIds: string[];
  constituentId: string | null;
  text: string | null;
  includeAttachmentFiles: boolean;
}

export interface RecordsCounts {
  contacts: number;
  assignments: number;
  responses: number;
  attachments: number;
  attachmentFiles: number;
  redactions: number;
}

export interface RecordsRequestRow {
  id: string;
  referenceNumber: string;
  requesterName: string;
  requesterOrganization: string | null;
  receivedAt: string;
  dueAt: string;
  status: RecordsRequestStatus;
  version: number;
}

export interface RecordsRequestDetail extends RecordsRequestRow {
  requesterEmail: string | null;
  description: string;
  scope: RecordsScope;
  producedAt: string | null;
  closedAt: string | null;
  packageSha256: string | null;
  packageSizeBytes: number | null;
  packageUrl: string | null;
  counts: RecordsCounts | null;
}

export interface RecordsPreview extends RecordsCounts {
  redactionsByRule: { rule: string; count: number }[];
}

export interface RecordsScopeInput {
  receivedFrom?: string | null;
  receivedTo?: string | null;
  categoryIds?: string[] | null;
  departmentIds?: string[] | null;
  constituentId?: string | null;
  text?: string | null;
  includeAttachmentFiles?: boolean | null;
}

export interface RecordRecordsRequestInput {
  requesterName: string;
  requesterEmail?: string | null;
  requesterOrganization?: string | null;
  receivedAt?: string | null;
  description: string;
  scope: RecordsScopeInput;
}

const ROW = gql`
  fragment RecordsRequestRow on RecordsRequest {
    id
    referenceNumber
    requesterName
    requesterOrganization
    receivedAt
    dueAt
    status
    version
  }
`;

const DETAIL = gql`
  fragment RecordsRequestDetail on RecordsRequest {
    ...RecordsRequestRow
    requesterEmail
    description
    producedAt
    closedAt
    packageSha256
    packageSizeBytes
    packageUrl
    scope {
      receivedFrom
      receivedTo
      categoryIds
      departmentIds
      constituentId
      text
      includeAttachmentFiles
    }
    counts {
      contacts
      assignments
      responses
      attachments
      attachmentFiles
      redactions
    }
  }
  ${ROW}
`;

export const RECORDS_REQUESTS: TypedDocumentNode<
  { recordsRequests: RecordsRequestRow[] },
  { status?: RecordsRequestStatus | null }
> = gql`
  query RecordsRequests($status: RecordsRequestStatus) {
    recordsRequests(status: $status) {
      ...RecordsRequestRow
    }
  }
  ${ROW}
`;

export const RECORDS_REQUEST: TypedDocumentNode<
  { recordsRequest: RecordsRequestDetail | null },
  { id: string }
> = gql`
  query RecordsRequest($id: ID!) {
    recordsRequest(id: $id) {
      ...RecordsRequestDetail
    }
  }
  ${DETAIL}
`;

export const PREVIEW_RECORDS_PACKAGE: TypedDocumentNode<
  { previewRecordsPackage: RecordsPreview },
  { id: string }
> = gql`
  query PreviewRecordsPackage($id: ID!) {
    previewRecordsPackage(id: $id) {
      contacts
      assignments
      responses
      attachments
      attachmentFiles
      redactions
      redactionsByRule {
        rule
        count
      }
    }
  }
`;

export const RECORD_RECORDS_REQUEST: TypedDocumentNode<
  { recordRecordsRequest: RecordsRequestDetail },
  { input: RecordRecordsRequestInput }
> = gql`
  mutation RecordRecordsRequest($input: RecordRecordsRequestInput!) {
    recordRecordsRequest(input: $input) {
      ...RecordsRequestDetail
    }
  }
  ${DETAIL}
`;

export const PRODUCE_RECORDS_PACKAGE: TypedDocumentNode<
  { produceRecordsPackage: RecordsRequestDetail },
  { input: { id: string; version: number } }
> = gql`
  mutation ProduceRecordsPackage($input: RecordsRequestVersionInput!) {
    produceRecordsPackage(input: $input) {
      ...RecordsRequestDetail
    }
  }
  ${DETAIL}
`;

export const CLOSE_RECORDS_REQUEST: TypedDocumentNode<
  { closeRecordsRequest: RecordsRequestDetail },
  { input: { id: string; version: number } }
> = gql`
  mutation CloseRecordsRequest($input: RecordsRequestVersionInput!) {
    closeRecordsRequest(input: $input) {
      ...RecordsRequestDetail
    }
  }
  ${DETAIL}
`;

export const REDACTION_RULE_LABELS: Record<string, string> = {
  CONFIDENTIAL_REQUEST: "Confidential request: no requester details",
  CALLBACK: "Confidential callback withheld",
  MASKED_FIELD: "Masked contact field",
  EMAIL_IN_TEXT: "Email address in text",
  PHONE_IN_TEXT: "Phone number in text",
  CONFIDENTIAL_ATTACHMENT: "Confidential request's document withheld",
};

export const RECORDS_STATUS_LABELS: Record<string, string> = {
  RECEIVED: "Received",
  PRODUCED: "Package produced",
  CLOSED: "Closed",
};

/** Records requests and the audit log: the same rule as the API's (Rules.handleRecordsRequests, readAuditLog). */
export const RECORDS_ROLES: readonly string[] = ["REVIEWER", "ADMIN"];
export const mayHandleRecords = (role: string | undefined) => !!role && RECORDS_ROLES.includes(role);
