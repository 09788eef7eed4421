import { gql, type TypedDocumentNode } from "@apollo/client";

export interface SavedQueryRow {
  id: string;
  name: string;
  query: string;
  variables: string | null;
  updatedAt: string;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const SAVED_QUERIES: TypedDocumentNode<{ savedQueries: SavedQueryRow[] }, Record<string, never>> = gql`
  query SavedQueries {
    savedQueries {
      id
      name
      query
      variables
      updatedAt
    }
  }
`;

export const SAVE_QUERY: TypedDocumentNode<
  { saveQuery: SavedQueryRow },
  { input: { id?: string | null; name: string; query: string; variables?: string | null } }
> = gql`
  mutation SaveQuery($input: SaveQueryInput!) {
    saveQuery(input: $input) {
      id
      name
      query
      variables
      updatedAt
    }
  }
`;

export const DELETE_SAVED_QUERY: TypedDocumentNode<{ deleteSavedQuery: string }, { id: string }> = gql`
  mutation DeleteSavedQuery($id: ID!) {
    deleteSavedQuery(input: { id: $id })
  }
`;

export const API_TOKENS: TypedDocumentNode<{ apiTokens: ApiTokenRow[] }, Record<string, never>> = gql`
  query ApiTokens {
    apiTokens {
      id
      name
      prefix
      createdAt
      expiresAt
      revokedAt
      lastUsedAt
    }
  }
`;

export const CREATE_API_TOKEN: TypedDocumentNode<
  { createApiToken: { token: string; apiToken: ApiTokenRow } },
  { input: { name: string; expiresInDays: number } }
> = gql`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken {
        id
        name
        prefix
        createdAt
        expiresAt
        revokedAt
        lastUsedAt
      }
    }
  }
`;

export const REVOKE_API_TOKEN: TypedDocumentNode<{ revokeApiToken: ApiTokenRow }, { id: string }> = gql`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(input: { id: $id }) {
      id
      revokedAt
    }
  }
`;
