import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { DataSource } from "typeorm";
import { AssignmentStatus, MailOutbox, Response, ResponseChannel, ResponseKind } from "../../entities";
import { loadConfig, resetConfig } from "../../src/server/config/config";
import { JOBS_SCHEMA } from "../../src/server/jobs/job-runner";
import { DIGEST_QUEUE, startMailJobs, stopMailJobs } from "../../src/server/mail/mail-jobs";
import { notifyNewAssignment, sendOverdueDigests } from "../../src/server/mail/notification.service";
import { deliverPendingMail, enqueueMail, retryDelayMs } from "../../src/server/mail/outbox.service";
import { createSmtpTransport, type MailTransport } from "../../src/server/mail/smtp.transport";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCategory, makeCity, makeDepartment, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import { Role } from "../../entities";

const SMTP_USER = "star-mailer";
const SMTP_PASSWORD = "s3cret-smtp-password";

interface Received {
  to: string[];
  subject: string;
  body: string;
  outboxId: string;
}

function decodeBody(headers: string, body: string): string {
  if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
    const soft = body.replace(/=\r?\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(soft[i], "utf8"));
    }
    return Buffer.from(bytes).toString("utf8");
  }
  if (/content-transfer-encoding:\s*base64/i.test(headers))
    return Buffer.from(body, "base64").toString("utf8");
  return body;
}

/** A real SMTP server on a free local port that keeps what it receives; it can stop and start again. */
class TestSmtp {
  received: Received[] = [];
  port = 0;
  private server?: SMTPServer;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (auth, _session, cb) =>
        auth.username === SMTP_USER && auth.password === SMTP_PASSWORD
          ? cb(null, { user: auth.username })
          : cb(new Error("bad credentials")),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const split = raw.indexOf("\r\n\r\n");
          const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
          const header = (name: string) =>
            new RegExp(`^${name}:\\s*(.*)$`, "im").exec(headers)?.[1]?.trim() ?? "";
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: header("Subject"),
            body: decodeBody(headers, raw.slice(split + 4))
              .replace(/\r\n/g, "\n")
              .trimEnd(),
            outboxId: header("X-Star-Outbox-Id"),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
const smtp = new TestSmtp();
let transport: MailTransport;

function smtpEnv() {
  return {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.port),
    SMTP_USER,
    SMTP_PASSWORD,
    SMTP_FROM: "City of Example <star@city.example>",
  };
}

function outboxRow(id: string): Promise<MailOutbox> {
  return ds.getRepository(MailOutbox).findOneByOrFail({ id });
}

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  await smtp.start();
  transport = createSmtpTransport(loadConfig({ ...process.env, ...smtpEnv() }))!;
  city = await makeCity(ds);
});
beforeEach(async () => {
  await ds.query(`DELETE FROM mail_outbox`);
  smtp.received = [];
});
afterAll(async () => {
  transport?.close();
  await stopMailJobs();
  await smtp.stop();
  await ds.destroy();
});

