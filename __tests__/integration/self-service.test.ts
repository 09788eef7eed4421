import { Readable } from "node:stream";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import {
  Assignment,
  AssignmentStatus,
  Channel,
  Constituent,
  Contact,
  Language,
  ResponseChannel,
  ResponseKind,
} from "../../entities";
import { openAttachmentForDownload } from "../../src/server/attachments/attachment.service";
import { respondToAssignment } from "../../src/server/assignments/assignment.service";
import { resetConfig } from "../../src/server/config/config";
import { DomainError } from "../../src/server/errors/domain-error";
import { submitPublicRequest } from "../../src/server/intake/public-intake.service";
import { newCsrfToken, csrfTokensMatch } from "../../src/server/self-service/csrf";
import { publicOpenReports } from "../../src/server/self-service/duplicates.service";
import { forgetPublicCategories, publicCategories } from "../../src/server/self-service/help.service";
import { hashTrackingCode } from "../../src/server/self-service/tracking-code";
import { uploadPublicAttachment } from "../../src/server/self-service/upload.service";
import { REDACTED, publicRequestStatus } from "../../src/server/self-service/status.service";
import { getRequest } from "../../src/server/open311/open311.service";
import { makeConstituent } from "../factories/constituent.factory";
import { clientAddress, makePublicRequest } from "../factories/public-request.factory";
import { makeCategory, makeCity } from "../factories/reference.factory";
import { dumpAllTables, openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import { createContext } from "../../graphql/context";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "star-public-uploads-"));
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(200, 7),
]);

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  process.env.STAR_ATTACHMENTS_DIR = dir;
  process.env.STAR_PUBLIC_SUBMIT_LIMIT = "3";
  process.env.STAR_PUBLIC_STATUS_LIMIT = "1000";
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  forgetPublicCategories();
});
afterAll(async () => {
  await ds.destroy();
  delete process.env.STAR_ATTACHMENTS_DIR;
  delete process.env.STAR_PUBLIC_SUBMIT_LIMIT;
  delete process.env.STAR_PUBLIC_STATUS_LIMIT;
  resetConfig();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function contactOf(referenceNumber: string): Promise<Contact> {
  return ds.getRepository(Contact).findOneByOrFail({ referenceNumber });
}

async function counts(): Promise<number[]> {
  return Promise.all(
    ["contact", "assignment", "constituent", "audit_event", "mail_outbox", "public_tracking_code"].map((t) =>
      rowCount(ds, t),
    ),
  );
}

async function answer(referenceNumber: string, body: string, kind = ResponseKind.RESPONSE): Promise<void> {
  const contact = await contactOf(referenceNumber);
  const a = await ds.getRepository(Assignment).findOneByOrFail({ contactId: contact.id, isLead: true });
  await respondToAssignment(ds, city.streetsStaff.viewer, {
    assignmentId: a.id,
    version: a.version,
    kind,
    body,
    channel: kind === ResponseKind.RESPONSE ? ResponseChannel.WEB : null,
  });
}

describe("the public request form", () => {
  it("routes a web request like any contact, with no staff author, and audits it with no viewer", async () => {
    const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id });
    const contact = await contactOf(receipt.referenceNumber);
    expect(contact).toMatchObject({ channel: "WEB", enteredById: null, publicRecordNoticeGiven: true });
    const lead = await ds.getRepository(Assignment).findOneByOrFail({ contactId: contact.id });
    expect(lead.departmentId).toBe(city.streets.id);
    expect(lead.dueAt).toEqual(receipt.dueAt);
    expect(receipt).toMatchObject({ status: "OPEN", departmentName: "Street Maintenance", language: "en" });
    const [event] = await ds.query(
      `SELECT actor_id, after FROM audit_event WHERE action = 'contact.submitted' AND entity_id = $1`,
      [contact.id],
    );
    expect(event.actor_id).toBeNull();
    expect(event.after.channel).toBe("WEB");
  });

  it("keeps only a hash of the tracking code", async () => {
    const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id });
    expect(receipt.trackingCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const rows: { code_hash: string }[] = await ds.query(
      `SELECT code_hash FROM public_tracking_code WHERE contact_id = $1`,
      [receipt.contactId],
    );
    expect(rows[0].code_hash).toBe(hashTrackingCode(receipt.trackingCode));
    expect(await dumpAllTables(ds)).not.toContain(receipt.trackingCode);
  });

  it("mails a receipt in the submitter's language through the outbox", async () => {
    const email = `lucia.${Date.now()}@example.org`;
    const receipt = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      email,
      language: Language.ES,
    });
    const [mail] = await ds.query(`SELECT kind, subject, body FROM mail_outbox WHERE to_address = $1`, [
      email,
    ]);
    expect(mail.kind).toBe("PUBLIC_RECEIPT");
    expect(mail.subject).toContain(`recibimos su solicitud ${receipt.referenceNumber}`);
    expect(mail.body).toContain(`Código de seguimiento: ${receipt.trackingCode}`);
    expect(mail.body).toContain(`Gracias por su reporte ${receipt.referenceNumber}.`);
    expect(mail.body).toContain("/es/request/status?ref=");
    expect(mail.body).toContain("Departamento: Mantenimiento de Calles");
    expect(receipt).toMatchObject({
      departmentName: "Street Maintenance",
      departmentNameEs: "Mantenimiento de Calles",
    });
    expect((await contactOf(receipt.referenceNumber)).language).toBe("es");
  });

  it("joins a known email to the constituent on file without changing or revealing the record", async () => {
    const person = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Octavia",
      lastName: "Brennan-Whitlock",
      email: "octavia.bw@example.org",
    });
    const before = await ds.getRepository(Constituent).count();
    const receipt = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      firstName: "Someone",
      lastName: "Else",
      email: "Octavia.BW@example.org",
    });
    const fresh = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      email: `new.person.${Date.now()}@example.org`,
    });
    expect((await contactOf(receipt.referenceNumber)).constituentId).toBe(person.id);
    expect(await ds.getRepository(Constituent).count()).toBe(before + 1);
    const kept = await ds.getRepository(Constituent).findOneByOrFail({ id: person.id });
    expect(kept).toMatchObject({
      firstName: "Octavia",
      lastName: "Brennan-Whitlock",
      version: person.version,
    });
    // Both receipts have the same shape: nothing says who was already on file.
    expect(Object.keys(receipt).sort()).toEqual(Object.keys(fresh).sort());
    expect(JSON.stringify(receipt)).not.toMatch(/Octavia|Brennan/);
  });

  it("stores no name for a confidential request, and a volunteered email only as its callback", async () => {
    const email = `quiet.${Date.now()}@example.net`;
    const receipt = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      confidential: true,
      firstName: null,
      lastName: null,
      email,
    });
    const contact = await contactOf(receipt.referenceNumber);
    expect(contact).toMatchObject({ confidential: true, constituentId: null });
    const [cb] = await ds.query(`SELECT email FROM confidential_callback WHERE contact_id = $1`, [
      contact.id,
    ]);
    expect(cb.email).toBe(email);
    expect(await ds.getRepository(Constituent).countBy({ email })).toBe(0);
  });

  it("refuses a name on a confidential request, and a named request without a name", async () => {
    const before = await counts();
    await expect(
      makePublicRequest(ds, { categoryId: city.pothole.id, confidential: true, firstName: "Ana" }),
    ).rejects.toMatchObject({ field: "firstName" });
    await expect(
      makePublicRequest(ds, { categoryId: city.pothole.id, firstName: null, lastName: null }),
    ).rejects.toMatchObject({ field: "lastName" });
    expect(await counts()).toEqual(before);
  });

  it.each([
    [
      "the public-record notice is not acknowledged",
      { publicRecordNoticeAcknowledged: false },
      "publicRecordNoticeAcknowledged",
    ],
    ["the description is empty", { description: "  " }, "description"],
    ["the description is too long", { description: "x".repeat(4001) }, "description"],
    ["there is no location", { locationAddress: null }, "locationAddress"],
    ["the email is not an email", { email: "not-an-email" }, "email"],
    ["the category does not exist", { categoryId: "9b2a3c4d-0000-4000-8000-000000000001" }, "categoryId"],
  ])("stores nothing when %s", async (_why, overrides, field) => {
    const before = await counts();
    const err = await makePublicRequest(ds, { categoryId: city.pothole.id, ...overrides }).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.field).toBe(field);
    expect(await counts()).toEqual(before);
  });

  it("refuses an inactive category", async () => {
    const retired = await makeCategory(ds, { departmentId: city.streets.id, active: false });
    await expect(makePublicRequest(ds, { categoryId: retired.id })).rejects.toMatchObject({
      field: "categoryId",
    });
  });

  it("limits submissions per client address, across every node (the count is in the database)", async () => {
    const address = clientAddress();
    for (let i = 0; i < 3; i++) await makePublicRequest(ds, { categoryId: city.pothole.id }, address);
    const before = await counts();
    const err = await makePublicRequest(ds, { categoryId: city.pothole.id }, address).catch((e) => e);
    expect(err.details).toMatchObject({ reason: "RATE_LIMITED" });
    expect(await counts()).toEqual(before);
    await expect(makePublicRequest(ds, { categoryId: city.pothole.id })).resolves.toBeTruthy();
    const stored: { client_hash: string }[] = await ds.query(`SELECT client_hash FROM public_rate_limit`);
    expect(JSON.stringify(stored)).not.toContain(address);
  });
});

