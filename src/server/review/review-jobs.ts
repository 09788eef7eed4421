import { Readable } from "node:stream";
import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { scheduleJob } from "../jobs/job-runner";
import { logger } from "../logging/logger";
import { insertMail } from "../mail/outbox.service";
import { newStorageKey, storage } from "../storage/storage";
import { figureText } from "./packet-text";
import { preparePacket, renderPacketPdf, type ReviewPacket } from "./review-packet.service";

export const PACKET_QUEUE = "review-packet";

function portalLink(path: string): string {
  const base = config().NEXTAUTH_URL?.replace(/\/+$/, "") ?? "";
  return `${base}${path}`;
}

export interface PacketRun {
  weekStart: string;
  reviewers: number;
  mails: number;
}

function packetText(p: ReviewPacket): string {
  const concerns = p.concerns.filter((c) => !c.resolvedAt).length;
  return [
    `The weekly review packet for the week of ${p.weekStart} is ready.`,
    "",
    `Open assignments: ${p.open}; overdue: ${p.overdue}; unresolved concerns: ${concerns}.`,
    `Last week (${p.fiveDay.from} to ${p.fiveDay.to}), city-wide: ${figureText(p.fiveDay.city)}.`,
    p.findings
      ? `Consistency findings this past week: ${p.findings.counts.map((c) => `${c.label} ${c.count}${c.more ? "+" : ""}`).join("; ")}.`
      : "",
    `By age (calendar days since assigned): ${p.byBucket.map((b) => `${b.label} ${b.count}`).join("; ")}.`,
    p.cycle
      ? `This week's review: ${p.cycle.reviewed} of ${p.cycle.total} reviewed.`
      : "This week's review has not been started.",
    "",
    `The packet is attached as a PDF. Read it in the portal: ${portalLink("/review/packet")}`,
    `PDF, as it is now: ${portalLink("/api/review/packet.pdf")}`,
    `Worklist: ${portalLink("/review")}`,
  ].join("\n");
}

/**
 * Prepares the packet and mails every active reviewer a summary with the packet's PDF attached (stored
 * once in the object store, referenced by each mail) and links to the portal. Keyed by week, so a retried
 * run mails nobody twice; a run that mails nobody keeps no stored PDF.
 */
export async function sendReviewPackets(ds: DataSource, now: Date): Promise<PacketRun> {
  const packet = await preparePacket(ds, now);
  const reviewers: { email: string }[] = await ds.query(
    `SELECT email FROM staff_user WHERE role = 'REVIEWER' AND active ORDER BY email`,
  );
  const text = packetText(packet);
  const run: PacketRun = { weekStart: packet.weekStart, reviewers: reviewers.length, mails: 0 };
  if (!reviewers.length) return run;
  const pdf = { storageKey: newStorageKey(), fileName: `review-packet-${packet.weekStart}.pdf` };
  await storage().put(pdf.storageKey, Readable.from([Buffer.from(await renderPacketPdf(packet))]));
  try {
    run.mails = await mailReviewers(ds, packet, reviewers, text, pdf);
  } finally {
    if (!run.mails) await storage().delete(pdf.storageKey);
  }
  logger.info(run, "weekly review packet mailed");
  return run;
}

async function mailReviewers(
  ds: DataSource,
  packet: ReviewPacket,
  reviewers: { email: string }[],
  text: string,
  pdf: { storageKey: string; fileName: string },
): Promise<number> {
  // Counted after commit: a rolled-back run mailed nobody, and its PDF is removed.
  return ds.transaction(async (em) => {
    let mails = 0;
    for (const r of reviewers) {
      const id = await insertMail(
        em,
        {
          to: r.email,
          subject: `Weekly review packet: week of ${packet.weekStart}`,
          text,
          kind: "REVIEW_PACKET",
          attachments: [{ ...pdf, contentType: "application/pdf" }],
        },
        `review-packet:${packet.weekStart}:${r.email.toLowerCase()}`,
      );
      if (id) mails++;
    }
    return mails;
  });
}

/** The Monday packet, a pg-boss schedule in the city's time zone next to the mail jobs. */
export function startReviewJobs(ds: DataSource): Promise<PgBoss> {
  return scheduleJob(ds, {
    queue: PACKET_QUEUE,
    cron: config().STAR_REVIEW_PACKET_CRON,
    run: () => sendReviewPackets(ds, new Date()),
    queueOptions: { retryLimit: 3, retryDelay: 300, retryBackoff: true },
  });
}