describe("the mail outbox", () => {
  it("delivers a committed mail through SMTP with its To, Subject and body, once", async () => {
    const id = await ds.transaction((em) =>
      enqueueMail(em, {
        to: "Resident@Example.com",
        subject: "Your request STAR-26-000001",
        text: "Thank you for your report.\nThe pothole was filled today.",
        kind: "RESPONSE",
      }),
    );
    expect((await outboxRow(id)).status).toBe("PENDING");

    const run = await deliverPendingMail(ds, { transport });
    expect(run).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received).toEqual([
      {
        to: ["resident@example.com"],
        subject: "Your request STAR-26-000001",
        body: "Thank you for your report.\nThe pothole was filled today.",
        outboxId: id,
      },
    ]);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);

    expect(await deliverPendingMail(ds, { transport })).toMatchObject({ claimed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it("sends nothing when the transaction that queued the mail rolls back", async () => {
    await expect(
      ds.transaction(async (em) => {
        await enqueueMail(em, { to: "a@example.com", subject: "Never", text: "x", kind: "RESPONSE" });
        throw new Error("the mutation failed");
      }),
    ).rejects.toThrow("the mutation failed");
    expect(await ds.getRepository(MailOutbox).count()).toBe(0);
    expect(await deliverPendingMail(ds, { transport })).toMatchObject({ claimed: 0 });
    expect(smtp.received).toHaveLength(0);
  });

  it("keeps the mail PENDING while the SMTP server is down and delivers it exactly once after it restarts", async () => {
    const id = await ds.transaction((em) =>
      enqueueMail(em, { to: "b@example.com", subject: "Outage", text: "Still here", kind: "RESPONSE" }),
    );
    await smtp.stop();
    try {
      const now = new Date();
      expect(await deliverPendingMail(ds, { transport, now })).toMatchObject({ claimed: 1, retrying: 1 });
      const waiting = await outboxRow(id);
      expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, sentAt: null });
      expect(waiting.lastError).toMatch(/ECONNREFUSED/);
      expect(waiting.lastError).not.toContain(SMTP_PASSWORD);
      expect(waiting.nextAttemptAt.getTime()).toBe(now.getTime() + retryDelayMs(1));
      // Not due again before the backoff has passed.
      expect(await deliverPendingMail(ds, { transport, now })).toMatchObject({ claimed: 0 });
    } finally {
      await smtp.start();
    }
    const later = new Date(Date.now() + retryDelayMs(1) + 1000);
    expect(await deliverPendingMail(ds, { transport, now: later })).toMatchObject({ sent: 1 });
    expect(await deliverPendingMail(ds, { transport, now: later })).toMatchObject({ claimed: 0 });
    expect(smtp.received.map((m) => m.subject)).toEqual(["Outage"]);
    expect(await outboxRow(id)).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
  });

  it("marks a mail the server refuses (5xx) FAILED after the last allowed attempt", async () => {
    process.env.STAR_MAIL_MAX_ATTEMPTS = "2";
    resetConfig();
    try {
      const id = await ds.transaction((em) =>
        enqueueMail(em, { to: "c@example.com", subject: "Doomed", text: "x", kind: "RESPONSE" }),
      );
      const refusing: MailTransport = {
        send: async () =>
          Promise.reject(Object.assign(new Error("550 mailbox unavailable"), { responseCode: 550 })),
        close: () => undefined,
      };
      const t0 = Date.now();
      expect(await deliverPendingMail(ds, { transport: refusing })).toMatchObject({ retrying: 1 });
      const t1 = new Date(t0 + retryDelayMs(1) + 1000);
      expect(await deliverPendingMail(ds, { transport: refusing, now: t1 })).toMatchObject({ failed: 1 });
      expect(await outboxRow(id)).toMatchObject({
        status: "FAILED",
        attempts: 2,
        lastError: "550 550 mailbox unavailable",
      });
      const t2 = new Date(t1.getTime() + 86_400_000);
      expect(await deliverPendingMail(ds, { transport: refusing, now: t2 })).toMatchObject({ claimed: 0 });
    } finally {
      delete process.env.STAR_MAIL_MAX_ATTEMPTS;
      resetConfig();
    }
  });

  it("never gives up a mail while the server is unreachable, however many attempts it takes", async () => {
    process.env.STAR_MAIL_MAX_ATTEMPTS = "2";
    resetConfig();
    try {
      const id = await ds.transaction((em) =>
        enqueueMail(em, { to: "d@example.com", subject: "Long outage", text: "x", kind: "RESPONSE" }),
      );
      const away: MailTransport = {
        send: async () =>
          Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ESOCKET" })),
        close: () => undefined,
      };
      const busy: MailTransport = {
        send: async () =>
          Promise.reject(Object.assign(new Error("421 try again later"), { responseCode: 421 })),
        close: () => undefined,
      };
      let at = Date.now();
      for (let attempt = 1; attempt <= 6; attempt++) {
        const run = await deliverPendingMail(ds, { transport: attempt % 2 ? away : busy, now: new Date(at) });
        expect(run).toMatchObject({ claimed: 1, retrying: 1, failed: 0 });
        at += retryDelayMs(attempt) + 1000;
      }
      expect(await outboxRow(id)).toMatchObject({ status: "PENDING", attempts: 6 });
      expect(await deliverPendingMail(ds, { transport, now: new Date(at) })).toMatchObject({ sent: 1 });
      expect(smtp.received.map((m) => m.subject)).toEqual(["Long outage"]);
    } finally {
      delete process.env.STAR_MAIL_MAX_ATTEMPTS;
      resetConfig();
    }
  });

  it("sends each mail once when two delivery runs race", async () => {
    await ds.transaction(async (em) => {
      for (let i = 0; i < 12; i++) {
        await enqueueMail(em, { to: `r${i}@example.com`, subject: `Race ${i}`, text: "x", kind: "RESPONSE" });
      }
    });
    const runs = await Promise.all([
      deliverPendingMail(ds, { transport, limit: 8 }),
      deliverPendingMail(ds, { transport, limit: 8 }),
    ]);
    const more = await deliverPendingMail(ds, { transport });
    expect(runs[0].sent + runs[1].sent + more.sent).toBe(12);
    const subjects = smtp.received.map((m) => m.subject).sort();
    expect(subjects).toHaveLength(12);
    expect(new Set(subjects).size).toBe(12);
  });
});

