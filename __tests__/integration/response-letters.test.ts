import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { PDFDocument } from "pdf-lib";
import type { DataSource } from "typeorm";
import { Attachment } from "../../entities";
import { sniff } from "../../src/server/attachments/sniff";
import { storage } from "../../src/server/storage/storage";
import { makeConstituent } from "../factories/constituent.factory";
import { makeAssignment } from "../factories/assignment.factory";
import { makeCity } from "../factories/reference.factory";
import { settingsForThisFile, tempDirForThisFile } from "../support/settings";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import { pdfText } from "../support/pdf";
import { errorCodes, gql } from "../support/graphql";

const dir = tempDirForThisFile("star-letters-");
settingsForThisFile({ STAR_ATTACHMENTS_DIR: dir, STAR_CITY_NAME: "City of Testville" });

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
});
afterAll(() => ds.destroy());

const RESPOND = `mutation($input: RespondToAssignmentInput!) { respondToAssignment(input: $input) {
  id attachments { id fileName contentType sizeBytes sha256 downloadUrl } } }`;
const SCREEN = `query($ref: String!) { contact(referenceNumber: $ref) { attachments { id }
  assignments { responses { id attachments { id fileName contentType } } } } }`;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Stored objects, ignoring the folder for partial writes. */
function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === ".tmp") continue;
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.join(d, e.name));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

const letterInput = (assignmentId: string, extra: Record<string, unknown> = {}) => ({
  input: {
    assignmentId,
    version: 1,
    kind: "RESPONSE",
    channel: "LETTER",
    body: "The pothole in front of the library was filled on Monday.",
    isFinal: true,
    generateLetter: true,
    ...extra,
  },
});

describe("generated response letters", () => {
  it("stores the letter as a PDF attachment of the response and its contact", async () => {
    const constituent = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Ana",
      lastName: "Núñez",
      addressLine1: "12 Elm St",
      city: "Testville",
      state: "AZ",
      postalCode: "85001",
    });
    const { assignment, contact } = await makeAssignment(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      contact: { constituentId: constituent.id },
    });
    const res = await gql(ds, city.streetsStaff.viewer, RESPOND, letterInput(assignment.id));
    expect(res.errors).toBeUndefined();
    const response = res.data!.respondToAssignment;
    expect(response.attachments).toEqual([
      expect.objectContaining({
        fileName: `${contact.referenceNumber}-response-letter.pdf`,
        contentType: "application/pdf",
      }),
    ]);

    const row = await ds.getRepository(Attachment).findOneByOrFail({ id: response.attachments[0].id });
    expect(row).toMatchObject({
      contactId: contact.id,
      responseId: response.id,
      uploadedById: city.streetsStaff.id,
    });
    const bytes = await bytesOf(await storage().get(row.storageKey));
    expect(sniff(bytes)).toBe("application/pdf");
    expect(row.sizeBytes).toBe(bytes.length);
    expect(row.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
    const text = await pdfText(bytes);
    expect(text).toContain("City of Testville");
    expect(text).toContain("Ana Núñez");
    expect(text).toContain("12 Elm St");
    expect(text).toContain(contact.referenceNumber);
    expect(text).toContain("Street Maintenance");

    // The constituent screen shows it under the response, and among the contact's documents.
    const screen = await gql(ds, city.reviewer.viewer, SCREEN, { ref: contact.referenceNumber });
    expect(screen.data!.contact.assignments[0].responses[0].attachments).toEqual([
      expect.objectContaining({ id: row.id, contentType: "application/pdf" }),
    ]);
    expect(screen.data!.contact.attachments.map((a: { id: string }) => a.id)).toContain(row.id);

    const [event] = await ds.query(`SELECT after FROM audit_event WHERE entity_id = $1`, [response.id]);
    expect(event.after.letterAttachmentId).toBe(row.id);
  });

  it("names no one and shows no address in a confidential request's letter, and hides it from analysts", async () => {
    const { assignment, contact } = await makeAssignment(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      contact: { confidential: true },
    });
    const res = await gql(ds, city.streetsStaff.viewer, RESPOND, letterInput(assignment.id));
    expect(res.errors).toBeUndefined();
    const row = await ds.getRepository(Attachment).findOneByOrFail({
      id: res.data!.respondToAssignment.attachments[0].id,
    });
    const text = await pdfText(await bytesOf(await storage().get(row.storageKey)));
    expect(text).toContain(contact.referenceNumber);
    expect(text).toContain("Dear resident,");
    expect(text).not.toMatch(/Pat|Resident\d/);

    const asAnalyst = await gql(ds, city.analyst.viewer, SCREEN, { ref: contact.referenceNumber });
    expect(asAnalyst.errors).toBeUndefined();
    expect(asAnalyst.data!.contact.attachments).toEqual([]);
    expect(asAnalyst.data!.contact.assignments[0].responses).toEqual([
      expect.objectContaining({ attachments: [] }),
    ]);
    expect(JSON.stringify(asAnalyst)).not.toContain(row.id);
  });

  it("keeps neither a row nor a stored object when the response is refused after the letter was made", async () => {
    const silent = await makeConstituent(ds, city.intake.viewer, { email: null, phone: "602-555-0142" });
    const { assignment } = await makeAssignment(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      contact: { constituentId: silent.id },
    });
    const files = storedFiles().length;
    const put = jest.spyOn(storage(), "put");
    const removed = jest.spyOn(storage(), "delete");
    const attachments = await rowCount(ds, "attachment");
    const res = await gql(
      ds,
      city.streetsStaff.viewer,
      RESPOND,
      letterInput(assignment.id, { channel: "EMAIL" }),
    );
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("channel");
    expect(await rowCount(ds, "attachment")).toBe(attachments);
    expect(storedFiles().length).toBe(files);
    expect(put).toHaveBeenCalledTimes(1);
    expect(removed).toHaveBeenCalledWith(put.mock.calls[0][0]);
    put.mockRestore();
    removed.mockRestore();
  });

  it("refuses a letter for an internal note", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    const responses = await rowCount(ds, "response");
    const res = await gql(
      ds,
      city.streetsStaff.viewer,
      RESPOND,
      letterInput(assignment.id, { kind: "NOTE", channel: null, isFinal: false }),
    );
    expect(errorCodes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0].extensions!.field).toBe("generateLetter");
    expect(await rowCount(ds, "response")).toBe(responses);
  });
});