describe("duplicate reports", () => {
  it("offers an open report at the same address, and adding oneself to it is answered by its lead", async () => {
    const first = await makePublicRequest(ds, {
      categoryId: city.leak.id,
      locationAddress: "1200 N Central Ave",
    });
    const hidden = await makePublicRequest(ds, {
      categoryId: city.leak.id,
      locationAddress: "1200 N Central Avenue",
      confidential: true,
      firstName: null,
      lastName: null,
    });
    const offered = await publicOpenReports(
      ds,
      { categoryId: city.leak.id, locationAddress: "1200 n central ave" },
      clientAddress(),
    );
    const refs = offered.map((o) => o.referenceNumber);
    expect(refs).toContain(first.referenceNumber);
    expect(refs).not.toContain(hidden.referenceNumber);
    expect(Object.keys(offered[0]).sort()).toEqual([
      "locationAddress",
      "receivedAt",
      "referenceNumber",
      "status",
    ]);

    const second = await makePublicRequest(ds, {
      categoryId: city.leak.id,
      locationAddress: "1200 N Central Ave",
      duplicateOfReference: first.referenceNumber,
    });
    const dup = await contactOf(second.referenceNumber);
    expect(dup.duplicateOfId).toBe(first.contactId);
    const own = await ds.getRepository(Assignment).findOneByOrFail({ contactId: dup.id });
    expect(own.status).toBe(AssignmentStatus.CANCELLED);
    expect(second.dueAt).toEqual(first.dueAt);
  });

  it("refuses to join a confidential report or one in another category", async () => {
    const hidden = await makePublicRequest(ds, {
      categoryId: city.leak.id,
      confidential: true,
      firstName: null,
      lastName: null,
    });
    const other = await makePublicRequest(ds, { categoryId: city.pothole.id });
    await expect(
      makePublicRequest(ds, { categoryId: city.leak.id, duplicateOfReference: hidden.referenceNumber }),
    ).rejects.toMatchObject({ field: "duplicateOfReference" });
    await expect(
      makePublicRequest(ds, { categoryId: city.leak.id, duplicateOfReference: other.referenceNumber }),
    ).rejects.toMatchObject({ field: "duplicateOfReference" });
  });
});

