import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { DomainError, ErrorCode } from "../errors/domain-error";
import { SNIFF_BYTES, TextChecker, looksLikeMarkup, sniffSignature, type AcceptedType } from "./sniff";

export const tooLarge = (maxBytes: number) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, `file: must be at most ${maxBytes} bytes`, "file", {
    reason: "TOO_LARGE",
    maxBytes,
  });

export const unsupportedType = () =>
  new DomainError(
    ErrorCode.BAD_USER_INPUT,
    "file: must be a PDF, an image (PNG, JPEG, GIF, TIFF, WebP, HEIC) or plain text",
    "file",
    { reason: "UNSUPPORTED_TYPE" },
  );

/**
 * Passes an upload through unchanged while hashing and counting it, and fails the stream as soon as it
 * is too large or cannot be an accepted type, so the store never keeps the rest. Text is checked to
 * the last byte; binary formats by their signature.
 */
export class UploadMeter extends Transform {
  readonly hash = createHash("sha256");
  size = 0;
  contentType: AcceptedType | null = null;
  /** The reason the stream failed, when it was this meter that failed it. */
  failure: DomainError | null = null;

  private head: Buffer[] = [];
  private headSize = 0;
  private decided = false;
  private readonly text = new TextChecker();

  constructor(
    private readonly maxBytes: number,
    /** Narrower than every accepted type, e.g. photos and PDFs only from the public form. */
    private readonly only: readonly AcceptedType[] | null = null,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(this.fail(tooLarge(this.maxBytes)));
    this.hash.update(chunk);
    if (!this.decided || this.contentType === "text/plain") this.text.push(chunk);
    if (!this.decided) {
      this.head.push(chunk);
      this.headSize += chunk.length;
      if (this.headSize >= SNIFF_BYTES && !this.decide()) return done(this.fail(unsupportedType()));
    } else if (this.contentType === "text/plain" && !this.text.ok) {
      return done(this.fail(unsupportedType()));
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size === 0) {
      return done(this.fail(new DomainError(ErrorCode.BAD_USER_INPUT, "file: is empty", "file")));
    }
    if (!this.decided && !this.decide()) return done(this.fail(unsupportedType()));
    if (this.contentType === "text/plain" && !this.text.end()) return done(this.fail(unsupportedType()));
    done();
  }

  private decide(): boolean {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.decided = true;
    this.contentType = sniffSignature(head) ?? (!looksLikeMarkup(head) && this.text.ok ? "text/plain" : null);
    if (this.contentType && this.only && !this.only.includes(this.contentType)) this.contentType = null;
    return this.contentType !== null;
  }

  private fail(e: DomainError): DomainError {
    this.failure = e;
    return e;
  }
}
