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
      }
    }
  `;