describe("the status page", () => {
  const PERSON = {
    firstName: "Evangelina",
    lastName: "Throckmorton",
    email: "evangelina.throckmorton@example.org",
    phone: "(602) 555-0147",
  };
  const SECRETS = ["Evangelina", "Throckmorton", "evangelina.throckmorton", "555-0147", "6025550147"];

  it("refuses an unknown reference and a wrong code with the same answer", async () => {
    const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id });
    const a = clientAddress();
    expect(await publicRequestStatus(ds, receipt.referenceNumber, "AAAA-AAAA-AAAA-AAAA", a)).toBeNull();
    expect(await publicRequestStatus(ds, "STAR-26-999999", receipt.trackingCode, a)).toBeNull();
    expect(await publicRequestStatus(ds, receipt.referenceNumber, "", a)).toBeNull();
    const ok = await publicRequestStatus(ds, receipt.referenceNumber, receipt.trackingCode.toLowerCase(), a);
    expect(ok).toMatchObject({ referenceNumber: receipt.referenceNumber, status: "OPEN" });
  });

  it.each([false, true])(
    "shows status and answers but no personal data (confidential: %s)",
    async (confidential) => {
      const receipt = await makePublicRequest(ds, {
        categoryId: city.pothole.id,
        confidential,
        ...(confidential
          ? { firstName: null, lastName: null, email: PERSON.email, phone: PERSON.phone }
          : PERSON),
      });
      await answer(
        receipt.referenceNumber,
        // A confidential request keeps no name, so its answer cannot greet one.
        `Dear ${confidential ? "resident" : `${PERSON.firstName} ${PERSON.lastName}`}, the crew filled the pothole. Call us at (602) 555-0147 ` +
          `or write to ${PERSON.email}.`,
      );
      await answer(receipt.referenceNumber, "Internal: the caller was rude.", ResponseKind.NOTE);
      const status = await publicRequestStatus(
        ds,
        receipt.referenceNumber,
        receipt.trackingCode,
        clientAddress(),
      );
      expect(status?.status).toBe("IN_PROGRESS");
      expect(status).toMatchObject({
        departmentName: "Street Maintenance",
        departmentNameEs: "Mantenimiento de Calles",
      });
      expect(status?.answers).toHaveLength(1);
      expect(status?.answers[0].body).toContain("the crew filled the pothole");
      expect(status?.answers[0].body).toContain(REDACTED);
      const text = JSON.stringify(status);
      for (const s of SECRETS) expect(text).not.toContain(s);
      expect(text).not.toContain("Internal");
      expect(text).not.toContain("W Washington St");
    },
  );

  it("shows a duplicate the answers of the report it joined, without the first reporter's name", async () => {
    const first = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      locationAddress: "77 E Van Buren St",
      ...PERSON,
    });
    const second = await makePublicRequest(ds, {
      categoryId: city.pothole.id,
      duplicateOfReference: first.referenceNumber,
    });
    await answer(first.referenceNumber, `Thank you ${PERSON.firstName}, the crew is on its way.`);
    const status = await publicRequestStatus(
      ds,
      second.referenceNumber,
      second.trackingCode,
      clientAddress(),
    );
    expect(status?.referenceNumber).toBe(second.referenceNumber);
    expect(status?.answers.map((a) => a.body)).toEqual([`Thank you ${REDACTED}, the crew is on its way.`]);
    for (const s of SECRETS) expect(JSON.stringify(status)).not.toContain(s);
  });

  it("is public over GraphQL and exposes no personal field", async () => {
    const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id, ...PERSON });
    const res = await gql(
      ds,
      null,
      `query ($r: String!, $c: String!) { requestStatus(referenceNumber: $r, trackingCode: $c) {
         referenceNumber status categoryName departmentName dueAt answers { body } } }`,
      { r: receipt.referenceNumber, c: receipt.trackingCode },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.requestStatus.referenceNumber).toBe(receipt.referenceNumber);
    for (const s of SECRETS) expect(JSON.stringify(res)).not.toContain(s);
  });

  describe("without a tracking code", () => {
    const ANSWER = "the crew filled the pothole";

    it.each([false, true])(
      "shows only what Open311 shows for the reference: no answers, language or personal data (confidential: %s)",
      async (confidential) => {
        const receipt = await makePublicRequest(ds, {
          categoryId: city.pothole.id,
          language: Language.ES,
          description: `Pothole in front of my house, call ${PERSON.phone}`,
          locationAddress: "4410 W Washington St",
          ...(confidential
            ? { confidential, firstName: null, lastName: null, email: PERSON.email, phone: PERSON.phone }
            : PERSON),
        });
        await answer(receipt.referenceNumber, `Dear resident, ${ANSWER}.`);
        const status = await publicRequestStatus(ds, receipt.referenceNumber, null, clientAddress());
        const [open311] = JSON.parse(await getRequest(ds, receipt.referenceNumber, "json"));

        expect(status).toMatchObject({
          referenceNumber: receipt.referenceNumber,
          status: "IN_PROGRESS",
          categoryName: city.pothole.name,
          departmentName: open311.agency_responsible,
          dueAt: receipt.dueAt,
          completedAt: null,
          language: null,
          trackingCodeMatched: false,
          answers: [],
        });
        expect(open311.service_name).toBe(status?.categoryName);
        const seconds = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;
        expect(Date.parse(String(open311.requested_datetime))).toBe(seconds(status!.receivedAt));
        expect(Date.parse(String(open311.updated_datetime))).toBe(seconds(status!.updatedAt));
        expect(Date.parse(String(open311.expected_datetime))).toBe(seconds(status!.dueAt!));
        const text = JSON.stringify(status);
        for (const s of [...SECRETS, ANSWER, "Pothole in front", "4410 W Washington", '"es"']) {
          expect(text).not.toContain(s);
        }
      },
    );

    it("gives no completion time for a closed request, which the tracking code shows", async () => {
      const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id, ...PERSON });
      const contact = await contactOf(receipt.referenceNumber);
      const lead = await ds
        .getRepository(Assignment)
        .findOneByOrFail({ contactId: contact.id, isLead: true });
      await respondToAssignment(ds, city.streetsStaff.viewer, {
        assignmentId: lead.id,
        version: lead.version,
        kind: ResponseKind.RESPONSE,
        body: `Thank you ${PERSON.firstName}, ${ANSWER}.`,
        channel: ResponseChannel.WEB,
        isFinal: true,
      });
      const without = await publicRequestStatus(ds, receipt.referenceNumber, null, clientAddress());
      const withCode = await publicRequestStatus(
        ds,
        receipt.referenceNumber,
        receipt.trackingCode,
        clientAddress(),
      );
      expect(without).toMatchObject({ status: "CLOSED", completedAt: null, answers: [] });
      const [open311] = JSON.parse(await getRequest(ds, receipt.referenceNumber, "json"));
      expect(open311.status).toBe("closed");
      expect(withCode?.completedAt).toBeInstanceOf(Date);
      expect(withCode).toMatchObject({ trackingCodeMatched: true, language: "en" });
      expect(withCode?.answers.map((a) => a.body)).toEqual([`Thank you ${REDACTED}, ${ANSWER}.`]);
      expect(without?.updatedAt.getTime()).toBe(withCode?.completedAt?.getTime());
    });

    it("answers an unknown reference with null, and a wrong or blank code still with null", async () => {
      const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id });
      const a = clientAddress();
      expect(await publicRequestStatus(ds, "STAR-26-999998", null, a)).toBeNull();
      expect(await publicRequestStatus(ds, "STAR-26-999998", undefined, a)).toBeNull();
      expect(await publicRequestStatus(ds, receipt.referenceNumber, "AAAA-AAAA-AAAA-AAAA", a)).toBeNull();
      expect(await publicRequestStatus(ds, receipt.referenceNumber, "  ", a)).toBeNull();
      expect(await publicRequestStatus(ds, receipt.referenceNumber, null, a)).toMatchObject({
        status: "OPEN",
      });
    });

    it("is rate-limited like a lookup with the code", async () => {
      const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id });
      process.env.STAR_PUBLIC_STATUS_LIMIT = "2";
      resetConfig();
      try {
        const a = clientAddress();
        await publicRequestStatus(ds, receipt.referenceNumber, null, a);
        await publicRequestStatus(ds, receipt.referenceNumber, receipt.trackingCode, a);
        for (const code of [null, receipt.trackingCode]) {
          await expect(publicRequestStatus(ds, receipt.referenceNumber, code, a)).rejects.toMatchObject({
            details: { reason: "RATE_LIMITED" },
          });
        }
      } finally {
        process.env.STAR_PUBLIC_STATUS_LIMIT = "1000";
        resetConfig();
      }
    });

    it("is public over GraphQL, where every field selected carries nothing personal and no answer", async () => {
      const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id, ...PERSON });
      await answer(receipt.referenceNumber, `Dear ${PERSON.firstName}, ${ANSWER}.`);
      const query = `query ($r: String!, $c: String) { requestStatus(referenceNumber: $r, trackingCode: $c) {
         referenceNumber status categoryName categoryNameEs departmentName receivedAt updatedAt dueAt
         completedAt language trackingCodeMatched answers { body sentAt isFinal } } }`;
      const res = await gql(ds, null, query, { r: receipt.referenceNumber });
      expect(res.errors).toBeUndefined();
      expect(res.data?.requestStatus).toMatchObject({
        referenceNumber: receipt.referenceNumber,
        status: "IN_PROGRESS",
        departmentName: "Street Maintenance",
        language: null,
        completedAt: null,
        trackingCodeMatched: false,
        answers: [],
      });
      for (const s of [...SECRETS, ANSWER]) expect(JSON.stringify(res)).not.toContain(s);
      const full = await gql(ds, null, query, { r: receipt.referenceNumber, c: receipt.trackingCode });
      expect(full.data?.requestStatus).toMatchObject({ trackingCodeMatched: true, language: "EN" });
      expect(full.data?.requestStatus.answers[0].body).toContain(ANSWER);
      const wrong = await gql(ds, null, query, { r: receipt.referenceNumber, c: "AAAA-AAAA-AAAA-AAAA" });
      expect(wrong.data?.requestStatus).toBeNull();
    });
  });
});

