import type { IncomingMessage, ServerResponse } from "node:http";
import type { DataSource } from "typeorm";
import { Channel, Language } from "../../../entities";
import { DomainError, ErrorCode } from "../errors/domain-error";
import { submitPublicRequest, type PublicReceipt } from "../intake/public-intake.service";
import { logger } from "../logging/logger";
import { clientAddressOf, formCsrfToken, formCsrfValid } from "./csrf";
import { publicCategories, type PublicCategoryView } from "./help.service";
import { trackingPath } from "./receipt-mail";
import { publicRequestStatus, type PublicStatus } from "./status.service";

/** A urlencoded form of the public pages: a 4,000-character description fits many times over. */
export const MAX_FORM_BYTES = 64 * 1024;
// Past the cap the rest is read and dropped (so the refusal can be answered), but only this far.
const MAX_DRAIN_BYTES = 1024 * 1024;

function bodyRefused(reason: "TOO_LARGE" | "UNSUPPORTED_TYPE", message: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, undefined, { reason });
}

/** Reads an application/x-www-form-urlencoded body (UTF-8) of at most `max` bytes. */
export function readFormBody(req: IncomingMessage, max = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    req.resume();
    return Promise.reject(bodyRefused("UNSUPPORTED_TYPE", "send application/x-www-form-urlencoded"));
  }
  const tooLarge = () => bodyRefused("TOO_LARGE", `the form is larger than ${max} bytes`);
  if (Number(req.headers["content-length"] ?? 0) > MAX_DRAIN_BYTES) {
    req.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy();
        reject(tooLarge());
      } else if (size <= max) chunks.push(chunk);
    });
    req.on("end", () =>
      size > max ? reject(tooLarge()) : resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))),
    );
    req.on("error", reject);
  });
}

/** What the person typed, given back unchanged when the form is shown again. */
export interface PublicFormValues {
  categoryId: string;
  description: string;
  address: string;
  confidential: boolean;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  acknowledged: boolean;
}

/** Why a submission was refused, as the API would say it: the form turns it into its own words. */
export interface PublicFormRefusal {
  field: string | null;
  reason: string | null;
  message: string;
}

/** As the API's PublicRequestReceipt, plus whether a receipt went by email. */
export interface PublicReceiptView {
  referenceNumber: string;
  trackingCode: string;
  trackingPath: string;
  status: string;
  departmentName: string;
  departmentNameEs: string;
  dueAt: string | null;
  language: "EN" | "ES";
  mailed: boolean;
}

export interface RequestPageProps {
  categories: PublicCategoryView[];
  /** For the hidden field of the form sent without script. */
  csrfToken: string;
  posted: {
    values: PublicFormValues;
    refusal: PublicFormRefusal | null;
    receipt: PublicReceiptView | null;
  } | null;
}

const text = (body: URLSearchParams, name: string, max: number) => (body.get(name) ?? "").slice(0, max);

export function formValuesOf(body: URLSearchParams): PublicFormValues {
  return {
    categoryId: text(body, "categoryId", 100),
    description: text(body, "description", 8000),
    address: text(body, "locationAddress", 600),
    confidential: body.has("confidential"),
    firstName: text(body, "firstName", 200),
    lastName: text(body, "lastName", 200),
    email: text(body, "email", 640),
    phone: text(body, "phone", 60),
    acknowledged: body.has("publicRecordNoticeAcknowledged"),
  };
}

function refusalOf(err: unknown): PublicFormRefusal {
  if (err instanceof DomainError) {
    const reason = typeof err.details?.reason === "string" ? err.details.reason : null;
    return { field: err.field ?? null, reason, message: err.message };
  }
  logger.error({ err }, "public form submission failed");
  return { field: null, reason: null, message: "Internal server error" };
}

function statusOf(refusal: PublicFormRefusal): number {
  if (refusal.reason === "CSRF") return 403;
  if (refusal.reason === "RATE_LIMITED") return 429;
  if (refusal.reason === "TOO_LARGE") return 413;
  if (refusal.reason === "UNSUPPORTED_TYPE") return 415;
  return refusal.field ? 400 : 500;
}

function receiptView(receipt: PublicReceipt, mailed: boolean): PublicReceiptView {
  return {
    referenceNumber: receipt.referenceNumber,
    trackingCode: receipt.trackingCode,
    trackingPath: trackingPath(receipt.referenceNumber, receipt.trackingCode, receipt.language),
    status: receipt.status,
    departmentName: receipt.departmentName,
    departmentNameEs: receipt.departmentNameEs,
    dueAt: receipt.dueAt?.toISOString() ?? null,
    language: receipt.language === Language.ES ? "ES" : "EN",
    mailed,
  };
}

/**
 * What every submission of the public form passes first, scripted or not: the form's own token, and the
 * honeypot a robot fills (nothing is stored, and the refusal reads like any bad input).
 */
export function guardPublicForm(csrfValid: boolean, honeypot: string | null | undefined): void {
  if (!csrfValid) {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      "The form expired: reload the page and send again",
      undefined,
      {
        reason: "CSRF",
      },
    );
  }
  if (honeypot) throw new DomainError(ErrorCode.BAD_USER_INPUT, "website: leave this field empty", "website");
}

