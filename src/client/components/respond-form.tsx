import { useMutation } from "@apollo/client/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { UploadedAttachment } from "../attachments";
import { apiProblem, problemMessages, type ApiProblem } from "../errors";
import { RESPONSE_CHANNEL_LABELS } from "../format";
import { RESPOND_TO_ASSIGNMENT, type AssignmentDetail } from "../operations/assignments";
import { AttachmentUpload } from "./attachment-upload";
import { Field, FormErrors, focusFirstProblem } from "./field";

/** The earlier final answer the API names when a second one would go to the same contact. */
export interface EarlierAnswer {
  id: string;
  body: string;
}

function str(v: unknown): string | null {
  return typeof v === "string" && v.length ? v : null;
}

/** CONFLICT carries the earlier answer for a second final response; a plain stale version carries none. */
export function earlierAnswer(problem: ApiProblem): EarlierAnswer | null {
  if (problem.code !== "CONFLICT") return null;
  const ext = problem.extensions;
  const nested = (ext.earlierResponse ?? null) as Record<string, unknown> | null;
  const id = str(ext.earlierResponseId) ?? str(nested?.id) ?? str(ext.responseId);
  const body = str(ext.earlierResponseBody) ?? str(nested?.body) ?? str(ext.body);
  return id ? { id, body: body ?? "" } : null;
}

interface RespondFormProps {
  assignment: AssignmentDetail;
  onSaved: (message: string) => void;
  onStale: () => void;
}

const SHOWN = ["body", "channel", "kind", "isFinal", "generateLetter", "attachmentIds"];

