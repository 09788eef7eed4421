/**
 * What leaves the city in a records package, and what is held back and why. Pure: the export and the
 * preview run the same rules over the same rows, so the preview's counts are the package's.
 */

export enum RedactionRule {
  CONFIDENTIAL_REQUEST = "CONFIDENTIAL_REQUEST",
  CONFIDENTIAL_LOCATION = "CONFIDENTIAL_LOCATION",
  CALLBACK = "CALLBACK",
  MASKED_FIELD = "MASKED_FIELD",
  EMAIL_IN_TEXT = "EMAIL_IN_TEXT",
  PHONE_IN_TEXT = "PHONE_IN_TEXT",
  CONFIDENTIAL_ATTACHMENT = "CONFIDENTIAL_ATTACHMENT",
}

export const REDACTION_RULES = Object.values(RedactionRule);

/** One entry of the decision log that travels with the package. */
export interface Redaction {
  record: string;
  field: string;
  rule: RedactionRule;
  reason: string;
}

export const MASK = "[REDACTED]";
export const EMAIL_MASK = "[email redacted]";
export const PHONE_MASK = "[phone redacted]";

const REASONS: Record<RedactionRule, string> = {
  CONFIDENTIAL_REQUEST:
    "The requester asked for confidentiality: no name, address or contact details are released",
  CONFIDENTIAL_LOCATION:
    "The requester asked for confidentiality, and where the issue is may be where they live: withheld",
  CALLBACK: "A confidential request's callback is never released",
  MASKED_FIELD: "Personal contact details the city masks in every package (STAR_RECORDS_MASKED_FIELDS)",
  EMAIL_IN_TEXT: "An email address inside free text is personal contact data",
  PHONE_IN_TEXT: "A phone number inside free text is personal contact data",
  CONFIDENTIAL_ATTACHMENT: "A confidential request's documents may name the requester: withheld",
};

export function reasonOf(rule: RedactionRule): string {
  return REASONS[rule];
}

export const CONSTITUENT_FIELDS = [
  "firstName",
  "lastName",
  "organization",
  "email",
  "phone",
  "addressLine1",
  "addressLine2",
  "city",
  "state",
  "postalCode",
] as const;
export type ConstituentField = (typeof CONSTITUENT_FIELDS)[number];
export type ExportedConstituent = { id: string } & Record<ConstituentField, string | null>;

export interface RedactionPolicy {
  /** As STAR_RECORDS_MASKED_FIELDS names them: "constituent.email", "contact.locationAddress". */
  maskedFields: ReadonlySet<string>;
}

export interface ContactSource {
  referenceNumber: string;
  channel: string;
  receivedAt: Date;
  categoryCode: string;
  categoryName: string;
  leadDepartment: string | null;
  description: string;
  locationAddress: string | null;
  locationLat: number | null;
  locationLong: number | null;
  confidential: boolean;
  language: string;
  duplicateOf: string | null;
  publicRecordNoticeGiven: boolean;
  hasCallback: boolean;
  constituent: ExportedConstituent | null;
}

export type ExportedContact = Omit<ContactSource, "receivedAt" | "hasCallback"> & { receivedAt: string };

export interface ResponseSource {
  id: string;
  contactReference: string;
  assignmentId: string;
  kind: string;
  channel: string | null;
  sentAt: Date | null;
  isFinal: boolean;
  createdAt: Date;
  body: string;
}

export type ExportedResponse = Omit<ResponseSource, "sentAt" | "createdAt"> & {
  sentAt: string | null;
  createdAt: string;
};

export interface AttachmentSource {
  id: string;
  contactReference: string;
  responseId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
  /** The contact it belongs to (directly or through a response) is confidential. */
  confidential: boolean;
}

export interface ExportedAttachment {
  id: string;
  contactReference: string;
  responseId: string | null;
  fileName: string | null;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  /** The file's path inside the package; null when withheld or not asked for. */
  packagePath: string | null;
}

export interface Redacted<T> {
  value: T;
  redactions: Redaction[];
}

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// North American numbers as people write them ((602) 555-0142, 602.555.0142, +1 602 555 0142), and
// international ones in E.164 (+44 20 7946 0958 collapsed, +4420...). Digits inside longer runs are left.
const PHONE_IN_TEXT =
  /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w])|(?<![\w+])\+\d(?:[\s.-]?\d){7,14}(?![\w])/g;

