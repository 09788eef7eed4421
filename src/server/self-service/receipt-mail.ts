import type { EntityManager } from "typeorm";
import { Language } from "../../../entities";
import { config } from "../config/config";
import { insertMail, outboxRow, type OutboxRow } from "../mail/outbox.service";

export interface ReceiptFacts {
  to: string;
  language: Language;
  referenceNumber: string;
  trackingCode: string;
  categoryName: string;
  departmentName: string;
  dueAt: Date | null;
  standardResponse: string;
}

/** The public status page for one request. */
export function trackingPath(referenceNumber: string, trackingCode: string, language: Language): string {
  const q = new URLSearchParams({ ref: referenceNumber, code: trackingCode });
  return `${language === Language.ES ? "/es" : ""}/request/status?${q.toString()}`;
}

/** As trackingPath, absolute when the site's public URL is known. */
export function trackingLink(referenceNumber: string, trackingCode: string, language: Language): string {
  const base = config().NEXTAUTH_URL?.replace(/\/+$/, "") ?? "";
  return `${base}${trackingPath(referenceNumber, trackingCode, language)}`;
}

// Making a formatter costs more than the rest of the receipt: one per language and zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function formatDay(at: Date, language: Language): string {
  const timeZone = config().STAR_TIME_ZONE;
  const key = `${language}:${timeZone}`;
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === Language.ES ? "es-US" : "en-US", {
      timeZone,
      weekday: "long",
      month: "long",
      day: "numeric",
      year: "numeric",
    });
    dayFormats.set(key, f);
  }
  return f.format(at);
}

/** The receipt in the constituent's language. It carries no name: the mailbox may not be theirs alone. */
export function receiptText(f: ReceiptFacts): { subject: string; text: string } {
  const city = config().STAR_CITY_NAME;
  const standard = f.standardResponse.replaceAll("{referenceNumber}", f.referenceNumber).trim();
  const link = trackingLink(f.referenceNumber, f.trackingCode, f.language);
  if (f.language === Language.ES) {
    return {
      subject: `${city}: recibimos su solicitud ${f.referenceNumber}`,
      text: [
        `Gracias por comunicarse con ${city}.`,
        "",
        `Número de referencia: ${f.referenceNumber}`,
        `Código de seguimiento: ${f.trackingCode}`,
        `Tema: ${f.categoryName}`,
        `Departamento: ${f.departmentName}`,
        ...(f.dueAt ? [`Fecha prevista de respuesta: ${formatDay(f.dueAt, f.language)}`] : []),
        "",
        `Consulte el estado y las respuestas aquí: ${link}`,
        "Guarde el código de seguimiento: lo necesitará para consultar su solicitud.",
        ...(standard ? ["", standard] : []),
        "",
        "Lo que envió puede divulgarse en respuesta a una solicitud de registros públicos.",
      ].join("\n"),
    };
  }
  return {
    subject: `${city}: we received your request ${f.referenceNumber}`,
    text: [
      `Thank you for contacting ${city}.`,
      "",
      `Reference number: ${f.referenceNumber}`,
      `Tracking code: ${f.trackingCode}`,
      `Topic: ${f.categoryName}`,
      `Department: ${f.departmentName}`,
      ...(f.dueAt ? [`Expected answer by: ${formatDay(f.dueAt, f.language)}`] : []),
      "",
      `See the status and answers here: ${link}`,
      "Keep the tracking code: you need it to look up your request.",
      ...(standard ? ["", standard] : []),
      "",
      "What you submitted may be released under a public records request.",
    ].join("\n"),
  };
}

/** Into the outbox, inside the intake transaction: a refused or rolled-back submission sends nothing. */
export async function enqueueReceipt(em: EntityManager, f: ReceiptFacts): Promise<void> {
  const { subject, text } = receiptText(f);
  await insertMail(em, { to: f.to, subject, text, kind: "PUBLIC_RECEIPT" }, `receipt:${f.referenceNumber}`);
}

/** As enqueueReceipt, as a row for a caller that writes its mail in its own statement. */
export function receiptRow(f: ReceiptFacts): OutboxRow {
  const { subject, text } = receiptText(f);
  return outboxRow({ to: f.to, subject, text, kind: "PUBLIC_RECEIPT" }, `receipt:${f.referenceNumber}`);
}
