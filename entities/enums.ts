import { registerEnumType } from "type-graphql";

export enum Role {
  INTAKE = "INTAKE",
  DEPARTMENT = "DEPARTMENT",
  REVIEWER = "REVIEWER",
  ANALYST = "ANALYST",
  ADMIN = "ADMIN",
}

export enum Channel {
  PHONE = "PHONE",
  LETTER = "LETTER",
  EMAIL = "EMAIL",
  FAX = "FAX",
  IN_PERSON = "IN_PERSON",
  VOICEMAIL = "VOICEMAIL",
  WEB = "WEB",
  OPEN311 = "OPEN311",
}

export enum AssignmentStatus {
  OPEN = "OPEN",
  IN_PROGRESS = "IN_PROGRESS",
  COMPLETED = "COMPLETED",
  TRANSFERRED = "TRANSFERRED",
  CANCELLED = "CANCELLED",
}

export enum ContactStatus {
  OPEN = "OPEN",
  IN_PROGRESS = "IN_PROGRESS",
  CLOSED = "CLOSED",
}

export enum ResponseChannel {
  PHONE = "PHONE",
  LETTER = "LETTER",
  EMAIL = "EMAIL",
  IN_PERSON = "IN_PERSON",
  WEB = "WEB",
}

export enum ResponseKind {
  RESPONSE = "RESPONSE",
  NOTE = "NOTE",
}

export enum Language {
  EN = "en",
  ES = "es",
}

registerEnumType(Role, { name: "Role", description: "What a staff member may do" });
registerEnumType(Channel, { name: "Channel", description: "How the contact reached the city" });
registerEnumType(AssignmentStatus, { name: "AssignmentStatus" });
registerEnumType(ContactStatus, {
  name: "ContactStatus",
  description: "Derived from the contact's assignments",
});
registerEnumType(ResponseChannel, { name: "ResponseChannel", description: "How a response was delivered" });
registerEnumType(ResponseKind, { name: "ResponseKind" });
registerEnumType(Language, { name: "Language" });