describe("submitServiceRequest over GraphQL", () => {
  const MUTATION = `mutation ($input: SubmitServiceRequestInput!) {
    submitServiceRequest(input: $input) { referenceNumber trackingCode trackingPath status departmentName } }`;

  async function submit(input: Record<string, unknown>, csrfValid = true) {
    const { getSchema } = await import("../../graphql/schema");
    const { createApolloServer } = await import("../../graphql/server");
    const server = createApolloServer(await getSchema());
    await server.start();
    const res = await server.executeOperation(
      { query: MUTATION, variables: { input } },
      { contextValue: createContext(ds, null, { clientAddress: clientAddress(), csrfValid }) },
    );
    await server.stop();
    if (res.body.kind !== "single") throw new Error("unexpected");
    return res.body.singleResult as { data?: Record<string, any>; errors?: { extensions?: any }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  const input = () => ({
    categoryId: city.pothole.id,
    description: "Pothole in the bike lane.",
    locationAddress: "200 W Jefferson St",
    language: "ES",
    lastName: "Okonkwo-Santillán",
    publicRecordNoticeAcknowledged: true,
  });

  it("answers the reference and a tracking link, for anyone", async () => {
    const res = await submit(input());
    expect(res.errors).toBeUndefined();
    const r = res.data?.submitServiceRequest;
    expect(r.trackingPath).toBe(
      `/es/request/status?ref=${r.referenceNumber}&code=${encodeURIComponent(r.trackingCode)}`,
    );
  });

  it("stores nothing without the form's CSRF token, or when the hidden field is filled in", async () => {
    const before = await counts();
    const noToken = await submit(input(), false);
    expect(noToken.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "CSRF" });
    const robot = await submit({ ...input(), website: "http://spam.example" });
    expect(robot.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "website" });
    expect(await counts()).toEqual(before);
  });

  it("is refused by a plain context with no request (never trusted by default)", async () => {
    const res = await gql(ds, null, MUTATION, { input: input() });
    expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
  });
});

