import { gql, type TypedDocumentNode } from "@apollo/client";

export interface PublicCategoryData {
  id: string;
  code: string;
  name: string;
  nameEs: string;
  description: string;
  descriptionEs: string;
  departmentName: string;
  departmentNameEs: string;
  standardResponse: string;
  standardResponseEs: string;
  keywords: string[];
}

export const PUBLIC_CATEGORIES: TypedDocumentNode<
  { publicCategories: PublicCategoryData[] },
  { query?: string | null; language?: "EN" | "ES" | null }
> = gql`
  query PublicCategories($query: String, $language: Language) {
    publicCategories(query: $query, language: $language) {
      id
      code
      name
      nameEs
      description
      descriptionEs
      departmentName
      departmentNameEs
      standardResponse
      standardResponseEs
      keywords
    }
  }
`;

export interface PublicOpenReportData {
  referenceNumber: string;
  receivedAt: string;
  status: "OPEN" | "IN_PROGRESS" | "CLOSED";
  locationAddress: string | null;
}

export const PUBLIC_OPEN_REPORTS: TypedDocumentNode<
  { publicOpenReports: PublicOpenReportData[] },
  {
    categoryId: string;
    locationAddress?: string | null;
    locationLat?: number | null;
    locationLong?: number | null;
  }
> = gql`
  query PublicOpenReports(
    $categoryId: ID!
    $locationAddress: String
    $locationLat: Float
    $locationLong: Float
  ) {
    publicOpenReports(
      categoryId: $categoryId
      locationAddress: $locationAddress
      locationLat: $locationLat
      locationLong: $locationLong
    ) {
      referenceNumber
      receivedAt
      status
      locationAddress
    }
  }
`;

export interface PublicReceiptData {
  referenceNumber: string;
  trackingCode: string;
  trackingPath: string;
  status: string;
  departmentName: string;
  departmentNameEs: string;
  dueAt: string | null;
  language: "EN" | "ES";
}

export interface SubmitServiceRequestVariables {
  input: {
    categoryId: string;
    description: string;
    locationAddress?: string | null;
    locationLat?: number | null;
    locationLong?: number | null;
    language: "EN" | "ES";
    firstName?: string | null;
    lastName?: string | null;
    email?: string | null;
    phone?: string | null;
    confidential: boolean;
    publicRecordNoticeAcknowledged: boolean;
    attachmentIds: string[];
    duplicateOfReference?: string | null;
    website?: string | null;
  };
}

export const SUBMIT_SERVICE_REQUEST: TypedDocumentNode<
  { submitServiceRequest: PublicReceiptData },
  SubmitServiceRequestVariables
> = gql`
  mutation SubmitServiceRequest($input: SubmitServiceRequestInput!) {
    submitServiceRequest(input: $input) {
      referenceNumber
      trackingCode
      trackingPath
      status
      departmentName
      departmentNameEs
      dueAt
      language
    }
  }
`;

export interface PublicRequestStatusData {
  referenceNumber: string;
  status: "OPEN" | "IN_PROGRESS" | "CLOSED";
  categoryName: string;
  categoryNameEs: string;
  departmentName: string;
  departmentNameEs: string;
  receivedAt: string;
  dueAt: string | null;
  completedAt: string | null;
  answers: { body: string; sentAt: string; isFinal: boolean }[];
}

export const REQUEST_STATUS: TypedDocumentNode<
  { requestStatus: PublicRequestStatusData | null },
  { referenceNumber: string; trackingCode: string }
> = gql`
  query RequestStatus($referenceNumber: String!, $trackingCode: String!) {
    requestStatus(referenceNumber: $referenceNumber, trackingCode: $trackingCode) {
      referenceNumber
      status
      categoryName
      categoryNameEs
      departmentName
      departmentNameEs
      receivedAt
      dueAt
      completedAt
      answers {
        body
        sentAt
        isFinal
      }
    }
  }
`;