describe("an answer by email", () => {
  it("goes from respondToAssignment through the outbox to the constituent's mailbox, with the answer", async () => {
    const resident = await makeConstituent(ds, city.intake.viewer, { email: "ines.answer@example.org" });
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: resident.id,
    });
    const lead = contact.assignments![0];
    const body = "The crew filled the pothole on Elm Street this morning.";
    const res = await gql(
      ds,
      city.streetsStaff.viewer,
      `mutation($input: RespondToAssignmentInput!) { respondToAssignment(input: $input) { id } }`,
      {
        input: {
          assignmentId: lead.id,
          version: lead.version,
          kind: "RESPONSE",
          channel: "EMAIL",
          body,
          isFinal: true,
        },
      },
    );
    expect(res.errors).toBeUndefined();
    await deliverPendingMail(ds, { transport });
    const mail = smtp.received.find((m) => m.to.includes("ines.answer@example.org"))!;
    expect(mail.subject).toContain(contact.referenceNumber);
    expect(mail.body).toContain(body);
    const delivery = await gql(
      ds,
      city.streetsStaff.viewer,
      `query($ref: String!) { contact(referenceNumber: $ref) { assignments { responses { delivery { status } } } } }`,
      { ref: contact.referenceNumber },
    );
    expect(delivery.data!.contact.assignments[0].responses[0].delivery.status).toBe("SENT");
  });
});

