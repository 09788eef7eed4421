import { ApiKey } from "./api-key.entity";
import { ApiToken } from "./api-token.entity";
import { Assignment } from "./assignment.entity";
import { Attachment } from "./attachment.entity";
import { AuditEvent } from "./audit-event.entity";
import { Category } from "./category.entity";
import { ConfidentialCallback } from "./confidential-callback.entity";
import { Constituent } from "./constituent.entity";
import { Contact } from "./contact.entity";
import { Department } from "./department.entity";
import { MailOutbox } from "./mail-outbox.entity";
import { Open311Token } from "./open311-token.entity";
import { PublicRateLimit } from "./public-rate-limit.entity";
import { PublicTrackingCode } from "./public-tracking-code.entity";
import { RecordsRequest } from "./records-request.entity";
import { Response } from "./response.entity";
import { SavedQuery } from "./saved-query.entity";
import { ReviewCycle } from "./review-cycle.entity";
import { ReviewMark } from "./review-mark.entity";
import { StaffUser } from "./staff-user.entity";

export * from "./enums";
export type { MailAttachmentRef, MailKind, MailStatus } from "./mail-outbox.entity";
export { RecordsRequestStatus } from "./records-request.entity";
export type { RecordsCounts, RecordsScope } from "./records-request.entity";
export { ReviewCycleStatus } from "./review-cycle.entity";
export { ReviewMarkKind } from "./review-mark.entity";
export {
  ApiKey,
  ApiToken,
  Assignment,
  Attachment,
  AuditEvent,
  Category,
  ConfidentialCallback,
  Constituent,
  Contact,
  Department,
  MailOutbox,
  Open311Token,
  PublicRateLimit,
  PublicTrackingCode,
  RecordsRequest,
  Response,
  SavedQuery,
  ReviewCycle,
  ReviewMark,
  StaffUser,
};

export const ENTITIES = [
  Department,
  Category,
  StaffUser,
  Constituent,
  Contact,
  Assignment,
  Response,
  Attachment,
  ConfidentialCallback,
  AuditEvent,
  MailOutbox,
  PublicRateLimit,
  PublicTrackingCode,
  RecordsRequest,
  ReviewCycle,
  ReviewMark,
  ApiToken,
  SavedQuery,
  ApiKey,
  Open311Token,
];
