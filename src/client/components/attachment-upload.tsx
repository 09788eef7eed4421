import { useRef, useState } from "react";
import { uploadAttachment, type UploadedAttachment } from "../attachments";
import { formatBytes } from "../format";
import { Field } from "./field";

interface AttachmentUploadProps {
  id: string;
  label: string;
  attachments: UploadedAttachment[];
  onChange: (list: UploadedAttachment[]) => void;
  /** A problem the API reported about the linked uploads (attachmentIds). */
  error?: string | null;
}

/** Uploads as soon as a file is chosen; the contact links the uploads by id when it is saved. */
export function AttachmentUpload({ id, label, attachments, onChange, error }: AttachmentUploadProps) {
  const [uploading, setUploading] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function upload(files: FileList | null) {
    if (!files?.length) return;
    setUploadError(null);
    const added: UploadedAttachment[] = [];
    for (const file of Array.from(files)) {
      setUploading(file.name);
      const res = await uploadAttachment(file);
      if (!res.ok) {
        setUploadError(`${file.name}: ${res.message}`);
        break;
      }
      added.push(res.attachment);
    }
    setUploading(null);
    if (added.length) onChange([...attachments, ...added]);
    if (input.current) input.current.value = "";
  }

  return (
    <div className="upload">
      <Field
        id={id}
        label={label}
        hint="PDF or image (scanned page or photo). Each file uploads when you choose it."
        error={uploadError ?? error}
        describedBy={[`${id}-status`]}
        optional
      >
        {(a11y) => (
          <input
            {...a11y}
            ref={input}
            type="file"
            multiple
            accept="application/pdf,image/*,.pdf,.tif,.tiff"
            disabled={!!uploading}
            onChange={(e) => void upload(e.target.files)}
          />
        )}
      </Field>
      <p id={`${id}-status`} className="hint" aria-live="polite">
        {uploading
          ? `Uploading ${uploading}…`
          : attachments.length
            ? `${attachments.length} file${attachments.length === 1 ? "" : "s"} ready to attach.`
            : "No file attached."}
      </p>
      {attachments.length ? (
        <ul className="file-list" aria-label="Files to attach">
          {attachments.map((a) => (
            <li key={a.id}>
              <span>
                {a.fileName}{" "}
                <span className="muted">
                  ({a.contentType}, {formatBytes(a.sizeBytes)})
                </span>
              </span>
              <button
                type="button"
                className="button button--link"
                onClick={() => onChange(attachments.filter((x) => x.id !== a.id))}
              >
                Remove <span className="visually-hidden">{a.fileName}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
