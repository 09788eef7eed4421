import { CoreSchema1764806400000 } from "./1764806400000-core-schema";
import { AssignmentWork1764900000000 } from "./1764900000000-assignment-work";
import { AnalystWorkspace1765000400000 } from "./1765000400000-analyst-workspace";
import { MailOutbox1764900200000 } from "./1764900200000-mail-outbox";
import { MailAttachments1765000700000 } from "./1765000700000-mail-attachments";
import { Open311ApiKeys1765000300000 } from "./1765000300000-open311";
import { Open311Projection1765000800000 } from "./1765000800000-open311-projection";
import { Open311Fragments1765001300000 } from "./1765001300000-open311-fragments";
import { QueueIndexes1764900300000 } from "./1764900300000-queue-indexes";
import { QueueSpeed1765001000000 } from "./1765001000000-queue-speed";
import { TrigramCosts1765001100000 } from "./1765001100000-trigram-costs";
import { RecordsRequests1765000500000 } from "./1765000500000-records-requests";
import { CheaperTriggers1765000950000 } from "./1765000950000-cheaper-triggers";
import { FactLeadOnInsert1765001200000 } from "./1765001200000-fact-lead-on-insert";
import { ContactStatsCells1765001250000 } from "./1765001250000-contact-stats-cells";
import { ContactStatsRollup1765000600000 } from "./1765000600000-contact-stats-rollup";
import { ReviewCycles1765000000000 } from "./1765000000000-review-cycles";
import { SelfService1765000200000 } from "./1765000200000-self-service";
import { SlaRollups1765000100000 } from "./1765000100000-sla-rollups";
import { SlaRollupExact1765000710000 } from "./1765000710000-sla-rollup-exact";
import { FiveDayClockFromAssignment1765001400000 } from "./1765001400000-five-day-clock-from-assignment";
import { DepartmentNameEs1765001500000 } from "./1765001500000-department-name-es";
import { AuditNoTruncate1765001600000 } from "./1765001600000-audit-no-truncate";
import { TransfersDuplicates1764900100000 } from "./1764900100000-transfers-duplicates";

/** Listed explicitly so that bundlers and the CLI see the same migrations. */
export const MIGRATIONS = [
  CoreSchema1764806400000,
  AssignmentWork1764900000000,
  TransfersDuplicates1764900100000,
  MailOutbox1764900200000,
  QueueIndexes1764900300000,
  ReviewCycles1765000000000,
  SlaRollups1765000100000,
  SelfService1765000200000,
  Open311ApiKeys1765000300000,
  AnalystWorkspace1765000400000,
  RecordsRequests1765000500000,
  ContactStatsRollup1765000600000,
  MailAttachments1765000700000,
  SlaRollupExact1765000710000,
  Open311Projection1765000800000,
  CheaperTriggers1765000950000,
  QueueSpeed1765001000000,
  TrigramCosts1765001100000,
  FactLeadOnInsert1765001200000,
  ContactStatsCells1765001250000,
  Open311Fragments1765001300000,
  FiveDayClockFromAssignment1765001400000,
  DepartmentNameEs1765001500000,
  AuditNoTruncate1765001600000,
];
