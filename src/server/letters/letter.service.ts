import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { EntityManager } from "typeorm";
import { Attachment, Constituent, Contact, Department, Language } from "../../../entities";
import { sniffSignature } from "../attachments/sniff";
import { newStorageKey, storage } from "../storage/storage";
import { LETTER_TEXT, letterhead, type LetterLanguage, type Letterhead } from "./letterhead";

export interface LetterRecipient {
  name: string | null;
  addressLines: string[];
}

export interface LetterContent {
  referenceNumber: string;
  date: Date;
  language: LetterLanguage;
  /** Null for a confidential request: its letter names no one and shows no address. */
  recipient: LetterRecipient | null;
  body: string;
  departmentName: string;
}

// WinAnsi's printable characters above Latin-1's control range (0x80-0x9F), which Helvetica can draw.
const WIN_ANSI_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
const WIN_ANSI = new Set<number>([
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i),
  ...Array.from({ length: 0x100 - 0xa0 }, (_, i) => 0xa0 + i),
  ...[...WIN_ANSI_EXTRA].map((c) => c.codePointAt(0)!),
]);
const LOOKALIKES: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2212": "-",
  "\u2032": "'",
  "\u2033": '"',
  "\u00AD": "",
  "\u200B": "",
  "\uFEFF": "",
};

/**
 * Text the standard fonts can draw: accents of English and Spanish stay as they are; other letters lose
 * their marks ("ő" -> "o"), and anything else (emoji, other scripts, control characters) becomes "?".
 */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\r\n?/g, "\n").replace(/\t/g, "    ")) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\n" || WIN_ANSI.has(cp)) out += ch;
    else if (ch in LOOKALIKES) out += LOOKALIKES[ch];
    else {
      const bare = ch.normalize("NFD").replace(/\p{M}/gu, "");
      out += bare && [...bare].every((c) => WIN_ANSI.has(c.codePointAt(0)!)) ? bare : "?";
    }
  }
  return out;
}

/** Breaks text into lines no wider than `width`; a word too long for a line is split. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = "";
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

const PAGE: [number, number] = [612, 792]; // US Letter, in points
const MARGIN = 72;
const BODY_SIZE = 11;
const LEADING = 15;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);

/** A response letter on the city's letterhead, as PDF bytes. */
export async function renderLetterPdf(
  content: LetterContent,
  head: Letterhead = letterhead(),
): Promise<Uint8Array> {
  const words = LETTER_TEXT[content.language];
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = PAGE[0] - 2 * MARGIN;
  const city = toWinAnsi(head.cityName);
  const reference = toWinAnsi(content.referenceNumber);
  doc.setTitle(`${city}: ${reference}`);
  doc.setSubject(`${words.reference} ${reference}`);
  doc.setAuthor(toWinAnsi(content.departmentName));
  doc.setCreator("STAR");
  doc.setProducer("STAR");
  doc.setCreationDate(content.date);
  doc.setModificationDate(content.date);

  let page: PDFPage = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const draw = (text: string, font = regular, size = BODY_SIZE, color = INK) => {
    if (y < MARGIN + LEADING) {
      page = doc.addPage(PAGE);
      y = PAGE[1] - MARGIN;
      page.drawText(`${city} - ${words.reference} ${reference}`, {
        x: MARGIN,
        y,
        size: 9,
        font: regular,
        color: MUTED,
      });
      y -= 2 * LEADING;
    }
    page.drawText(text, { x: MARGIN, y, size, font, color });
    y -= size > BODY_SIZE ? size + 6 : LEADING;
  };
  const paragraph = (text: string, font = regular) => {
    for (const line of wrapText(toWinAnsi(text), font, BODY_SIZE, width)) draw(line, font);
  };

  draw(city, bold, 18);
  const headLines = [
    ...(head.address ?? "").split(/\s*(?:\||\n)\s*/).filter(Boolean),
    ...(head.phone ? [`${words.phone}: ${head.phone}`] : []),
  ];
  for (const line of headLines) draw(toWinAnsi(line), regular, 9, MUTED);
  y -= 4;
  page.drawLine({
    start: { x: MARGIN, y: y + 8 },
    end: { x: PAGE[0] - MARGIN, y: y + 8 },
    thickness: 0.75,
    color: MUTED,
  });
  y -= LEADING;

  const locale = content.language === "es" ? "es-US" : "en-US";
  draw(new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: head.timeZone }).format(content.date));
  y -= LEADING;
  if (content.recipient) {
    if (content.recipient.name) paragraph(content.recipient.name);
    for (const line of content.recipient.addressLines) paragraph(line);
    y -= LEADING;
  }
  paragraph(`${words.reference}: ${content.referenceNumber}`, bold);
  y -= LEADING;
  paragraph(words.salutation(content.recipient?.name ?? null));
  y -= LEADING / 2;
  paragraph(content.body.trim());
  y -= LEADING;
  paragraph(words.closing);
  y -= LEADING;
  paragraph(content.departmentName, bold);
  paragraph(head.cityName);
  return doc.save();
}

function recipientOf(constituent: Constituent): LetterRecipient {
  const name =
    [constituent.firstName, constituent.lastName].filter(Boolean).join(" ") ||
    constituent.organization ||
    null;
  const place = [[constituent.city, constituent.state].filter(Boolean).join(", "), constituent.postalCode]
    .filter(Boolean)
    .join(" ");
  return {
    name,
    addressLines: [constituent.addressLine1, constituent.addressLine2, place].filter((l): l is string => !!l),
  };
}

export interface ResponseLetterCommand {
  responseId: string;
  contactId: string;
  departmentId: string;
  body: string;
  sentAt: Date;
  authorId: string;
}

/**
 * Renders the response as a letter, stores it and records it as an attachment of the response and its
 * contact, inside the caller's transaction. The storage key is pushed to `stored` before the row is
 * written, so a caller whose transaction fails can delete the object and leave nothing behind.
 */
export async function storeResponseLetter(
  em: EntityManager,
  input: ResponseLetterCommand,
  stored: string[],
): Promise<Attachment> {
  const contact = await em.getRepository(Contact).findOneByOrFail({ id: input.contactId });
  const department = await em.getRepository(Department).findOneByOrFail({ id: input.departmentId });
  const constituent =
    !contact.confidential && contact.constituentId
      ? await em.getRepository(Constituent).findOneBy({ id: contact.constituentId })
      : null;
  const bytes = await renderLetterPdf({
    referenceNumber: contact.referenceNumber,
    date: input.sentAt,
    language: contact.language === Language.ES ? "es" : "en",
    recipient: constituent ? recipientOf(constituent) : null,
    body: input.body,
    departmentName: department.name,
  });
  // The same rule as an upload: the stored type is what the bytes are.
  const contentType = sniffSignature(bytes);
  if (contentType !== "application/pdf") throw new Error("the rendered letter is not a PDF");

  const key = newStorageKey();
  stored.push(key);
  await storage().put(key, Readable.from([Buffer.from(bytes)]));
  return em.getRepository(Attachment).save(
    em.create(Attachment, {
      contactId: contact.id,
      responseId: input.responseId,
      fileName: `${contact.referenceNumber}-response-letter.pdf`,
      contentType,
      sizeBytes: bytes.byteLength,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      storageKey: key,
      uploadedById: input.authorId,
    }),
  );
}

/** Removes objects stored for a transaction that did not commit. */
export async function discardStored(keys: string[], onError: (err: unknown, key: string) => void) {
  await Promise.all(
    keys.map((key) =>
      storage()
        .delete(key)
        .catch((err: unknown) => onError(err, key)),
    ),
  );
}
