import { CombinedGraphQLErrors } from "@apollo/client";
import { print } from "graphql";
import { CITY_TIME_ZONE } from "./time";
import type { Lang, MessageKey } from "./i18n";
import {
  SUBMIT_SERVICE_REQUEST,
  type PublicReceiptData,
  type SubmitServiceRequestVariables,
} from "./operations/self-service";

export const CSRF_HEADER = "x-star-csrf";

export interface PublicFormToken {
  token: string;
  maxUploadBytes: number;
}

/** The form's CSRF token (the cookie comes with it) and the upload limit. */
export async function fetchFormToken(): Promise<PublicFormToken | null> {
  try {
    const res = await fetch("/api/public/csrf", { credentials: "same-origin", cache: "no-store" });
    return res.ok ? ((await res.json()) as PublicFormToken) : null;
  } catch {
    return null;
  }
}

export interface PublicUpload {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

/** POST /api/public/uploads; a refusal comes back as the message key to show next to the field. */
export async function uploadPublicFile(
  file: File,
  token: string,
): Promise<{ ok: true; upload: PublicUpload } | { ok: false; key: MessageKey }> {
  const body = new FormData();
  body.append("file", file);
  let res: Response;
  try {
    res = await fetch("/api/public/uploads", {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { [CSRF_HEADER]: token },
    });
  } catch {
    return { ok: false, key: "errFile" };
  }
  if (res.status === 201) return { ok: true, upload: (await res.json()) as PublicUpload };
  if (res.status === 413) return { ok: false, key: "errFileSize" };
  if (res.status === 415) return { ok: false, key: "errFileType" };
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (res.status === 403 && /too many/i.test(json?.error?.message ?? ""))
    return { ok: false, key: "errRateLimited" };
  if (res.status === 403) return { ok: false, key: "errCsrf" };
  return { ok: false, key: "errFile" };
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

/** Raised for an answer with GraphQL errors, so that publicProblem reads it like Apollo's. */
export class PublicApiError extends Error {
  constructor(readonly errors: GraphQLErrorLike[]) {
    super(errors[0]?.message ?? "request failed");
  }
}

/** The form's submission, with the CSRF token in its header (the cookie goes with it). */
export async function submitServiceRequest(
  variables: SubmitServiceRequestVariables,
  token: string,
): Promise<PublicReceiptData> {
  const res = await fetch("/api/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", [CSRF_HEADER]: token },
    body: JSON.stringify({ query: print(SUBMIT_SERVICE_REQUEST), variables }),
  });
  const json = (await res.json().catch(() => null)) as {
    data?: { submitServiceRequest: PublicReceiptData } | null;
    errors?: GraphQLErrorLike[];
  } | null;
  if (json?.data?.submitServiceRequest) return json.data.submitServiceRequest;
  throw new PublicApiError(json?.errors ?? [{ message: `HTTP ${res.status}` }]);
}

const FIELD_KEYS: Record<string, MessageKey> = {
  categoryId: "errCategory",
  description: "errDescription",
  locationAddress: "errLocation",
  locationLat: "errLocation",
  locationLong: "errLocation",
  email: "errEmail",
  phone: "errPhone",
  lastName: "errName",
  firstName: "errNameConfidential",
  publicRecordNoticeAcknowledged: "errNotice",
  attachmentIds: "errFile",
  duplicateOfReference: "errDuplicate",
};

/** The API's error as the form shows it: a message key per input field, or one for the whole form. */
export function publicProblem(error: unknown): { field: string | null; key: MessageKey } {
  const errors = CombinedGraphQLErrors.is(error)
    ? error.errors
    : error instanceof PublicApiError
      ? error.errors
      : null;
  if (errors) {
    for (const e of errors) {
      const ext = (e.extensions ?? {}) as Record<string, unknown>;
      if (ext.reason === "RATE_LIMITED") return { field: null, key: "errRateLimited" };
      if (ext.reason === "CSRF") return { field: null, key: "errCsrf" };
      const field = typeof ext.field === "string" ? ext.field.replace(/\[\d+\]$/, "") : null;
      if (field && FIELD_KEYS[field]) {
        const long = field === "description" && /at most/.test(e.message);
        return { field, key: long ? "errDescriptionLong" : FIELD_KEYS[field] };
      }
    }
  }
  return { field: null, key: "errServer" };
}

export function formatPublicDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", {
    timeZone: CITY_TIME_ZONE,
    dateStyle: "long",
  }).format(new Date(iso));
}
