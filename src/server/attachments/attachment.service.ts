import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import type { DataSource, EntityManager } from "typeorm";
import { Attachment } from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, requireViewer, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { contactFilter, mayReadConfidentialDocuments } from "../confidentiality/visibility";
import { notFound } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { newStorageKey, storage } from "../storage/storage";
import { isUuid, uuid } from "../validation/validate";
import type { AcceptedType } from "./sniff";
import { UploadMeter } from "./upload-meter";

export interface UploadAttachmentCommand {
  /** As the client named it: kept for display and download only, never used to decide the type. */
  fileName: string | null | undefined;
  stream: Readable;
  /** Link to this contact at once; without it the upload waits for recordContact's attachmentIds. */
  contactId?: string | null;
}

/** Test seam: lets a test fail the transaction after the insert and prove that nothing is kept. */
export interface UploadAttachmentHooks {
  afterInsert?: (em: EntityManager, attachment: Attachment) => Promise<void>;
}

export interface AttachmentDownload {
  attachment: Pick<Attachment, "id" | "fileName" | "contentType" | "sizeBytes" | "sha256" | "createdAt">;
  stream: Readable;
}

export const MAX_FILE_NAME = 255;

// Control characters, and the bidirectional overrides that can make "x\u202Efdp.exe" read as "xexe.pdf".
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The last path segment, without control characters, trimmed, at most 255 characters (keeping the extension). */
export function sanitizeFileName(raw: string | null | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  let name = base.normalize("NFC").replace(UNSAFE_NAME_CHARS, "").trim();
  if (name === "" || name === "." || name === "..") name = "attachment";
  const chars = [...name];
  if (chars.length <= MAX_FILE_NAME) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? [...name.slice(dot)] : [];
  const keep = ext.length > 0 && ext.length <= 16 ? ext : [];
  return chars.slice(0, MAX_FILE_NAME - keep.length).join("") + keep.join("");
}

export function attachmentDownloadPath(id: string): string {
  return `/api/attachments/${encodeURIComponent(id)}`;
}

/**
 * Stores an upload: streams it to storage while hashing, counting and sniffing it, refusing it as soon as
 * it is too large or not an accepted type; then the row and its audit event in one transaction. Whatever
 * fails, neither a stored object nor a row is left behind.
 */
export async function uploadAttachment(
  ds: DataSource,
  viewer: Viewer | null,
  input: UploadAttachmentCommand,
  hooks: UploadAttachmentHooks = {},
): Promise<Attachment> {
  // A source that fails before the pipe below is attached must not crash the process; the pipe still
  // sees the failure (a destroyed stream reports its error to a pipeline attached later).
  const early = () => undefined;
  input.stream.on("error", early);
  const { v, fileName, contactId } = await admit(ds, viewer, input).catch((err: unknown) => {
    // Refused before reading: release the source (a file, a socket) rather than leave it paused.
    input.stream.destroy();
    throw err;
  });
  // storeUpload attaches the pipe before its first await, so the early handler can go right after.
  const stored = storeUpload(ds, v, { fileName, contactId, stream: input.stream }, hooks);
  input.stream.off("error", early);
  return stored;
}

export interface StoreUploadOptions {
  maxBytes?: number;
  only?: readonly AcceptedType[] | null;
}

/**
 * The storing half of an upload, for an admitted uploader (`v`), or with null for the public form,
 * whose unlinked uploads nobody can download. Whatever fails, no stored object or row is left behind.
 */
export async function storeUpload(
  ds: DataSource,
  v: Viewer | null,
  input: { fileName: string; contactId: string | null; stream: Readable },
  hooks: UploadAttachmentHooks = {},
  opts: StoreUploadOptions = {},
): Promise<Attachment> {
  const { fileName, contactId } = input;
  const store = storage();
  const key = newStorageKey();
  const meter = new UploadMeter(opts.maxBytes ?? config().STAR_MAX_UPLOAD_BYTES, opts.only ?? null);
  const body = pipeline(input.stream, meter, () => undefined);
  try {
    await store.put(key, body);
  } catch (err) {
    throw meter.failure ?? err;
  }
  const sha256 = meter.hash.digest("hex");
  const contentType = meter.contentType as AcceptedType;

  try {
    return await ds.transaction(async (em) => {
      const attachment = await em.getRepository(Attachment).save(
        em.create(Attachment, {
          contactId,
          responseId: null,
          fileName,
          contentType,
          sizeBytes: meter.size,
          sha256,
          storageKey: key,
          uploadedById: v?.id ?? null,
        }),
      );
      await hooks.afterInsert?.(em, attachment);
      await audit(em, v, {
        action: "attachment.uploaded",
        entityType: "attachment",
        entityId: attachment.id,
        // The file name stays out of the append-only audit: it may name a confidential requester.
        after: { contactId, contentType, sizeBytes: meter.size, sha256 },
      });
      return attachment;
    });
  } catch (err) {
    await store
      .delete(key)
      .catch((e) => logger.error({ err: e, key }, "could not remove an orphaned upload"));
    throw err;
  }
}

/** The checks that need no bytes: who is asking, the name, and the contact (which must be visible). */
async function admit(ds: DataSource, viewer: Viewer | null, input: UploadAttachmentCommand) {
  const v = requireRole(viewer, Rules.uploadAttachments);
  const fileName = sanitizeFileName(input.fileName);
  const contactId = input.contactId ? uuid("contactId", input.contactId) : null;
  if (contactId) {
    const f = contactFilter(v, "c", 1);
    const rows: unknown[] = await ds.query(`SELECT 1 FROM contact c WHERE c.id = $1 AND ${f.sql}`, [
      contactId,
      ...f.params,
    ]);
    // A contact the viewer may not see does not exist for them.
    if (!rows.length) throw notFound("Contact");
  }
  return { v, fileName, contactId };
}

interface DownloadRow {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: Date;
  confidential: boolean | null;
}

/**
 * An attachment's bytes, for a viewer who may see the contact it belongs to (directly, or through a
 * response), or for the uploader while it is still unlinked. Anyone else gets NOT_FOUND, as if it did
 * not exist. Every download is audited.
 */
export async function openAttachmentForDownload(
  ds: DataSource,
  viewer: Viewer | null,
  id: string,
): Promise<AttachmentDownload> {
  const v = requireViewer(viewer);
  if (!isUuid(id)) throw notFound("Attachment");
  const f = contactFilter(v, "c", 2);
  const rows: DownloadRow[] = await ds.query(
    `SELECT a.id, a.file_name, a.content_type, a.size_bytes, a.sha256, a.storage_key, a.created_at,
            c.confidential
       FROM attachment a
       LEFT JOIN response r ON r.id = a.response_id
       LEFT JOIN assignment ra ON ra.id = r.assignment_id
       LEFT JOIN contact c ON c.id = COALESCE(a.contact_id, ra.contact_id)
      WHERE a.id = $1
        AND CASE WHEN a.contact_id IS NULL AND a.response_id IS NULL THEN a.uploaded_by_id = $2
                 ELSE c.id IS NOT NULL AND ${f.sql} END`,
    [id.toLowerCase(), v.id, ...f.params],
  );
  const row = rows[0];
  if (!row || (row.confidential && !mayReadConfidentialDocuments(v))) throw notFound("Attachment");

  const stream = await storage().get(row.storage_key);
  try {
    await audit(ds.manager, v, {
      action: "attachment.downloaded",
      entityType: "attachment",
      entityId: row.id,
    });
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return {
    attachment: {
      id: row.id,
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      sha256: row.sha256,
      createdAt: row.created_at,
    },
    stream,
  };
}
