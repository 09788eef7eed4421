import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import type { DataSource } from "typeorm";
import { PDFDocument } from "pdf-lib";
import { AssignmentStatus, ReviewMarkKind, Role } from "../../entities";
import { settingsForThisFile, tempDirForThisFile } from "../support/settings";
import { openTestDataSource, resetDatabase } from "../support/db";
import { pdfText } from "../support/pdf";
import { makeRequest } from "../factories/sla.factory";
import { addDays } from "../../src/server/routing/business-days";
import { makeCity, makeStaff } from "../factories/reference.factory";
import { makeAssignment } from "../factories/assignment.factory";
import { makeReviewCycle, makeReviewMark } from "../factories/review.factory";
import { PACKET_QUEUE, sendReviewPackets, startReviewJobs } from "../../src/server/review/review-jobs";
import { stopJobs } from "../../src/server/jobs/job-runner";
import {
  buildReviewPacket,
  csvCell,
  renderPacketPdf,
  worklistCsv,
} from "../../src/server/review/review-packet.service";
import { loadConfig } from "../../src/server/config/config";
import { deliverPendingMail } from "../../src/server/mail/outbox.service";
import { createSmtpTransport } from "../../src/server/mail/smtp.transport";
import { storage } from "../../src/server/storage/storage";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

const dir = tempDirForThisFile("star-packet-");
settingsForThisFile({ STAR_ATTACHMENTS_DIR: dir });

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

/** The parts of a MIME message, each with its headers (continuations unfolded) and raw body. */
function mimeParts(raw: string): { headers: string; body: string }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const split = part.indexOf("\r\n\r\n");
      return { headers: part.slice(0, split).replace(/\r\n[ \t]+/g, " "), body: part.slice(split + 4) };
    });
}

async function collect(lines: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const chunk of lines) out += chunk;
  return out;
}