describe("CSRF tokens", () => {
  it("accept only a signed token equal to the cookie", () => {
    const t = newCsrfToken();
    expect(csrfTokensMatch(t, t)).toBe(true);
    expect(csrfTokensMatch(t, newCsrfToken())).toBe(false);
    const forged = `${t.split(".")[0]}.AAAA`;
    expect(csrfTokensMatch(forged, forged)).toBe(false);
    expect(csrfTokensMatch(null, t)).toBe(false);
  });
});

describe("public uploads", () => {
  it("stores a photo with no uploader that nobody can download until it is sent, then links it", async () => {
    const a = await uploadPublicAttachment(
      ds,
      { fileName: "hole.png", stream: Readable.from([PNG]) },
      clientAddress(),
    );
    expect(a).toMatchObject({ contentType: "image/png", uploadedById: null, contactId: null });
    await expect(openAttachmentForDownload(ds, city.reviewer.viewer, a.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const receipt = await makePublicRequest(ds, { categoryId: city.pothole.id, attachmentIds: [a.id] });
    const linked = await ds.query(`SELECT contact_id FROM attachment WHERE id = $1`, [a.id]);
    expect(linked[0].contact_id).toBe(receipt.contactId);
    await expect(
      makePublicRequest(ds, { categoryId: city.pothole.id, attachmentIds: [a.id] }),
    ).rejects.toMatchObject({ field: "attachmentIds" });
  });

  it("refuses plain text and a staff upload, by content", async () => {
    await expect(
      uploadPublicAttachment(
        ds,
        { fileName: "photo.png", stream: Readable.from([Buffer.from("hello there")]) },
        clientAddress(),
      ),
    ).rejects.toMatchObject({ details: { reason: "UNSUPPORTED_TYPE" } });
  });
});

describe("the help page", () => {
  it("finds a category's standard answer from a question, in either language", async () => {
    const missed = await makeCategory(ds, {
      departmentId: city.streets.id,
      name: "Missed trash pickup",
      nameEs: "Recolección de basura no realizada",
      keywords: ["garbage", "bin"],
      standardResponse: "A truck will return within two business days.",
    });
    forgetPublicCategories();
    const en = await publicCategories(ds, "how do I report a missed pickup?");
    expect(en[0].id).toBe(missed.id);
    const es = await publicCategories(ds, "¿cómo reporto la basura?", Language.ES);
    expect(es[0].id).toBe(missed.id);
    expect(es[0]).toMatchObject({
      departmentName: "Street Maintenance",
      departmentNameEs: "Mantenimiento de Calles",
    });
    expect(Object.keys(en[0]).sort()).toEqual(
      [
        "code",
        "departmentName",
        "departmentNameEs",
        "description",
        "descriptionEs",
        "id",
        "keywords",
        "name",
        "nameEs",
        "standardResponse",
        "standardResponseEs",
      ].sort(),
    );
  });

  it("is public over GraphQL", async () => {
    const res = await gql(ds, null, `{ publicCategories(query: "pothole") { id name standardResponse } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.publicCategories.map((c: { id: string }) => c.id)).toContain(city.pothole.id);
  });
});

it("submitPublicRequest takes an Open311 source too, without the web form's rate limit", async () => {
  const receipt = await submitPublicRequest(
    ds,
    {
      categoryId: city.pothole.id,
      description: "Reported from an app",
      locationLat: 33.4484,
      locationLong: -112.074,
      confidential: true,
      publicRecordNoticeAcknowledged: true,
    },
    { channel: Channel.OPEN311, apiKeyId: null, clientAddress: null },
  );
  expect((await contactOf(receipt.referenceNumber)).channel).toBe("OPEN311");
});
