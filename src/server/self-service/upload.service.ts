import type { Readable } from "node:stream";
import type { DataSource } from "typeorm";
import type { Attachment } from "../../../entities";
import { sanitizeFileName, storeUpload } from "../attachments/attachment.service";
import type { AcceptedType } from "../attachments/sniff";
import { config } from "../config/config";
import { badInput } from "../errors/domain-error";
import { hitRateLimit } from "./rate-limit.service";

/** What the public form takes: photos and letters (PDF), by their bytes. */
export const PUBLIC_UPLOAD_TYPES: readonly AcceptedType[] = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/heic",
  "image/heif",
];

/**
 * A photo or letter from the public form, stored unlinked and with no uploader: nobody can download it
 * (an unlinked upload is readable only by its staff uploader), and only submitPublicRequest links it.
 */
export async function uploadPublicAttachment(
  ds: DataSource,
  input: { fileName: string | null | undefined; stream: Readable; contactId?: string | null },
  clientAddress: string | null | undefined,
): Promise<Attachment> {
  try {
    if (input.contactId) throw badInput("contactId", "a public upload is linked when the request is sent");
    await hitRateLimit(ds, "upload", clientAddress);
  } catch (err) {
    input.stream.destroy();
    throw err;
  }
  return storeUpload(
    ds,
    null,
    { fileName: sanitizeFileName(input.fileName), contactId: null, stream: input.stream },
    {},
    { maxBytes: config().STAR_PUBLIC_MAX_UPLOAD_BYTES, only: PUBLIC_UPLOAD_TYPES },
  );
}
