import type PgBoss from "pg-boss";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { startJobs } from "../jobs/job-runner";
import { logger } from "../logging/logger";
import { insertMail } from "../mail/outbox.service";
import { preparePacket, type ReviewPacket } from "./review-packet.service";

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
    `By age (calendar days since assigned): ${p.byBucket.map((b) => `${b.label} ${b.count}`).join("; ")}.`,
    p.cycle
      ? `This week's review: ${p.cycle.reviewed} of ${p.cycle.total} reviewed.`
      : "This week's review has not been started.",
    "",
    `Read and print it: ${portalLink("/review/packet")}`,
    `PDF: ${portalLink("/api/review/packet.pdf")}`,
    `Worklist: ${portalLink("/review")}`,
  ].join("\n");
}

/**
 * Prepares the packet and mails every active reviewer a summary with links to it (the outbox carries
 * text only; the packet stays behind sign-in). Keyed by week, so a retried run mails nobody twice.
 */
export async function sendReviewPackets(ds: DataSource, now: Date): Promise<PacketRun> {
  const packet = await preparePacket(ds, now);
  const reviewers: { email: string }[] = await ds.query(
    `SELECT email FROM staff_user WHERE role = 'REVIEWER' AND active ORDER BY email`,
  );
  const text = packetText(packet);
  const run: PacketRun = { weekStart: packet.weekStart, reviewers: reviewers.length, mails: 0 };
  await ds.transaction(async (em) => {
    for (const r of reviewers) {
      const id = await insertMail(
        em,
        {
          to: r.email,
          subject: `Weekly review packet: week of ${packet.weekStart}`,
          text,
          kind: "REVIEW_PACKET",
        },
        `review-packet:${packet.weekStart}:${r.email.toLowerCase()}`,
      );
      if (id) run.mails++;
    }
  });
  logger.info(run, "weekly review packet mailed");
  return run;
}

/** The Monday packet, a pg-boss schedule in the city's time zone next to the mail jobs. */
export async function startReviewJobs(ds: DataSource): Promise<PgBoss> {
  const cfg = config();
  const boss = await startJobs(ds);
  await boss.createQueue(PACKET_QUEUE, {
    name: PACKET_QUEUE,
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
  });
  await boss.work(PACKET_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    await sendReviewPackets(ds, new Date());
  });
  await boss.schedule(PACKET_QUEUE, cfg.STAR_REVIEW_PACKET_CRON, {}, { tz: cfg.STAR_TIME_ZONE });
  return boss;
}