describe("the weekly review packet", () => {
  it("mails every active reviewer once a week with the figures and links, and nobody else", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    const cycle = await makeReviewCycle(ds, city.reviewer.viewer);
    await makeReviewMark(ds, city.reviewer.viewer, cycle, assignment, { note: "Call the resident back." });
    const retired = await makeStaff(ds, Role.REVIEWER, { active: false });
    const monday = new Date("2026-12-07T14:00:00Z");

    const run = await sendReviewPackets(ds, monday);
    expect(run).toEqual({ weekStart: cycle.weekStart, reviewers: 1, mails: 1 });
    const again = await sendReviewPackets(ds, monday);
    expect(again.mails).toBe(0);

    const mails: { to: string; subject: string; body: string }[] = await ds.query(
      `SELECT to_address AS "to", subject, body FROM mail_outbox WHERE kind = 'REVIEW_PACKET'`,
    );
    expect(mails.map((m) => m.to)).toEqual([city.reviewer.email]);
    expect(mails.map((m) => m.to)).not.toContain(retired.email);
    expect(mails[0].subject).toBe(`Weekly review packet: week of ${cycle.weekStart}`);
    expect(mails[0].body).toContain("unresolved concerns: 1");
    expect(mails[0].body).toContain("/api/review/packet.pdf");
  });

  it("delivers the reviewer's mail through SMTP with this week's packet attached as a PDF", async () => {
    const received: { to: string[]; raw: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("latin1"),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.server.address() as AddressInfo).port;
    const transport = createSmtpTransport(
      loadConfig({
        ...process.env,
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(port),
        SMTP_FROM: "star@city.example",
      }),
    )!;
    try {
      const [row]: { attachments: { storageKey: string; fileName: string; contentType: string }[] }[] =
        await ds.query(`SELECT attachments FROM mail_outbox WHERE kind = 'REVIEW_PACKET'`);
      // The row holds a reference to the stored PDF, not its bytes.
      expect(row.attachments).toEqual([
        {
          storageKey: expect.any(String),
          fileName: expect.stringMatching(/^review-packet-.*\.pdf$/),
          contentType: "application/pdf",
        },
      ]);
      expect(JSON.stringify(row.attachments)).not.toContain("%PDF");
      expect(await storage().exists(row.attachments[0].storageKey)).toBe(true);

      const run = await deliverPendingMail(ds, { transport });
      expect(run.failed + run.retrying).toBe(0);
      const mail = received.find((m) => /^Subject: Weekly review packet/im.test(m.raw))!;
      expect(mail.to).toEqual([city.reviewer.email]);
      const pdfPart = mimeParts(mail.raw).find((p) => /^content-type:\s*application\/pdf/im.test(p.headers))!;
      expect(pdfPart.headers).toContain(row.attachments[0].fileName);
      expect(pdfPart.headers).toMatch(/content-transfer-encoding:\s*base64/i);
      const pdf = Buffer.from(pdfPart.body.replace(/\s+/g, ""), "base64");
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const doc = await PDFDocument.load(pdf);
      expect(doc.getTitle()).toContain("week of");
      expect(doc.getPageCount()).toBeGreaterThan(0);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("keeps no stored PDF for a run that mails nobody again", async () => {
    const files = () =>
      (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
        fs.statSync(path.join(dir, f)).isFile(),
      );
    const before = files();
    expect(before.length).toBe(1);
    const again = await sendReviewPackets(ds, new Date("2026-12-07T15:00:00Z"));
    expect(again.mails).toBe(0);
    expect(files()).toEqual(before);
  });

  it("lists open concerns and the longest waiting, and renders as a PDF", async () => {
    const packet = await buildReviewPacket(ds, city.analyst.viewer);
    expect(packet.open).toBeGreaterThan(0);
    expect(packet.concerns).toEqual([
      expect.objectContaining({
        kind: ReviewMarkKind.FOLLOW_UP,
        note: "Call the resident back.",
        resolvedAt: null,
      }),
    ]);
    expect(packet.longestWaiting.length).toBe(packet.open);
    const pdf = await renderPacketPdf(packet);
    expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe("%PDF-");
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toContain(`week of ${packet.weekStart}`);
    await expect(buildReviewPacket(ds, city.streetsStaff.viewer)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("carries last week's five-day figure and the week's consistency findings, in the PDF too", async () => {
    const at = (date: string, time: string) => new Date(`${date}T${time}:00-07:00`);
    // The packet's week is the open review's; last week is the seven days before it.
    const monday = addDays((await buildReviewPacket(ds, city.reviewer.viewer)).weekStart, -7);
    const day = (n: number) => addDays(monday, n);
    const done = (completedAt: Date) => ({
      departmentId: city.streets.id,
      status: "COMPLETED" as const,
      dueAt: at(day(7), "17:00"),
      completedAt,
    });
    // 48 hours, and 145 hours.
    await makeRequest(ds, {
      categoryId: city.pothole.id,
      receivedAt: at(day(1), "09:00"),
      assignments: [done(at(day(3), "09:00"))],
    });
    await makeRequest(ds, {
      categoryId: city.pothole.id,
      receivedAt: at(day(0), "09:00"),
      assignments: [done(at(day(6), "10:00"))],
    });
    const idle = await makeRequest(ds, {
      categoryId: city.pothole.id,
      receivedAt: at(day(-5), "09:00"),
      assignments: [{ departmentId: city.streets.id, status: "OPEN", dueAt: at(day(1), "17:00") }],
    });

    const packet = await buildReviewPacket(ds, city.reviewer.viewer);
    expect(packet.fiveDay).toMatchObject({
      from: monday,
      to: day(6),
      goal: 0.95,
      city: { completed: 2, underFiveDays: 1, underFiveDaysShare: 0.5 },
    });
    expect(packet.fiveDay.departments.map((d) => [d.label, d.completed])).toEqual([
      ["Street Maintenance", 2],
    ]);
    expect(packet.findings!.counts.find((c) => c.kind === "NO_ACTIVITY")!.count).toBeGreaterThanOrEqual(1);
    expect(packet.findings!.items).toContainEqual(
      expect.objectContaining({ kind: "NO_ACTIVITY", referenceNumber: idle.referenceNumber }),
    );
    const text = await pdfText(await renderPacketPdf(packet));
    expect(text).toContain(`Completed in under five days, ${monday} to ${day(6)} (goal 95%)`);
    expect(text).toContain("City-wide: 50% of 2 completed in under five days (1); 100% on time");
    expect(text).toContain(idle.referenceNumber);

    // Analysts read the figures, not the findings.
    const analysts = await buildReviewPacket(ds, city.analyst.viewer);
    expect(analysts.fiveDay.city.completed).toBe(2);
    expect(analysts.findings).toBeNull();
  });

  it("keeps this week's resolved concerns in the packet after the review is closed", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.leak.id });
    await ds.query(`DELETE FROM review_mark`);
    await ds.query(`DELETE FROM review_cycle`);
    const closed = await makeReviewCycle(ds, city.reviewer.viewer, {
      closedAt: new Date(),
      totalAtClose: 3,
      reviewedAtClose: 1,
    });
    await makeReviewMark(ds, city.reviewer.viewer, closed, assignment, {
      kind: ReviewMarkKind.POLICY,
      note: "Quote the ordinance.",
      resolvedAt: new Date(),
      resolvedById: city.waterStaff.id,
      resolutionNote: "Ordinance quoted in a second letter.",
    });
    const packet = await buildReviewPacket(ds, city.reviewer.viewer);
    expect(packet.cycle).toEqual({ id: closed.id, status: "CLOSED", reviewed: 1, total: 3 });
    expect(packet.concerns).toEqual([
      expect.objectContaining({
        kind: ReviewMarkKind.POLICY,
        resolutionNote: "Ordinance quoted in a second letter.",
      }),
    ]);
  });

  it("schedules the packet with pg-boss on Monday mornings in Phoenix time", async () => {
    try {
      const boss = await startReviewJobs(ds);
      const schedules = await boss.getSchedules();
      expect(schedules.find((s) => s.name === PACKET_QUEUE)).toMatchObject({
        cron: "0 7 * * 1",
        timezone: "America/Phoenix",
      });
    } finally {
      await stopJobs();
    }
  });

  it("reads the Monday schedule from configuration", () => {
    expect(loadConfig({ NODE_ENV: "test" }).STAR_REVIEW_PACKET_CRON).toBe("0 7 * * 1");
    expect(() => loadConfig({ NODE_ENV: "test", STAR_REVIEW_PACKET_CRON: "every monday" })).toThrow(
      /STAR_REVIEW_PACKET_CRON/,
    );
  });
});

describe("the worklist as CSV", () => {
  it("exports every open assignment with its mark, filtered like the page", async () => {
    await ds.query(`UPDATE assignment SET status = 'COMPLETED', completed_at = now() WHERE status = 'OPEN'`);
    await ds.query(`DELETE FROM review_cycle`);
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    const cycle = await makeReviewCycle(ds, city.reviewer.viewer);
    await makeReviewMark(ds, city.reviewer.viewer, cycle, assignment, { note: "Call the resident back." });
    await makeAssignment(ds, city.intake.viewer, { categoryId: city.leak.id });
    await makeAssignment(ds, city.intake.viewer, {
      categoryId: city.leak.id,
      assignment: { status: AssignmentStatus.COMPLETED, completedAt: new Date() },
    });
    const all = (await collect(worklistCsv(ds, city.reviewer.viewer, null))).trim().split("\r\n");
    expect(all[0]).toMatch(
      /^Department,Reference,Category,Status,Assignee,Assigned,Due,Age \(calendar days\)/,
    );
    expect(all).toHaveLength(1 + 2);
    expect(all[1]).toContain("Street Maintenance");
    expect(all[1]).toContain("Follow-up,Call the resident back.");
    const water = (await collect(worklistCsv(ds, city.analyst.viewer, { departmentId: city.water.id })))
      .trim()
      .split("\r\n");
    expect(water).toHaveLength(2);
    expect(water[1]).toMatch(/^Water Services,STAR-/);
    await expect(collect(worklistCsv(ds, city.waterStaff.viewer, null))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("keeps a cell from running as a spreadsheet formula and quotes commas", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("a, b")).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe("");
  });
});
