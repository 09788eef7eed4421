import { logger } from "../logging/logger";
import { DomainError, ErrorCode } from "../errors/domain-error";
import type { Open311Object } from "./open311-format";

/** GeoReport v2 errors: a list of { code, description }, the code being the HTTP status. */
export interface Open311Errors {
  status: number;
  errors: Open311Object[];
}

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.UNAUTHENTICATED]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.CONFLICT]: 400,
};

/** The intake rules speak of STAR's fields; an Open311 client knows them by the spec's parameter names. */
const PARAMETER_OF_FIELD: Record<string, string> = {
  categoryId: "service_code",
  locationAddress: "address_string",
  locationLat: "lat",
  locationLong: "long",
  firstName: "first_name",
  lastName: "last_name",
  duplicateOfReference: "service_request_id",
};

function describe(err: DomainError): string {
  const field = err.field;
  const parameter = field ? PARAMETER_OF_FIELD[field] : undefined;
  if (field && parameter && err.message.startsWith(`${field}: `)) {
    return `${parameter}: ${err.message.slice(field.length + 2)}`;
  }
  return err.message;
}

export function open311Error(status: number, description: string): Open311Errors {
  return { status, errors: [{ code: status, description }] };
}

/** Domain errors by their code; anything else is logged and masked as a 500. */
export function toOpen311Errors(err: unknown): Open311Errors {
  if (err instanceof DomainError) return open311Error(STATUS[err.code] ?? 400, describe(err));
  logger.error({ err }, "unexpected error in the Open311 API");
  return open311Error(500, "Internal server error");
}