export function RespondForm({ assignment, onSaved, onStale }: RespondFormProps) {
  const lead = assignment.isLead;
  const [kind, setKind] = useState<"RESPONSE" | "NOTE">(lead ? "RESPONSE" : "NOTE");
  const [body, setBody] = useState(lead ? assignment.standardResponse : "");
  const [channel, setChannel] = useState("");
  const [isFinal, setIsFinal] = useState(false);
  // Null until the user decides: then a LETTER response generates one by default.
  const [letterChoice, setLetterChoice] = useState<boolean | null>(null);
  const [uploads, setUploads] = useState<UploadedAttachment[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [earlier, setEarlier] = useState<EarlierAnswer | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [respond, { loading }] = useMutation(RESPOND_TO_ASSIGNMENT);
  const form = useRef<HTMLFormElement>(null);
  const compare = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (problem) focusFirstProblem(form.current);
  }, [problem]);
  useEffect(() => {
    if (earlier) compare.current?.focus();
  }, [earlier]);

  const isResponse = kind === "RESPONSE";
  const generateLetter = isResponse && (letterChoice ?? channel === "LETTER");

  function localProblem(): ApiProblem | null {
    const fields: Record<string, string> = {};
    if (!body.trim()) fields.body = isResponse ? "Write the response." : "Write the note.";
    if (isResponse && !channel) fields.channel = "Choose how the response was delivered.";
    return Object.keys(fields).length ? { fields, form: null, code: "BAD_USER_INPUT", extensions: {} } : null;
  }

  async function send(acknowledgedResponseId: string | null) {
    const local = localProblem();
    setProblem(local);
    if (local) return;
    try {
      await respond({
        variables: {
          input: {
            assignmentId: assignment.id,
            version: assignment.version,
            kind,
            body: body.trim(),
            channel: isResponse ? channel : null,
            isFinal: isResponse && isFinal,
            acknowledgedResponseId,
            generateLetter,
            attachmentIds: isResponse && uploads.length ? uploads.map((u) => u.id) : null,
          },
        },
      });
      const final = isResponse && isFinal;
      setEarlier(null);
      setAcknowledged(false);
      setIsFinal(false);
      setLetterChoice(null);
      setUploads([]);
      setBody("");
      onSaved(
        final
          ? "The final response was recorded; the assignment is complete."
          : isResponse
            ? "The response was recorded."
            : "The internal note was saved.",
      );
    } catch (err) {
      const p = apiProblem(err);
      const e = earlierAnswer(p);
      if (e) {
        setEarlier(e);
        setAcknowledged(false);
      } else if (p.code === "CONFLICT") onStale();
      else setProblem(p);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void send(null);
  }

  const messages = problem ? problemMessages(problem, SHOWN) : [];
  return (
    <form ref={form} noValidate onSubmit={submit} aria-labelledby="respond-heading">
      <h2 id="respond-heading">Respond</h2>
      <FormErrors id="respond-errors" messages={messages} />
      <fieldset>
        <legend>Kind</legend>
        <div className="checkbox">
          <input
            type="radio"
            id="kind-response"
            name="kind"
            value="RESPONSE"
            checked={isResponse}
            disabled={!lead}
            aria-describedby={lead ? undefined : "kind-hint"}
            onChange={() => setKind("RESPONSE")}
          />
          <label htmlFor="kind-response">Response to the constituent</label>
        </div>
        <div className="checkbox">
          <input
            type="radio"
            id="kind-note"
            name="kind"
            value="NOTE"
            checked={!isResponse}
            onChange={() => setKind("NOTE")}
          />
          <label htmlFor="kind-note">Internal note (never reaches the constituent)</label>
        </div>
        {lead ? null : (
          <p id="kind-hint" className="hint">
            This is a supporting assignment: only the lead department answers the constituent.
          </p>
        )}
      </fieldset>
      <Field
        id="respond-body"
        label={isResponse ? "Response" : "Note"}
        hint={
          isResponse ? "Starts from the category's standard response in the constituent's language." : null
        }
        error={problem?.fields.body}
      >
        {(a11y) => (
          <textarea {...a11y} name="body" rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
        )}
      </Field>
      {isResponse ? (
        <>
          <Field id="respond-channel" label="Delivered by" error={problem?.fields.channel}>
            {(a11y) => (
              <select {...a11y} name="channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
                <option value="">Choose…</option>
                {Object.entries(RESPONSE_CHANNEL_LABELS).map(([v, t]) => (
                  <option key={v} value={v}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="checkbox">
            <input
              type="checkbox"
              id="respond-final"
              checked={isFinal}
              onChange={(e) => setIsFinal(e.target.checked)}
            />
            <label htmlFor="respond-final">Final answer (completes the assignment)</label>
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id="respond-letter"
              checked={generateLetter}
              aria-describedby="respond-letter-hint"
              onChange={(e) => setLetterChoice(e.target.checked)}
            />
            <label htmlFor="respond-letter">Generate a letter (PDF) from this text</label>
          </div>
          <p id="respond-letter-hint" className="hint">
            On the city letterhead, attached to the response and shown on the constituent screen.
          </p>
          <AttachmentUpload
            id="respond-upload"
            label="Signed letter"
            attachments={uploads}
            onChange={setUploads}
            error={problem?.fields.attachmentIds}
          />
        </>
      ) : null}
      {earlier ? (
        <div
          ref={compare}
          className="compare"
          role="alert"
          tabIndex={-1}
          aria-labelledby="compare-heading"
          data-problem
        >
          <h3 id="compare-heading">This contact already has a final answer</h3>
          <p>
            Read the earlier answer before sending a second one, so the constituent is not told two things.
          </p>
          <div className="compare__columns">
            <section aria-labelledby="compare-earlier">
              <h4 id="compare-earlier">Earlier answer</h4>
              <p className="prose">{earlier.body}</p>
            </section>
            <section aria-labelledby="compare-yours">
              <h4 id="compare-yours">Your answer</h4>
              <p className="prose">{body}</p>
            </section>
          </div>
          <div className="checkbox">
            <input
              type="checkbox"
              id="respond-acknowledge"
              checked={acknowledged}
              onChange={(e) => setAcknowledged(e.target.checked)}
            />
            <label htmlFor="respond-acknowledge">I have read the earlier answer</label>
          </div>
          <div className="actions">
            <button
              type="button"
              className="button"
              disabled={!acknowledged || loading}
              onClick={() => void send(earlier.id)}
            >
              Send my answer as well
            </button>
            <button type="button" className="button button--secondary" onClick={() => setEarlier(null)}>
              Do not send
            </button>
          </div>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={loading}>
          {loading ? "Saving…" : isResponse ? "Record response" : "Save note"}
        </button>
        {isResponse && body !== assignment.standardResponse ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setBody(assignment.standardResponse)}
          >
            Start again from the standard response
          </button>
        ) : null}
      </div>
    </form>
  );
}
