import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import busboy from "busboy";
import type { NextApiRequest, NextApiResponse } from "next";
import type { DataSource } from "typeorm";
import type { Attachment } from "../../../entities";
import { attachmentDownloadPath, uploadAttachment } from "../../../src/server/attachments/attachment.service";
import { tooLarge } from "../../../src/server/attachments/upload-meter";
import type { Viewer } from "../../../src/server/auth/viewer";
import { config as starConfig } from "../../../src/server/config/config";
import { getDataSource } from "../../../src/server/db/data-source";
import { DomainError, ErrorCode, badInput, unauthenticated } from "../../../src/server/errors/domain-error";
import { sendError, sendJson } from "../../../src/server/errors/http-error";
import { viewerFromRequest } from "../../../src/server/auth/session";

// The body is streamed to storage, never buffered by Next.
export const config = { api: { bodyParser: false } };

// Room for the multipart boundaries and the small fields around the file.
const ENVELOPE_BYTES = 64 * 1024;

/** POST multipart/form-data: an optional `contactId` field, then one `file`. Answers 201 with the stored metadata. */
export default async function attachments(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST" } });
  }
  try {
    const ds = await getDataSource();
    const viewer = await viewerFromRequest(ds, req, res);
    if (!viewer) throw unauthenticated();
    const max = starConfig().STAR_MAX_UPLOAD_BYTES;
    if (!/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "")) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, "file: send multipart/form-data", "file", {
        reason: "UNSUPPORTED_TYPE",
      });
    }
    if (Number(req.headers["content-length"] ?? 0) > max + ENVELOPE_BYTES) throw tooLarge(max);
    const a = await receive(req, ds, viewer, max);
    res.setHeader("Location", attachmentDownloadPath(a.id));
    sendJson(res, 201, {
      id: a.id,
      fileName: a.fileName,
      contentType: a.contentType,
      sizeBytes: a.sizeBytes,
      sha256: a.sha256,
    });
  } catch (err) {
    sendError(res, err);
  }
}

/**
 * Parses the form and hands the file to the service as a stream. The stream ends only once the whole
 * form is read, so a field arriving after the file (too late to apply) fails the upload instead.
 */
function receive(req: IncomingMessage, ds: DataSource, viewer: Viewer, max: number): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        limits: { fileSize: max + 1, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
      });
    } catch {
      return reject(badInput("file", "the multipart body has no boundary"));
    }
    let contactId: string | null = null;
    let upload: Promise<Attachment> | null = null;
    let body: PassThrough | null = null;
    let problem: Error | null = null;
    let fileEnded = false;
    let parsed = false;
    let finished = false;

    const fail = (e: Error) => {
      problem ??= e;
      body?.destroy(e);
    };
    const maybeEnd = () => {
      if (fileEnded && parsed && !problem) body?.end();
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      if (!upload) return reject(problem ?? badInput("file", "is required"));
      // Wait for the service to clean up before answering.
      upload.then(
        (a) => (problem ? reject(problem) : resolve(a)),
        (e) => reject(problem ?? e),
      );
    };

    bb.on("field", (name, value, info) => {
      if (name !== "contactId") return;
      if (upload) return fail(badInput("contactId", "must come before the file in the form"));
      if (info.valueTruncated) return fail(badInput("contactId", "must be a valid id"));
      contactId = value.trim() || null;
    });
    bb.on("file", (name, file, info) => {
      if (name !== "file" || upload) {
        file.resume();
        return fail(badInput("file", 'send exactly one file, in the field "file"'));
      }
      const stream = new PassThrough();
      body = stream;
      file.on("error", fail);
      file.on("end", () => {
        fileEnded = true;
        maybeEnd();
      });
      file.pipe(stream, { end: false });
      upload = uploadAttachment(ds, viewer, { fileName: info.filename, stream, contactId });
      // Keep reading the rest of the request so the refusal can be answered.
      upload.catch(() => {
        file.unpipe(stream);
        file.resume();
      });
    });
    bb.on("filesLimit", () => fail(badInput("file", "send one file only")));
    bb.on("fieldsLimit", () => fail(badInput("file", "too many form fields")));
    bb.on("partsLimit", () => fail(badInput("file", "too many form parts")));
    bb.on("close", () => {
      parsed = true;
      maybeEnd();
      finish();
    });
    bb.on("error", () => {
      fail(badInput("file", "the multipart body is malformed"));
      req.unpipe(bb);
      req.resume();
      finish();
    });
    req.on("close", () => {
      if (!req.complete) {
        fail(new Error("the client closed the upload"));
        finish();
      }
    });
    req.pipe(bb);
  });
}
