import { withoutFieldPrefix } from "./errors";

export interface UploadedAttachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export type UploadResult =
  { ok: true; attachment: UploadedAttachment } | { ok: false; message: string; field: string | null };

/** POST /api/attachments: the id it returns goes in RecordContactInput.attachmentIds. */
export async function uploadAttachment(file: File, contactId?: string): Promise<UploadResult> {
  const body = new FormData();
  body.append("file", file);
  if (contactId) body.append("contactId", contactId);
  let res: Response;
  try {
    res = await fetch("/api/attachments", { method: "POST", body, credentials: "same-origin" });
  } catch {
    return { ok: false, message: "The upload did not reach the server. Try again.", field: "file" };
  }
  const json = (await res.json().catch(() => null)) as
    | (UploadedAttachment & { error?: undefined })
    | { error: { code?: string; message?: string; field?: string } }
    | null;
  if (res.status === 201 && json && !json.error) return { ok: true, attachment: json };
  const err = json?.error;
  const field = err?.field ?? "file";
  if (err?.message) return { ok: false, message: withoutFieldPrefix(err.message, field), field };
  if (res.status === 413) return { ok: false, message: "The file is too large to upload.", field };
  if (res.status === 401) return { ok: false, message: "Your session has ended: sign in again.", field };
  return { ok: false, message: `The upload failed (HTTP ${res.status}). Try again.`, field };
}
