import { gql, type TypedDocumentNode } from "@apollo/client";
import { RESPONSE_FIELDS, type ResponseAttachment, type ResponseDelivery } from "./assignments";

export interface ConstituentSummary {
  id: string;
  firstName: string | null;
  lastName: string | null;
  organization: string | null;
  email: string | null;
  phone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  preferredLanguage: string;
  preferredChannel: string | null;
  mergedIntoId: string | null;
}

export interface ConstituentMatch {
  score: number;
  reasons: string[];
  constituent: ConstituentSummary;
}

const SUMMARY = gql`
  fragment ConstituentSummary on Constituent {
    id
    firstName
    lastName
    organization
    email
    phone
    addressLine1
    addressLine2
    city
    state
    postalCode
    preferredLanguage
    preferredChannel
    mergedIntoId
  }
`;

export const SEARCH_CONSTITUENTS: TypedDocumentNode<
  { searchConstituents: ConstituentMatch[] },
  { query: string; limit?: number }
> = gql`
  query SearchConstituents($query: String!, $limit: Int) {
    searchConstituents(query: $query, limit: $limit) {
      score
      reasons
      constituent {
        ...ConstituentSummary
      }
    }
  }
  ${SUMMARY}
`;

/** The intake page's header when it starts from a constituent (?constituentId=). */
export const CONSTITUENT_SUMMARY: TypedDocumentNode<
  { constituent: ConstituentSummary | null },
  { id: string }
> = gql`
  query ConstituentSummary($id: ID!) {
    constituent(id: $id) {
      ...ConstituentSummary
    }
  }
  ${SUMMARY}
`;

export interface NewConstituentInput {
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
  preferredLanguage?: string | null;
  preferredChannel?: string | null;
  confirmNotDuplicateReason?: string | null;
}

export const CREATE_CONSTITUENT: TypedDocumentNode<
  {
    createConstituent: {
      created: boolean;
      constituent: ConstituentSummary | null;
      duplicates: ConstituentMatch[];
    };
  },
  { input: NewConstituentInput }
> = gql`
  mutation CreateConstituent($input: CreateConstituentInput!) {
    createConstituent(input: $input) {
      created
      constituent {
        ...ConstituentSummary
      }
      duplicates {
        score
        reasons
        constituent {
          ...ConstituentSummary
        }
      }
    }
  }
  ${SUMMARY}
`;

export interface HistoryResponse {
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

export interface HistoryAssignment {
  id: string;
  isLead: boolean;
  status: string;
  assignedAt: string;
  dueAt: string;
  completedAt: string | null;
  department: { id: string; name: string };
  responses: HistoryResponse[];
}

export interface HistoryAttachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  downloadUrl: string;
}

export interface HistoryContact {
  id: string;
  referenceNumber: string;
  channel: string;
  receivedAt: string;
  description: string;
  locationAddress: string | null;
  language: string;
  status: string;
  category: { id: string; name: string };
  assignments: HistoryAssignment[];
  attachments: HistoryAttachment[];
}

export interface ConstituentScreen extends ConstituentSummary {
  contacts: HistoryContact[];
}

/** The whole constituent screen in one request (the server answers it with one SQL statement). */
export const CONSTITUENT_SCREEN: TypedDocumentNode<
  { constituent: ConstituentScreen | null },
  { id: string }
> = gql`
  query ConstituentScreen($id: ID!) {
    constituent(id: $id) {
      ...ConstituentSummary
      contacts {
        id
        referenceNumber
        channel
        receivedAt
        description
        locationAddress
        language
        status
        category {
          id
          name
        }
        assignments {
          id
          isLead
          status
          assignedAt
          dueAt
          completedAt
          department {
            id
            name
          }
          responses {
            ...ResponseFields
          }
        }
        attachments {
          id
          fileName
          contentType
          sizeBytes
          downloadUrl
        }
      }
    }
  }
  ${SUMMARY}
  ${RESPONSE_FIELDS}
`;
