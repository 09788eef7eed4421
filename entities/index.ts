import { Assignment } from "./assignment.entity";
import { Attachment } from "./attachment.entity";
import { AuditEvent } from "./audit-event.entity";
import { Category } from "./category.entity";
import { ConfidentialCallback } from "./confidential-callback.entity";
import { Constituent } from "./constituent.entity";
import { Contact } from "./contact.entity";
import { Department } from "./department.entity";
import { MailOutbox } from "./mail-outbox.entity";
import { Response } from "./response.entity";
import { StaffUser } from "./staff-user.entity";

export * from "./enums";
export type { MailKind, MailStatus } from "./mail-outbox.entity";
export {
  Assignment,
  Attachment,
  AuditEvent,
  Category,
  ConfidentialCallback,
  Constituent,
  Contact,
  Department,
  MailOutbox,
  Response,
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
];
