import { gql, type TypedDocumentNode } from "@apollo/client";

export interface RecordContactVariables {
  input: {
    constituentId?: string | null;
    confidential?: boolean | null;
    callbackPhone?: string | null;
    callbackEmail?: string | null;
    channel: string;
    receivedAt?: string | null;
    categoryId: string;
    description: string;
    locationAddress?: string | null;
    language?: string | null;
    publicRecordNoticeGiven?: boolean | null;
    attachmentIds?: string[] | null;
    duplicateOfId?: string | null;
  };
}

export interface RecordedContact {
  id: string;
  referenceNumber: string;
  channel: string;
  receivedAt: string;
  confidential: boolean;
  status: string;
  category: { id: string; name: string };
  constituent: {
    id: string;
    firstName: string | null;
    lastName: string | null;
    organization: string | null;
  } | null;
  assignments: { id: string; isLead: boolean; dueAt: string; department: { id: string; name: string } }[];
  attachments: { id: string; fileName: string }[];
  duplicateOf: { id: string; referenceNumber: string; reporterCount: number } | null;
}

export const RECORD_CONTACT: TypedDocumentNode<{ recordContact: RecordedContact }, RecordContactVariables> =
  gql`
    mutation RecordContact($input: RecordContactInput!) {
      recordContact(input: $input) {
        id
        referenceNumber
        channel
        receivedAt
        confidential
        status
        category {
          id
          name
        }
        constituent {
          id
          firstName
          lastName
          organization
        }
        assignments {
          id
          isLead
          dueAt
          department {
            id
            name
          }
        }
        attachments {
          id
          fileName
        }
        duplicateOf {
          id
          referenceNumber
          reporterCount
        }
      }
    }
  `;

export interface PossibleDuplicate {
  id: string;
  referenceNumber: string;
  receivedAt: string;
  description: string;
  locationAddress: string | null;
  status: string;
}

export const POSSIBLE_DUPLICATES: TypedDocumentNode<
  { possibleDuplicateContacts: PossibleDuplicate[] },
  { categoryId: string; locationAddress: string | null }
> = gql`
  query PossibleDuplicateContacts($categoryId: ID!, $locationAddress: String) {
    possibleDuplicateContacts(categoryId: $categoryId, locationAddress: $locationAddress) {
      id
      referenceNumber
      receivedAt
      description
      locationAddress
      status
    }
  }
`;
