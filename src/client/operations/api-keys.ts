import { gql, type TypedDocumentNode } from "@apollo/client";

export interface ApiKeyRow {
  id: string;
  name: string;
  keyPrefix: string;
  active: boolean;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: { id: string; name: string } | null;
  revokedBy: { id: string; name: string } | null;
}

const API_KEY_FIELDS = gql`
  fragment ApiKeyFields on ApiKey {
    id
    name
    keyPrefix
    active
    createdAt
    revokedAt
    lastUsedAt
    createdBy {
      id
      name
    }
    revokedBy {
      id
      name
    }
  }
`;

export const API_KEYS: TypedDocumentNode<{ apiKeys: ApiKeyRow[] }, Record<string, never>> = gql`
  query ApiKeys {
    apiKeys {
      ...ApiKeyFields
    }
  }
  ${API_KEY_FIELDS}
`;

export const ISSUE_API_KEY: TypedDocumentNode<
  { issueApiKey: { key: string; apiKey: ApiKeyRow } },
  { input: { name: string } }
> = gql`
  mutation IssueApiKey($input: IssueApiKeyInput!) {
    issueApiKey(input: $input) {
      key
      apiKey {
        ...ApiKeyFields
      }
    }
  }
  ${API_KEY_FIELDS}
`;

export const REVOKE_API_KEY: TypedDocumentNode<{ revokeApiKey: ApiKeyRow }, { input: { id: string } }> = gql`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      ...ApiKeyFields
    }
  }
  ${API_KEY_FIELDS}
`;