describe("notifications", () => {
  it("tells the department about a new assignment with its reference, category, Phoenix due date and link", async () => {
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      confidential: true,
      callbackPhone: "+1 602 555 0199",
      callbackEmail: "secret.caller@example.com",
      description: "Request details that stay inside STAR",
    });
    const assignment = contact.assignments![0];
    await deliverPendingMail(ds, { transport });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.to).toEqual([city.streets.email]);
    expect(mail.subject).toBe(`New assignment ${contact.referenceNumber}: Pothole`);
    expect(mail.body).toContain(`Reference: ${contact.referenceNumber}`);
    expect(mail.body).toContain("Category: Pothole");
    const due = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/Phoenix",
      month: "short",
      day: "numeric",
      year: "numeric",
    }).format(assignment.dueAt);
    expect(mail.body).toMatch(new RegExp(`Due: \\w{3}, ${due}, \\d{1,2}:\\d{2} [AP]M MST`));
    expect(mail.body).toContain(`/assignments/${assignment.id}`);
    for (const secret of ["555", "0199", "secret.caller", "Request details"]) {
      expect(mail.body).not.toContain(secret);
    }
  });

  it("sends the notice to the assignee when there is one, and only once per recipient", async () => {
    const resident = await makeConstituent(ds, city.intake.viewer);
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.leak.id,
      constituentId: resident.id,
    });
    const assignment = contact.assignments![0];
    await ds.query(`UPDATE assignment SET assignee_id = $1 WHERE id = $2`, [
      city.waterStaff.id,
      assignment.id,
    ]);
    await ds.transaction(async (em) => {
      expect(await notifyNewAssignment(em, assignment.id)).not.toBeNull();
      expect(await notifyNewAssignment(em, assignment.id)).toBeNull();
    });
    await deliverPendingMail(ds, { transport });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(
      [city.water.email, city.waterStaff.email].sort(),
    );
  });

  it("rolls the notice back with the intake that failed", async () => {
    const resident = await makeConstituent(ds, city.intake.viewer);
    // The bad attachment is found after the assignment and its notice were written.
    await expect(
      makeContact(ds, city.intake.viewer, {
        categoryId: city.pothole.id,
        constituentId: resident.id,
        attachmentIds: [crypto.randomUUID()],
      }),
    ).rejects.toThrow(/unknown attachment/);
    expect(await ds.getRepository(MailOutbox).count()).toBe(0);
  });

  it("sends one overdue digest per department listing only its own overdue open assignments", async () => {
    const parks = await makeDepartment(ds, { name: "Parks" });
    const noEmail = await makeDepartment(ds, { name: "No Mailbox", email: null });
    const trees = await makeCategory(ds, { name: "Fallen tree", departmentId: parks.id });
    const silent = await makeCategory(ds, { name: "Silent", departmentId: noEmail.id });
    const staff = await makeStaff(ds, Role.DEPARTMENT, { departmentId: parks.id, name: "Robin Ranger" });
    const resident = await makeConstituent(ds, city.intake.viewer);
    const make = (categoryId: string) =>
      makeContact(ds, city.intake.viewer, { categoryId, constituentId: resident.id }).then((c) => ({
        ref: c.referenceNumber,
        a: c.assignments![0],
      }));
    const late1 = await make(city.pothole.id);
    const late2 = await make(city.pothole.id);
    const lateDone = await make(city.pothole.id);
    const notYet = await make(city.pothole.id);
    const lateParks = await make(trees.id);
    await make(silent.id);
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await ds.query(`UPDATE assignment SET due_at = $1 WHERE id = ANY($2::uuid[])`, [
      daysAgo(3),
      [late1.a.id, lateDone.a.id, lateParks.a.id],
    ]);
    await ds.query(`UPDATE assignment SET due_at = $1 WHERE id = $2`, [daysAgo(1), late2.a.id]);
    await ds.query(`UPDATE assignment SET due_at = $1 WHERE department_id = $2`, [daysAgo(2), noEmail.id]);
    await ds.query(`UPDATE assignment SET status = $1, completed_at = now() WHERE id = $2`, [
      AssignmentStatus.COMPLETED,
      lateDone.a.id,
    ]);
    await ds.query(`UPDATE assignment SET assignee_id = $1 WHERE id = $2`, [staff.id, lateParks.a.id]);
    await ds.query(`DELETE FROM mail_outbox`);

    const run = await sendOverdueDigests(ds, now);
    expect(run).toMatchObject({ departments: 3, mails: 2, assignments: 4, withoutEmail: 1 });
    await deliverPendingMail(ds, { transport });
    const byTo = new Map(smtp.received.map((m) => [m.to[0], m]));
    expect([...byTo.keys()].sort()).toEqual([city.streets.email, parks.email].sort());

    const streets = byTo.get(city.streets.email!)!;
    expect(streets.subject).toMatch(/^Street Maintenance: 2 overdue assignments \(\d{4}-\d{2}-\d{2}\)$/);
    const lines = streets.body.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`${late1.ref} Pothole`);
    expect(lines[0]).toContain("3 days overdue, unassigned");
    expect(lines[0]).toContain(`/assignments/${late1.a.id}`);
    expect(lines[1]).toContain(`${late2.ref} Pothole`);
    expect(lines[1]).toContain("1 day overdue");
    for (const absent of [lateDone.ref, notYet.ref, lateParks.ref])
      expect(streets.body).not.toContain(absent);

    const parksMail = byTo.get(parks.email!)!;
    expect(parksMail.subject).toMatch(/^Parks: 1 overdue assignment /);
    expect(parksMail.body).toContain(`${lateParks.ref} Fallen tree`);
    expect(parksMail.body).toContain("Robin Ranger");
    expect(parksMail.body).not.toContain(late1.ref);

    // A retried job on the same day queues nothing new.
    expect(await sendOverdueDigests(ds, now)).toMatchObject({ mails: 0 });
  });
});

