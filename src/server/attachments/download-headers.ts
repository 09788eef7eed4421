import type { AttachmentDownload } from "./attachment.service";

// RFC 8187: everything but attr-chars is percent-encoded, which encodeURIComponent leaves a few of.
const encodeExtValue = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment` always: stored documents are handed over, never rendered inside the app's origin. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}

export function downloadHeaders(a: AttachmentDownload["attachment"]): Record<string, string> {
  return {
    "Content-Type": a.contentType === "text/plain" ? "text/plain; charset=utf-8" : a.contentType,
    "Content-Length": String(a.sizeBytes),
    "Content-Disposition": contentDisposition(a.fileName),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    // Documents may be confidential: no shared or on-disk caches.
    "Cache-Control": "private, no-store",
    ETag: `"${a.sha256}"`,
  };
}
