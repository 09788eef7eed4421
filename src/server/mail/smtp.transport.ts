import type { Readable } from "node:stream";
import nodemailer from "nodemailer";
import { config, type Config } from "../config/config";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Lets the receiving side (and our logs) tie a delivered message to its outbox row. */
  outboxId: string;
  attachments?: { filename: string; contentType: string; content: Readable }[];
}

/** What the delivery job needs from a mail server: send one message or throw. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
  close(): void;
}

/** Nodemailer over SMTP with the configured server; null when no server is configured. */
export function createSmtpTransport(cfg: Config = config()): MailTransport | null {
  if (!cfg.SMTP_HOST) return null;
  const transporter = nodemailer.createTransport({
    host: cfg.SMTP_HOST,
    port: cfg.SMTP_PORT,
    secure: cfg.SMTP_SECURE,
    auth: cfg.SMTP_USER ? { user: cfg.SMTP_USER, pass: cfg.SMTP_PASSWORD } : undefined,
    // Fail fast while the server is down: the outbox retries later, a hanging send only holds the claim.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: cfg.SMTP_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { "X-Star-Outbox-Id": mail.outboxId },
        attachments: mail.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return { messageId: info.messageId ?? null };
    },
    close() {
      transporter.close();
    },
  };
}

let shared: { key: Config; transport: MailTransport | null } | undefined;

/** The process's transport, rebuilt when the configuration object changes (tests reset it). */
export function mailTransport(): MailTransport | null {
  const cfg = config();
  if (shared?.key !== cfg) {
    shared?.transport?.close();
    shared = { key: cfg, transport: createSmtpTransport(cfg) };
  }
  return shared.transport;
}

/** Keeps what helps an operator (code, server reply) and drops anything that could carry a secret. */
export function describeSendError(e: unknown, cfg: Config = config()): string {
  const err = e as { code?: string; responseCode?: number; message?: string };
  let text = [err.code, err.responseCode, err.message ?? String(e)].filter((x) => x != null).join(" ");
  for (const secret of [cfg.SMTP_PASSWORD, cfg.SMTP_USER]) {
    if (secret) text = text.split(secret).join("[redacted]");
  }
  return text.replace(/\s+/g, " ").slice(0, 500);
}
