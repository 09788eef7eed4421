import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type MailKind =
  "RESPONSE" | "ASSIGNMENT_NOTICE" | "OVERDUE_DIGEST" | "REVIEW_MARK" | "REVIEW_PACKET" | "PUBLIC_RECEIPT";
export type MailStatus = "PENDING" | "SENT" | "FAILED";

/** A file a mail carries: a reference into the object store, never the bytes. */
export interface MailAttachmentRef {
  storageKey: string;
  fileName: string;
  contentType: string;
}

/**
 * One outgoing mail, written in the same transaction as the change that causes it and sent after
 * commit by the delivery job, so a rolled-back change sends nothing and an SMTP outage loses nothing.
 */
@Entity({ name: "mail_outbox" })
export class MailOutbox {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 30 })
  kind: MailKind;

  @Column({ type: "varchar", length: 320 })
  toAddress: string;

  @Column({ type: "varchar", length: 300 })
  subject: string;

  @Column({ type: "text" })
  body: string;

  @Index()
  @Column({ type: "uuid", nullable: true })
  responseId: string | null;

  /** Keeps a retried job (the daily digest, a repeated notice) from writing the same mail twice. */
  @Column({ type: "varchar", length: 200, nullable: true, unique: true })
  dedupeKey: string | null;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  attachments: MailAttachmentRef[];

  @Column({ type: "varchar", length: 10, default: "PENDING" })
  status: MailStatus;

  @Column({ type: "int", default: 0 })
  attempts: number;

  /** Also the claim's lease: a claimed row is not due again until the sender had time to finish. */
  @Column({ type: "timestamptz", default: () => "now()" })
  nextAttemptAt: Date;

  @Column({ type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  messageId: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  sentAt: Date | null;
}
