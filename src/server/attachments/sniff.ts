/**
 * The type of an upload, decided from its bytes alone: the file name's extension is never consulted.
 * Only what the city needs is accepted (letters, faxes, photos, plain text); anything else is refused.
 */
export const ACCEPTED_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/tiff",
  "image/webp",
  "image/heic",
  "image/heif",
  "text/plain",
] as const;

export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

/** Enough for every signature and a fair look at text. */
export const SNIFF_BYTES = 4096;

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const bytes = (b: Uint8Array, at: number, sig: readonly number[]) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx"]);
const HEIF_BRANDS = new Set(["mif1", "msf1"]);

/** A binary format recognised by its magic number, or null. */
export function sniffSignature(head: Uint8Array): AcceptedType | null {
  if (ascii(head, 0, "%PDF-")) return "application/pdf";
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return "image/gif";
  // Fax machines and scanners write TIFF in either byte order.
  if (bytes(head, 0, [0x49, 0x49, 0x2a, 0x00]) || bytes(head, 0, [0x4d, 0x4d, 0x00, 0x2a]))
    return "image/tiff";
  if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return "image/webp";
  if (ascii(head, 4, "ftyp") && head.length >= 12) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (HEIC_BRANDS.has(brand)) return "image/heic";
    if (HEIF_BRANDS.has(brand)) return "image/heif";
  }
  return null;
}

const MARKUP = /^(?:\uFEFF)?\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml)[\s>/]/i;

/**
 * Markup is not plain text: a page or an SVG saved as .txt is refused rather than stored, even though
 * downloads are served with nosniff and as attachments.
 */
export function looksLikeMarkup(head: Uint8Array): boolean {
  return MARKUP.test(new TextDecoder("utf-8", { fatal: false }).decode(head.subarray(0, 512)));
}

/**
 * Plain text, checked incrementally over the whole upload: valid UTF-8, no NUL byte, and control
 * characters (other than tab, line feed, form feed and carriage return) in at most 1 in 100 characters.
 */
export class TextChecker {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private chars = 0;
  private controls = 0;
  private failed = false;

  /** Feeds the next bytes; false once the content can no longer be plain text. */
  push(chunk: Uint8Array): boolean {
    if (this.failed) return false;
    try {
      this.count(this.decoder.decode(chunk, { stream: true }));
    } catch {
      this.failed = true;
    }
    return !this.failed;
  }

  /** Whether everything fed so far, taken as the complete content, is plain text. */
  end(): boolean {
    if (this.failed) return false;
    try {
      this.count(this.decoder.decode());
    } catch {
      this.failed = true;
      return false;
    }
    return this.chars > 0 && this.controls * 100 <= this.chars;
  }

  get ok(): boolean {
    return !this.failed;
  }

  private count(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0) {
        this.failed = true;
        return;
      }
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) {
        this.controls++;
      }
    }
    this.chars += text.length;
  }
}

/** The type of a complete content (or of its first bytes, when that is all there is), or null: refused. */
export function sniff(content: Uint8Array): AcceptedType | null {
  const signature = sniffSignature(content);
  if (signature) return signature;
  if (looksLikeMarkup(content)) return null;
  const text = new TextChecker();
  text.push(content);
  return text.end() ? "text/plain" : null;
}