const REISSUE = `mutation($input: ReissueResponseLetterInput!) { reissueResponseLetter(input: $input) {
  id fileName contentType } }`;

describe("reissued response letters", () => {
  it("generates the letter again with the corrected address, keeping the letter first sent", async () => {
    const constituent = await makeConstituent(ds, city.intake.viewer, {
      firstName: "Ana",
      lastName: "Reyes",
      addressLine1: "12 Elm St",
      city: "Testville",
      state: "AZ",
      postalCode: "85001",
    });
    const { assignment } = await makeAssignment(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      contact: { constituentId: constituent.id },
    });
    const sent = await gql(ds, city.streetsStaff.viewer, RESPOND, letterInput(assignment.id));
    const response = sent.data!.respondToAssignment;
    await ds.query(`UPDATE constituent SET address_line1 = '48 Oak Ave' WHERE id = $1`, [constituent.id]);

    const res = await gql(ds, city.streetsStaff.viewer, REISSUE, {
      input: { responseId: response.id, reason: "The address was corrected." },
    });
    expect(res.errors).toBeUndefined();
    const again = res.data!.reissueResponseLetter;
    expect(again.contentType).toBe("application/pdf");
    const rows = await ds.getRepository(Attachment).find({
      where: { responseId: response.id },
      order: { createdAt: "ASC" },
    });
    expect(rows.map((r) => r.id)).toEqual([response.attachments[0].id, again.id]);
    const first = await pdfText(await bytesOf(await storage().get(rows[0].storageKey)));
    const second = await pdfText(await bytesOf(await storage().get(rows[1].storageKey)));
    expect([
      first.includes("12 Elm St"),
      second.includes("48 Oak Ave"),
      second.includes("12 Elm St"),
    ]).toEqual([true, true, false]);
    expect(second).toContain("The pothole in front of the library was filled on Monday.");
    const [event] = await ds.query(
      `SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'letter.reissued'`,
      [response.id],
    );
    expect(event.after).toEqual({
      letterAttachmentId: again.id,
      earlierPdfIds: [response.attachments[0].id],
      reason: "The address was corrected.",
    });
  });

  it("refuses a note, a missing reason, and another department's response", async () => {
    const { assignment } = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
    const note = await gql(ds, city.streetsStaff.viewer, RESPOND, {
      input: { assignmentId: assignment.id, version: 1, kind: "NOTE", body: "Crew scheduled." },
    });
    const noteId = note.data!.respondToAssignment.id;
    const asNote = await gql(ds, city.streetsStaff.viewer, REISSUE, {
      input: { responseId: noteId, reason: "Reprint." },
    });
    expect(asNote.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "responseId" } });
    const noReason = await gql(ds, city.streetsStaff.viewer, REISSUE, {
      input: { responseId: noteId, reason: "  " },
    });
    expect(noReason.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "reason" } });
    const other = await gql(ds, city.waterStaff.viewer, REISSUE, {
      input: { responseId: noteId, reason: "Reprint." },
    });
    expect(errorCodes(other)).toEqual(["NOT_FOUND"]);
    // Roles that do not answer on assignments reach no letter at all.
    for (const viewer of [city.analyst.viewer, city.intake.viewer, city.admin.viewer]) {
      const refused = await gql(ds, viewer, REISSUE, { input: { responseId: noteId, reason: "Reprint." } });
      expect(errorCodes(refused)).toEqual(["FORBIDDEN"]);
    }
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM attachment WHERE response_id = $1`, [
      noteId,
    ]);
    expect(n).toBe(0);
  });
});