describe("Response.delivery", () => {
  const Q = `query($ref: String!) { contact(referenceNumber: $ref) { assignments { responses {
    id delivery { status attempts sentAt lastError } } } } }`;

  it("shows a waiting email's state and error to the department, and the error to nobody else", async () => {
    const resident = await makeConstituent(ds, city.intake.viewer);
    const contact = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: resident.id,
    });
    const response = await ds.getRepository(Response).save(
      ds.getRepository(Response).create({
        assignmentId: contact.assignments![0].id,
        kind: ResponseKind.RESPONSE,
        body: "Fixed.",
        channel: ResponseChannel.EMAIL,
        isFinal: true,
      }),
    );
    await ds.query(`DELETE FROM mail_outbox`);
    await ds.transaction((em) =>
      enqueueMail(em, {
        to: resident.email!,
        subject: "Fixed",
        text: "Fixed.",
        kind: "RESPONSE",
        responseId: response.id,
      }),
    );
    await smtp.stop();
    try {
      await deliverPendingMail(ds, { transport });
    } finally {
      await smtp.start();
    }
    const staffView = await gql(ds, city.streetsStaff.viewer, Q, { ref: contact.referenceNumber });
    expect(staffView.errors).toBeUndefined();
    const delivery = staffView.data!.contact.assignments[0].responses[0].delivery;
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, sentAt: null });
    expect(delivery.lastError).toMatch(/ECONNREFUSED/);
    expect(delivery.lastError).not.toContain(SMTP_PASSWORD);

    const analystView = await gql(ds, city.analyst.viewer, Q, { ref: contact.referenceNumber });
    expect(errorCodes(analystView)).toEqual(["FORBIDDEN"]);
    expect(analystView.errors![0].path?.at(-1)).toBe("lastError");
    expect(analystView.data!.contact.assignments[0].responses[0].delivery).toMatchObject({
      status: "PENDING",
      lastError: null,
    });
    expect(JSON.stringify(analystView.data ?? null)).not.toContain("ECONNREFUSED");

    await deliverPendingMail(ds, { transport, now: new Date(Date.now() + retryDelayMs(1) + 1000) });
    const sent = await gql(ds, city.streetsStaff.viewer, Q, { ref: contact.referenceNumber });
    expect(sent.data!.contact.assignments[0].responses[0].delivery).toMatchObject({
      status: "SENT",
      attempts: 2,
      lastError: null,
    });
  });
});

describe("the pg-boss jobs", () => {
  it("deliver queued mail in the background and schedule the weekday digest in Phoenix time", async () => {
    Object.assign(process.env, smtpEnv(), { STAR_MAIL_POLL_SECONDS: "1" });
    resetConfig();
    try {
      const boss = await startMailJobs(ds);
      const id = await ds.transaction((em) =>
        enqueueMail(em, { to: "d@example.com", subject: "Via pg-boss", text: "queued", kind: "RESPONSE" }),
      );
      const deadline = Date.now() + 30_000;
      while (!smtp.received.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(smtp.received.map((m) => m.subject)).toEqual(["Via pg-boss"]);
      expect(await outboxRow(id)).toMatchObject({ status: "SENT" });
      const schedules = await boss.getSchedules();
      expect(schedules.find((s) => s.name === DIGEST_QUEUE)).toMatchObject({
        cron: "0 7 * * 1-5",
        timezone: "America/Phoenix",
      });
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job`);
      expect(n).toBeGreaterThan(0);
    } finally {
      await stopMailJobs();
      for (const k of Object.keys(smtpEnv())) delete process.env[k];
      delete process.env.STAR_MAIL_POLL_SECONDS;
      resetConfig();
    }
  });
});
