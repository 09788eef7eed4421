import type { EntityManager } from "typeorm";
import { Language } from "../../../entities";
import { config } from "../config/config";
import { insertMail } from "../mail/outbox.service";

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

function formatDay(at: Date, language: Language): string {
  return new Intl.DateTimeFormat(language === Language.ES ? "es-US" : "en-US", {
    timeZone: config().STAR_TIME_ZONE,
    weekday: "long",
    month: "long",
    day: "numeric",
    year: "numeric",
  }).format(at);
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
