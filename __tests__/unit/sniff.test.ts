import { SNIFF_BYTES, TextChecker, sniff } from "../../src/server/attachments/sniff";
import { sanitizeFileName } from "../../src/server/attachments/attachment.service";
import { contentDisposition } from "../../src/server/attachments/download-headers";

const b = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
const filler = Buffer.alloc(64, 0x00);

describe("sniff", () => {
  it.each([
    ["application/pdf", b("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), filler],
    ["image/png", b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "\0\0\0\rIHDR"), filler],
    ["image/jpeg", b([0xff, 0xd8, 0xff, 0xe0], "\0\x10JFIF\0"), filler],
    ["image/gif", b("GIF89a", [0x01, 0x00, 0x01, 0x00]), filler],
    ["image/gif", b("GIF87a", [0x01, 0x00, 0x01, 0x00]), filler],
    ["image/tiff", b([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), filler],
    ["image/tiff", b([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]), filler],
    ["image/webp", b("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "), filler],
    ["image/heic", b([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0], "mif1heic"), filler],
    ["image/heif", b([0, 0, 0, 0x18], "ftypmif1", [0, 0, 0, 0], "mif1heic"), filler],
  ])("recognises %s from its first bytes", (type, head, rest) => {
    expect(sniff(Buffer.concat([head, rest]))).toBe(type);
  });

  it("recognises plain text, with accents, tabs, line breaks and a byte-order mark", () => {
    expect(sniff(Buffer.from("Dear city,\r\n\tthe streetlight on Calle Señora is out.\f\n"))).toBe(
      "text/plain",
    );
    expect(sniff(Buffer.from("\uFEFFMuchas gracias. 😀\n"))).toBe("text/plain");
  });

  it.each([
    ["a Windows executable renamed to .pdf", b("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0")],
    ["an ELF binary renamed to .pdf", b("\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0")],
    ["a zip archive renamed to .pdf", b("PK\x03\x04\x14\0\0\0\x08\0", "word/document.xml")],
    ["HTML with a NUL byte renamed to .pdf", b("hello <b>there</b>\0<script>alert(1)</script>")],
    ["an HTML page", b("<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>")],
    ["an SVG image", b('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>')],
    ["an XML document", b('<?xml version="1.0"?><a/>')],
    ["invalid UTF-8", b("caf\xe9 au lait, latin-1 encoded")],
    ["UTF-16 text (NUL bytes)", Buffer.from("\uFEFFhello", "utf16le")],
    ["text full of control characters", b("ab\x01\x02\x03\x04cd\x05\x06\x07\x08")],
    ["an empty file", Buffer.alloc(0)],
    ["a truncated PNG signature", b([0x89, 0x50, 0x4e])],
    ["RIFF that is not WebP (a WAV file)", b("RIFF", [0x24, 0, 0, 0], "WAVEfmt ", [0x10, 0, 0, 0, 1, 0])],
    ["an MP4 video", b([0, 0, 0, 0x18], "ftypisom", [0, 0, 2, 0], "isomiso2")],
  ])("refuses %s", (_what, content) => {
    expect(sniff(content)).toBeNull();
  });
});

describe("TextChecker", () => {
  it("accepts a multi-byte character split across chunks", () => {
    const bytes = Buffer.from("año ñandú");
    const t = new TextChecker();
    for (let i = 0; i < bytes.length; i++) expect(t.push(bytes.subarray(i, i + 1))).toBe(true);
    expect(t.end()).toBe(true);
  });

  it("refuses text that turns binary after the first bytes", () => {
    const t = new TextChecker();
    expect(t.push(Buffer.from("x".repeat(SNIFF_BYTES)))).toBe(true);
    expect(t.push(Buffer.from([0x41, 0x00, 0x42]))).toBe(false);
    expect(t.end()).toBe(false);
  });

  it("refuses text that ends in the middle of a character", () => {
    const t = new TextChecker();
    t.push(Buffer.from("ok \xe2\x82", "latin1"));
    expect(t.end()).toBe(false);
  });
});

describe("sanitizeFileName", () => {
  it("keeps only the last path segment", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("C:\\Users\\clerk\\Scans\\fax 12.tif")).toBe("fax 12.tif");
  });

  it("drops control characters and direction overrides", () => {
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFileName("a\r\nb\u0000.txt")).toBe("ab.txt");
  });

  it("cuts long names to 255 characters, keeping the extension", () => {
    const long = `${"é".repeat(300)}.pdf`;
    const name = sanitizeFileName(long);
    expect([...name]).toHaveLength(255);
    expect(name.endsWith(".pdf")).toBe(true);
  });

  it("names a nameless upload", () => {
    expect(sanitizeFileName(undefined)).toBe("attachment");
    expect(sanitizeFileName("  /  ")).toBe("attachment");
  });
});

describe("contentDisposition", () => {
  it("always asks for a download, with the name in UTF-8 and an ASCII fallback", () => {
    expect(contentDisposition('Carta "final" señora.pdf')).toBe(
      `attachment; filename="Carta _final_ se_ora.pdf"; filename*=UTF-8''Carta%20%22final%22%20se%C3%B1ora.pdf`,
    );
  });
});
