import type { Readable } from "node:stream";
import type { DataSource, EntityManager } from "typeorm";
import type { MailAttachmentRef, MailKind, MailStatus } from "../../../entities";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { assertValidKey, storage } from "../storage/storage";
import { optionalEmail } from "../validation/validate";
import { describeSendError, mailTransport, type MailTransport } from "./smtp.transport";

export interface MailToEnqueue {
  to: string;
  subject: string;
  text: string;
  kind: MailKind;
  responseId?: string | null;
  /** Files already in the object store; the row keeps their references, the mail carries their bytes. */
  attachments?: MailAttachmentRef[];
}

const MAX_ATTACHMENTS = 10;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

function attachmentRefs(refs: MailAttachmentRef[] | undefined): MailAttachmentRef[] {
  const list = refs ?? [];
  if (list.length > MAX_ATTACHMENTS) throw badInput("attachments", `at most ${MAX_ATTACHMENTS} files`);
  return list.map((a) => {
    try {
      assertValidKey(a.storageKey);
    } catch {
      throw badInput("attachments", "a storage key is not valid");
    }
    // A file name ends up in a MIME header: no line breaks, no path.
    const fileName = a.fileName
      .replace(/[\r\n\t"\\/]+/g, " ")
      .trim()
      .slice(0, 200);
    if (!fileName) throw badInput("attachments", "an attachment needs a file name");
    if (!CONTENT_TYPE.test(a.contentType)) throw badInput("attachments", "a content type is not valid");
    return { storageKey: a.storageKey, fileName, contentType: a.contentType.toLowerCase() };
  });
}

/** A claimed row is not offered again for this long, so a slow send is never picked up twice. */
const CLAIM_LEASE_MS = 10 * 60_000;

let warnedNoServer = false;

/**
 * Writes the mail into the outbox inside the caller's transaction: a rolled-back change sends nothing,
 * and a committed one is sent by the delivery job, however long the mail server is away.
 */
export async function enqueueMail(em: EntityManager, mail: MailToEnqueue): Promise<string> {
  const id = await insertMail(em, mail, null);
  return id as string;
}

/** As enqueueMail; with a dedupe key a second call for the same event writes nothing and returns null. */
export async function insertMail(
  em: EntityManager,
  mail: MailToEnqueue,
  dedupeKey: string | null,
): Promise<string | null> {
  const row = outboxRow(mail, dedupeKey);
  const rows: { id: string }[] = await em.query(
    `INSERT INTO mail_outbox (kind, to_address, subject, body, response_id, dedupe_key, attachments)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [
      row.kind,
      row.toAddress,
      row.subject,
      row.body,
      row.responseId,
      row.dedupeKey,
      JSON.stringify(row.attachments),
    ],
  );
  return rows[0]?.id ?? null;
}

export interface OutboxRow {
  kind: MailKind;
  toAddress: string;
  subject: string;
  body: string;
  responseId: string | null;
  dedupeKey: string | null;
  attachments: MailAttachmentRef[];
}

/** A mail_outbox row's values, checked as insertMail checks them, for a caller that writes rows itself. */
export function outboxRow(mail: MailToEnqueue, dedupeKey: string | null): OutboxRow {
  const to = optionalEmail("to", mail.to);
  if (!to) throw badInput("to", "a mail needs a recipient");
  const subject = mail.subject.replace(/[\r\n]+/g, " ").trim();
  if (!subject) throw badInput("subject", "a mail needs a subject");
  return {
    kind: mail.kind,
    toAddress: to,
    subject: subject.slice(0, 300),
    body: mail.text,
    responseId: mail.responseId ?? null,
    dedupeKey,
    attachments: attachmentRefs(mail.attachments),
  };
}

export interface DeliveryRun {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

export interface DeliverOptions {
  /** Defaults to the configured SMTP server; null (no server configured) leaves every mail waiting. */
  transport?: MailTransport | null;
  now?: Date;
  limit?: number;
}

/** Doubling delay after each failed attempt, capped. */
export function retryDelayMs(attempts: number): number {
  const c = config();
  const seconds = Math.min(
    c.STAR_MAIL_RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1),
    c.STAR_MAIL_RETRY_MAX_SECONDS,
  );
  return seconds * 1000;
}

/**
 * A 5xx reply is the mail server refusing this message (an unknown mailbox, say); anything else (no
 * connection, a timeout, a 4xx "try again later") is the server or the network being away.
 */
export function isPermanentRefusal(e: unknown): boolean {
  const code = (e as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * One delivery run: claims due PENDING mail (SKIP LOCKED, so concurrent runs on any number of nodes
 * split the work), sends each, and records the outcome. A failure stays PENDING with its error and a
 * later next attempt; a mail the server refuses (5xx) becomes FAILED after STAR_MAIL_MAX_ATTEMPTS, while
 * one that could not be handed over is retried until it is. A SENT row is never claimed again.
 */
export async function deliverPendingMail(ds: DataSource, opts: DeliverOptions = {}): Promise<DeliveryRun> {
  const cfg = config();
  const run: DeliveryRun = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  const transport = opts.transport !== undefined ? opts.transport : mailTransport();
  if (!transport) {
    if (!warnedNoServer) logger.warn("SMTP_HOST is not set: outgoing mail waits in the outbox");
    warnedNoServer = true;
    return run;
  }
  const now = opts.now ?? new Date();
  // In a CTE so that the driver hands back the rows (a bare UPDATE returns [rows, count]).
  const claimed: {
    id: string;
    to_address: string;
    subject: string;
    body: string;
    attempts: number;
    attachments: MailAttachmentRef[];
  }[] = await ds.query(
    `WITH claimed AS (
       UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2
       WHERE id IN (
         SELECT id FROM mail_outbox
         WHERE status = 'PENDING' AND next_attempt_at <= COALESCE($1::timestamptz, clock_timestamp())
         ORDER BY next_attempt_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING id, to_address, subject, body, attempts, attachments)
       SELECT * FROM claimed`,
    // Without a given time the database's own clock decides what is due: a row's next_attempt_at is its
    // now(), in microseconds, and a JavaScript Date of the same moment is truncated to the millisecond.
    [opts.now ?? null, new Date(now.getTime() + CLAIM_LEASE_MS), opts.limit ?? cfg.STAR_MAIL_BATCH_SIZE],
  );
  run.claimed = claimed.length;
  for (const m of claimed) {
    const opened: Readable[] = [];
    try {
      // Opened per attempt: a missing object fails this attempt like a refused send, and is retried.
      const attachments = [];
      for (const a of m.attachments ?? []) {
        const content = await storage().get(a.storageKey);
        opened.push(content);
        attachments.push({ filename: a.fileName, contentType: a.contentType, content });
      }
      const { messageId } = await transport.send({
        to: m.to_address,
        subject: m.subject,
        text: m.body,
        outboxId: m.id,
        attachments,
      });
      await ds.query(
        `UPDATE mail_outbox SET status = 'SENT', sent_at = now(), message_id = $2, last_error = NULL
         WHERE id = $1`,
        [m.id, messageId?.slice(0, 300) ?? null],
      );
      run.sent++;
    } catch (e) {
      const error = describeSendError(e, cfg);
      // Only a mail the server refuses outright is ever given up: an outage, however long, only delays it.
      const gaveUp = isPermanentRefusal(e) && m.attempts >= cfg.STAR_MAIL_MAX_ATTEMPTS;
      await ds.query(
        `UPDATE mail_outbox SET status = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`,
        [m.id, gaveUp ? "FAILED" : "PENDING", error, new Date(now.getTime() + retryDelayMs(m.attempts))],
      );
      if (gaveUp) run.failed++;
      else run.retrying++;
      logger.warn({ outboxId: m.id, attempts: m.attempts, gaveUp, error }, "mail not sent");
    } finally {
      for (const o of opened) o.destroy();
    }
  }
  if (run.claimed) logger.info(run, "mail delivery run");
  return run;
}

export interface MailDeliveryState {
  outboxId: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
}

/** Per response, its first mail (to the constituent it answers; linked reporters' copies come later). */
export async function deliveryOfResponses(
  ds: DataSource,
  responseIds: readonly string[],
): Promise<Map<string, MailDeliveryState>> {
  const out = new Map<string, MailDeliveryState>();
  if (!responseIds.length) return out;
  const rows: {
    id: string;
    response_id: string;
    status: MailStatus;
    attempts: number;
    last_error: string | null;
    sent_at: Date | null;
    next_attempt_at: Date;
  }[] = await ds.query(
    `SELECT DISTINCT ON (response_id) id, response_id, status, attempts, last_error, sent_at, next_attempt_at
     FROM mail_outbox WHERE response_id = ANY($1::uuid[])
     ORDER BY response_id, created_at, id`,
    [responseIds],
  );
  for (const r of rows) {
    out.set(r.response_id, {
      outboxId: r.id,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      sentAt: r.sent_at,
      nextAttemptAt: r.status === "PENDING" ? r.next_attempt_at : null,
    });
  }
  return out;
}
