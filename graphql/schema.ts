import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "./auth-checker";
import { AnalyticsResolver, SavedQueryResolver } from "./resolvers/analytics.resolver";
import { ApiKeyResolver } from "./resolvers/api-key.resolver";
import { ApiTokenResolver } from "./resolvers/api-token.resolver";
import { AssignmentWorkResolver, ContactTimelineResolver } from "./resolvers/assignment-work.resolver";
import { AttachmentResolver, ResponseAttachmentResolver } from "./resolvers/attachment.resolver";
import { AuditLogResolver } from "./resolvers/audit-log.resolver";
import { RecordsResolver } from "./resolvers/records.resolver";
import { ConstituentResolver } from "./resolvers/constituent.resolver";
import { MailDeliveryResolver } from "./resolvers/mail.resolver";
import { AssignmentResolver, ContactResolver } from "./resolvers/contact.resolver";
import { ReferenceResolver } from "./resolvers/reference.resolver";
import { ReportResolver } from "./resolvers/report.resolver";
import {
  AssignmentReviewResolver,
  ReviewItemResolver,
  ReviewMarkResolver,
  ReviewResolver,
} from "./resolvers/review.resolver";
import { SelfServiceResolver } from "./resolvers/self-service.resolver";
import { StaffResolver } from "./resolvers/staff.resolver";
import { StaffDirectoryResolver } from "./resolvers/staff-directory.resolver";
import { DuplicateContactResolver, TransferResolver } from "./resolvers/transfer.resolver";

export const RESOLVERS = [
  StaffResolver,
  StaffDirectoryResolver,
  ReferenceResolver,
  ConstituentResolver,
  ContactResolver,
  AssignmentResolver,
  AttachmentResolver,
  ResponseAttachmentResolver,
  AssignmentWorkResolver,
  ContactTimelineResolver,
  TransferResolver,
  DuplicateContactResolver,
  MailDeliveryResolver,
  ReviewResolver,
  ReviewItemResolver,
  ReviewMarkResolver,
  AssignmentReviewResolver,
  SelfServiceResolver,
  AnalyticsResolver,
  SavedQueryResolver,
  ApiTokenResolver,
  RecordsResolver,
  AuditLogResolver,
  ReportResolver,
  ApiKeyResolver,
] as const;

const cache = globalThis as unknown as { __starSchema?: { key: unknown; schema: Promise<GraphQLSchema> } };

/** Built once per process (and again after a hot reload changes the resolver classes). */
export function getSchema(): Promise<GraphQLSchema> {
  if (cache.__starSchema?.key !== RESOLVERS[0]) {
    cache.__starSchema = {
      key: RESOLVERS[0],
      schema: buildSchema({ resolvers: RESOLVERS, authChecker, authMode: "error", validate: false }),
    };
  }
  return cache.__starSchema.schema;
}