/** Masks emails, then phone numbers, in free text; one log entry per value masked. */
export function maskFreeText(text: string, record: string, field: string): Redacted<string> {
  const redactions: Redaction[] = [];
  const log = (rule: RedactionRule) => redactions.push({ record, field, rule, reason: REASONS[rule] });
  const value = text
    .replace(EMAIL_IN_TEXT, () => {
      log(RedactionRule.EMAIL_IN_TEXT);
      return EMAIL_MASK;
    })
    .replace(PHONE_IN_TEXT, () => {
      log(RedactionRule.PHONE_IN_TEXT);
      return PHONE_MASK;
    });
  return { value, redactions };
}

export const contactRecord = (referenceNumber: string) => `contact ${referenceNumber}`;
export const responseRecord = (id: string) => `response ${id}`;
export const attachmentRecord = (id: string) => `attachment ${id}`;

export function redactContact(c: ContactSource, policy: RedactionPolicy): Redacted<ExportedContact> {
  const record = contactRecord(c.referenceNumber);
  const redactions: Redaction[] = [];
  const log = (field: string, rule: RedactionRule) =>
    redactions.push({ record, field, rule, reason: REASONS[rule] });

  let constituent: ExportedConstituent | null = null;
  if (c.confidential) {
    // The contact stores no constituent; the log says why there is none.
    log("constituent", RedactionRule.CONFIDENTIAL_REQUEST);
  } else if (c.constituent) {
    constituent = { ...c.constituent };
    for (const f of CONSTITUENT_FIELDS) {
      if (policy.maskedFields.has(`constituent.${f}`) && constituent[f] != null) {
        constituent[f] = MASK;
        log(`constituent.${f}`, RedactionRule.MASKED_FIELD);
      }
    }
  }
  if (c.hasCallback) log("callback", RedactionRule.CALLBACK);

  let locationAddress = c.locationAddress;
  let locationLat = c.locationLat;
  let locationLong = c.locationLong;
  if (c.confidential) {
    // Where a confidential request's issue is may be where the requester lives (Open311 hides it too).
    if (locationAddress != null) {
      locationAddress = MASK;
      log("locationAddress", RedactionRule.CONFIDENTIAL_LOCATION);
    }
    if (locationLat != null || locationLong != null) {
      locationLat = null;
      locationLong = null;
      log("locationLatLong", RedactionRule.CONFIDENTIAL_LOCATION);
    }
  } else if (locationAddress != null && policy.maskedFields.has("contact.locationAddress")) {
    locationAddress = MASK;
    log("locationAddress", RedactionRule.MASKED_FIELD);
  }
  const description = maskFreeText(c.description, record, "description");
  redactions.push(...description.redactions);

  const { hasCallback: _h, receivedAt, ...rest } = c;
  return {
    value: {
      ...rest,
      receivedAt: receivedAt.toISOString(),
      description: description.value,
      locationAddress,
      locationLat,
      locationLong,
      constituent,
    },
    redactions,
  };
}

export function redactResponse(r: ResponseSource): Redacted<ExportedResponse> {
  const body = maskFreeText(r.body, responseRecord(r.id), "body");
  return {
    value: {
      ...r,
      body: body.value,
      sentAt: r.sentAt ? r.sentAt.toISOString() : null,
      createdAt: r.createdAt.toISOString(),
    },
    redactions: body.redactions,
  };
}

/** A package path that is unique (the id) and readable (the name), with nothing that could leave the folder. */
export function attachmentPath(id: string, fileName: string): string {
  const safe = fileName.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^[.\s]+/, "") || "file";
  return `attachments/${id}-${safe}`;
}

export function redactAttachment(a: AttachmentSource, includeFiles: boolean): Redacted<ExportedAttachment> {
  const base = {
    id: a.id,
    contactReference: a.contactReference,
    responseId: a.responseId,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    createdAt: a.createdAt.toISOString(),
  };
  if (a.confidential) {
    return {
      value: { ...base, fileName: null, packagePath: null },
      redactions: [
        {
          record: attachmentRecord(a.id),
          field: "file",
          rule: RedactionRule.CONFIDENTIAL_ATTACHMENT,
          reason: REASONS.CONFIDENTIAL_ATTACHMENT,
        },
      ],
    };
  }
  return {
    value: {
      ...base,
      fileName: a.fileName,
      packagePath: includeFiles ? attachmentPath(a.id, a.fileName) : null,
    },
    redactions: [],
  };
}

/** Redaction counts by rule, every rule present (zero when none applied). */
export function emptyRuleCounts(): Record<RedactionRule, number> {
  return Object.fromEntries(REDACTION_RULES.map((r) => [r, 0])) as Record<RedactionRule, number>;
}
