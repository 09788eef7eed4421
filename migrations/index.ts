import { CoreSchema1764806400000 } from "./1764806400000-core-schema";
import { AssignmentWork1764900000000 } from "./1764900000000-assignment-work";
import { MailOutbox1764900200000 } from "./1764900200000-mail-outbox";
import { QueueIndexes1764900300000 } from "./1764900300000-queue-indexes";
import { TransfersDuplicates1764900100000 } from "./1764900100000-transfers-duplicates";

/** Listed explicitly so that bundlers and the CLI see the same migrations. */
export const MIGRATIONS = [
  CoreSchema1764806400000,
  AssignmentWork1764900000000,
  TransfersDuplicates1764900100000,
  MailOutbox1764900200000,
  QueueIndexes1764900300000,
];