/**
 * The form sent without script: the same checks as the API's submitServiceRequest (the form's token,
 * the honeypot), then the same service, with its validation, rate limit and client address.
 */
export async function submitPublicForm(
  ds: DataSource,
  req: IncomingMessage,
  body: URLSearchParams,
  language: Language,
): Promise<PublicReceiptView> {
  guardPublicForm(formCsrfValid(req, body.get("csrf")), body.get("website"));
  const v = formValuesOf(body);
  const receipt = await submitPublicRequest(
    ds,
    {
      categoryId: v.categoryId,
      description: v.description.trim(),
      locationAddress: v.address.trim() || null,
      language,
      // As the scripted form: a confidential request sends no name, whatever was typed.
      firstName: v.confidential ? null : v.firstName.trim() || null,
      lastName: v.confidential ? null : v.lastName.trim() || null,
      email: v.email.trim() || null,
      phone: v.phone.trim() || null,
      confidential: v.confidential,
      publicRecordNoticeAcknowledged: v.acknowledged,
      attachmentIds: [],
    },
    { channel: Channel.WEB, clientAddress: clientAddressOf(req) },
  );
  return receiptView(receipt, !!v.email.trim());
}

const EMPTY_VALUES: PublicFormValues = formValuesOf(new URLSearchParams());

/** The request page: the categories for the first render, the form's token, and a POSTed form's outcome. */
export async function requestPageProps(
  ds: DataSource,
  req: IncomingMessage,
  res: ServerResponse,
  language: Language,
): Promise<RequestPageProps> {
  res.setHeader("Cache-Control", "no-store");
  const categories = await publicCategories(ds, null, language);
  if (req.method !== "POST") return { categories, csrfToken: formCsrfToken(req, res), posted: null };

  let values = EMPTY_VALUES;
  let receipt: PublicReceiptView | null = null;
  let refusal: PublicFormRefusal | null = null;
  try {
    const body = await readFormBody(req);
    values = formValuesOf(body);
    receipt = await submitPublicForm(ds, req, body, language);
  } catch (err) {
    refusal = refusalOf(err);
    res.statusCode = statusOf(refusal);
  }
  return { categories, csrfToken: formCsrfToken(req, res), posted: { values, refusal, receipt } };
}

/** As the API's PublicRequestStatus. */
export interface PublicStatusView {
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

export interface StatusPageProps {
  /** The lookup the query asked for (the receipt's link, or the form sent without script). */
  lookup: {
    referenceNumber: string;
    trackingCode: string;
    status: PublicStatusView | null;
    refusal: PublicFormRefusal | null;
  } | null;
}

function statusView(s: PublicStatus): PublicStatusView {
  return {
    referenceNumber: s.referenceNumber,
    status: s.status,
    categoryName: s.categoryName,
    categoryNameEs: s.categoryNameEs,
    departmentName: s.departmentName,
    departmentNameEs: s.departmentNameEs,
    receivedAt: s.receivedAt.toISOString(),
    dueAt: s.dueAt?.toISOString() ?? null,
    completedAt: s.completedAt?.toISOString() ?? null,
    answers: s.answers.map((a) => ({ body: a.body, sentAt: a.sentAt.toISOString(), isFinal: a.isFinal })),
  };
}

// As the status form's own check: a lookup that the form would refuse costs no rate-limit hit.
const REFERENCE = /^[A-Za-z]{2,8}-\d{2}-\d{4,}$/;

/** The status page with ?ref=…&code=…: the answer is in the page, so it reads the same without script. */
export async function statusPageProps(
  ds: DataSource,
  req: IncomingMessage,
  res: ServerResponse,
  query: Record<string, string | string[] | undefined>,
): Promise<StatusPageProps> {
  res.setHeader("Cache-Control", "no-store");
  const { ref, code } = query;
  if (typeof ref !== "string" || typeof code !== "string") return { lookup: null };
  const lookup = { referenceNumber: ref, trackingCode: code, status: null, refusal: null };
  if (!REFERENCE.test(ref.trim()) || code.replace(/[^0-9A-Za-z]/g, "").length < 8) return { lookup };
  try {
    const found = await publicRequestStatus(ds, ref.trim(), code.trim(), clientAddressOf(req));
    return { lookup: { ...lookup, status: found ? statusView(found) : null } };
  } catch (err) {
    const refusal = refusalOf(err);
    res.statusCode = statusOf(refusal);
    return { lookup: { ...lookup, refusal } };
  }
}

/** The help page as the server renders it: the words asked (from the URL) and the topics they find. */
export interface HelpPageProps {
  query: string;
  categories: PublicCategoryView[];
}

/** Without script the help page's search is a plain GET of ?q=, answered here. */
export async function helpPageProps(
  ds: DataSource,
  q: string | string[] | undefined,
  language: Language,
): Promise<HelpPageProps> {
  const query = (Array.isArray(q) ? q[0] : (q ?? "")).slice(0, 200);
  return { query, categories: await publicCategories(ds, query.trim() || null, language) };
}
