import { PDFDocument, PDFRawStream, decodePDFRawStream } from "pdf-lib";

/** The text drawn with the standard fonts (hex strings shown by Tj), page streams decoded. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const parts: string[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream)) continue;
    const content = Buffer.from(decodePDFRawStream(obj).decode()).toString("latin1");
    for (const m of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
      parts.push(Buffer.from(m[1], "hex").toString("latin1"));
  }
  return parts.join("\n");
}
