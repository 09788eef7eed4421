import { gql, type TypedDocumentNode } from "@apollo/client";

export interface CategoryOption {
  id: string;
  code: string;
  name: string;
  slaBusinessDays: number;
  department: { id: string; name: string };
}

export const CATEGORIES: TypedDocumentNode<{ categories: CategoryOption[] }, Record<string, never>> = gql`
  query Categories {
    categories {
      id
      code
      name
      slaBusinessDays
      department {
        id
        name
      }
    }
  }
`;

export interface RoutingPreviewData {
  routingPreview: { dueAt: string; department: { id: string; name: string } };
}

export const ROUTING_PREVIEW: TypedDocumentNode<
  RoutingPreviewData,
  { categoryId: string; receivedAt: string | null }
> = gql`
  query RoutingPreview($categoryId: ID!, $receivedAt: DateTimeISO) {
    routingPreview(categoryId: $categoryId, receivedAt: $receivedAt) {
      dueAt
      department {
        id
        name
      }
    }
  }
`;
