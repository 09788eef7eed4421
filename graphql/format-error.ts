import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { DomainError, ErrorCode } from "../src/server/errors/domain-error";
import { logger } from "../src/server/logging/logger";

// Errors that graphql-js and Apollo raise about the request itself are safe to show as they are.
const REQUEST_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

/** The one place where domain error codes become GraphQL errors; anything unexpected is logged and masked. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: original.code,
        ...(original.field ? { field: original.field } : {}),
        ...(original.details ?? {}),
      },
    };
  }
  if (original instanceof ArgumentValidationError) {
    return {
      message: formatted.message,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  if (isStatementTimeout(original)) {
    // Only analysts' connections carry a statement timeout: a runaway query is theirs to narrow.
    return {
      message: "The query ran longer than the analyst statement timeout; narrow it or ask for fewer rows",
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  const code = formatted.extensions?.code;
  if (code === "BAD_USER_INPUT") {
    const field = fieldOfCoercionError(formatted.message);
    return field ? { ...formatted, extensions: { ...formatted.extensions, field } } : formatted;
  }
  if (typeof code === "string" && REQUEST_CODES.has(code)) return formatted;
  if (original instanceof GraphQLError && !original.originalError && !formatted.path) {
    // Validation rules (depth, aliases, cost) report problems with the document, not server faults.
    return {
      ...formatted,
      extensions: { ...formatted.extensions, code: code ?? "GRAPHQL_VALIDATION_FAILED" },
    };
  }
  logger.error({ err: original, path: formatted.path }, "unexpected GraphQL error");
  return {
    message: "Internal server error",
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

const QUERY_CANCELED = "57014";

function isStatementTimeout(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } } | null;
  return err?.code === QUERY_CANCELED || err?.driverError?.code === QUERY_CANCELED;
}

/**
 * graphql-js refuses a variable before any resolver runs ("Field "description" of required type ... was
 * not provided", or `... at "input.channel"; Value "FAXX" does not exist`); name the field as ours do.
 */
export function fieldOfCoercionError(message: string): string | undefined {
  const at = /got invalid value .*? at "[^".]+\.([^"]+)"/.exec(message)?.[1];
  const missing = /Field "([^"]+)" of required type/.exec(message)?.[1];
  if (at && missing) return `${at}.${missing}`;
  return at ?? missing;
}
