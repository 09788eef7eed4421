import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import busboy from "busboy";
import type { Attachment } from "../../../entities";
import { badInput } from "../errors/domain-error";

/**
 * Parses a multipart form (an optional `contactId` field, then one `file`) and hands the file to `start`
 * as a stream. The stream ends only once the whole
 * form is read, so a field arriving after the file (too late to apply) fails the upload instead.
 */
export function receiveUpload(
  req: IncomingMessage,
  max: number,
  start: (fileName: string | undefined, stream: PassThrough, contactId: string | null) => Promise<Attachment>,
): Promise<Attachment> {
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
      upload = start(info.filename, stream, contactId);
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
