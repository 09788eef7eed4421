import { useMutation, useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { UploadedAttachment } from "../attachments";
import { apiProblem, clearFields, problemMessages, type ApiProblem } from "../errors";
import { CHANNEL_LABELS, CHANNELS, displayName, formatAddress, LANGUAGE_LABELS } from "../format";
import type { ConstituentSummary } from "../operations/constituents";
import { RECORD_CONTACT, type RecordContactVariables, type RecordedContact } from "../operations/contacts";
import { CATEGORIES, ROUTING_PREVIEW } from "../operations/reference";
import {
  CITY_ZONE_LABEL,
  formatDateTime,
  fromCityWallTime,
  toCityDateInput,
  toCityDateTimeInput,
} from "../time";
import { AttachmentUpload } from "./attachment-upload";
import { ConstituentFacts } from "./constituent-card";
import { Field, focusFirstProblem, FormErrors } from "./field";
import { PossibleDuplicates } from "./possible-duplicates";

const MAX_DESCRIPTION = 4000;
/** Paper arrives on a day; the mailroom knows the date it was stamped, not the minute. */
const PAPER_CHANNELS = new Set(["LETTER", "FAX"]);
const SHOWN_FIELDS = [
  "channel",
  "receivedAt",
  "categoryId",
  "description",
  "locationAddress",
  "language",
  "callbackPhone",
  "callbackEmail",
  "attachmentIds",
];

interface ContactFormProps {
  constituent: ConstituentSummary | null;
  confidential: boolean;
  onConfidentialChange: (on: boolean) => void;
  onChooseConstituent: () => void;
  onRecorded: (contact: RecordedContact) => void;
}

function countAnnouncement(remaining: number): string {
  if (remaining <= 0) return "Limit reached: 4,000 characters.";
  if (remaining <= 100) return "Fewer than 100 characters left.";
  if (remaining <= 500) return "Fewer than 500 characters left.";
  return "";
}

/** Step two: the contact itself. Routing and the due date show as soon as a category is chosen. */
export function ContactForm(props: ContactFormProps) {
  const { constituent, confidential } = props;
  const [startedAt] = useState(() => new Date());
  const [channel, setChannel] = useState("PHONE");
  const [receivedAt, setReceivedAt] = useState(() => toCityDateTimeInput(startedAt));
  const [receivedOn, setReceivedOn] = useState(() => toCityDateInput(startedAt));
  const [categoryId, setCategoryId] = useState("");
  const [description, setDescription] = useState("");
  const [locationAddress, setLocationAddress] = useState("");
  const [language, setLanguage] = useState(constituent?.preferredLanguage ?? "EN");
  const [notice, setNotice] = useState(false);
  const [callbackPhone, setCallbackPhone] = useState("");
  const [callbackEmail, setCallbackEmail] = useState("");
  const [attachments, setAttachments] = useState<UploadedAttachment[]>([]);
  const [duplicateOfId, setDuplicateOfId] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const focusPending = useRef(false);
  const form = useRef<HTMLFormElement>(null);

  const categories = useQuery(CATEGORIES);
  const [recordContact, { loading: saving }] = useMutation(RECORD_CONTACT);

  const paper = PAPER_CHANNELS.has(channel);
  const receivedInstant = paper
    ? receivedOn === toCityDateInput(startedAt)
      ? startedAt
      : fromCityWallTime(`${receivedOn}T12:00`)
    : fromCityWallTime(receivedAt);
  const preview = useQuery(ROUTING_PREVIEW, {
    variables: { categoryId, receivedAt: receivedInstant?.toISOString() ?? null },
    skip: !categoryId,
  });

  useEffect(() => {
    // Only after a submit: clearing a message while the clerk types must not move the cursor.
    if (focusPending.current && problem) focusFirstProblem(form.current);
    focusPending.current = false;
  }, [problem]);

  const clear = (...names: string[]) => setProblem((p) => clearFields(p, ...names));

  const homeAddress = constituent ? formatAddress(constituent) : "";

  function setConfidential(on: boolean) {
    // The caller's home address must not ride along in the location of a confidential request.
    if (on && homeAddress && locationAddress.trim() === homeAddress) setLocationAddress("");
    if (!on) {
      setCallbackPhone("");
      setCallbackEmail("");
    }
    clear("constituentId", "callbackPhone", "callbackEmail");
    props.onConfidentialChange(on);
  }

  function localProblems(): ApiProblem | null {
    const fields: Record<string, string> = {};
    if (!confidential && !constituent)
      fields.constituentId = "Choose a constituent, or mark the request confidential.";
    if (!receivedInstant)
      fields.receivedAt = paper ? "Enter the date it arrived." : "Enter when it was received.";
    if (!categoryId) fields.categoryId = "Choose a category.";
    if (!description.trim()) fields.description = "Describe the request.";
    return Object.keys(fields).length ? { fields, form: null, code: "BAD_USER_INPUT", extensions: {} } : null;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    focusPending.current = true;
    const local = localProblems();
    if (local) {
      setProblem(local);
      return;
    }
    setProblem(null);
    const input: RecordContactVariables["input"] = {
      channel,
      receivedAt: receivedInstant!.toISOString(),
      categoryId,
      description,
      locationAddress: locationAddress.trim() || null,
      language,
      publicRecordNoticeGiven: notice,
      attachmentIds: paper && attachments.length ? attachments.map((a) => a.id) : null,
      duplicateOfId,
      ...(confidential
        ? {
            confidential: true,
            callbackPhone: callbackPhone.trim() || null,
            callbackEmail: callbackEmail.trim() || null,
          }
        : { constituentId: constituent!.id }),
    };
    try {
      const res = await recordContact({ variables: { input } });
      if (res.data) props.onRecorded(res.data.recordContact);
    } catch (err) {
      const p = apiProblem(err);
      // attachmentIds[2] and the like belong to the upload field.
      for (const key of Object.keys(p.fields)) {
        if (key.startsWith("attachmentIds[")) p.fields.attachmentIds ??= p.fields[key];
      }
      if (p.fields.duplicateOfId) {
        p.fields.duplicateOfId = `The contact chosen as the same issue cannot be linked (${p.fields.duplicateOfId.toLowerCase()}): choose another, or record a new issue.`;
      }
      setProblem(p);
    }
  }

  const err = (name: string) => problem?.fields[name] ?? null;
  const remaining = MAX_DESCRIPTION - description.length;
  const mergedIntoId =
    typeof problem?.extensions.mergedIntoId === "string" ? problem.extensions.mergedIntoId : null;
  const chosenCategory = categories.data?.categories.find((c) => c.id === categoryId);

  return (
    <form ref={form} noValidate onSubmit={submit} className="contact-form" aria-labelledby="details-heading">
      <FormErrors
        id="contact-errors"
        messages={
          problem
            ? problemMessages(
                problem,
                SHOWN_FIELDS.filter((f) => f !== "attachmentIds" || paper),
              ).filter((m) => m !== problem.fields.constituentId)
            : []
        }
      />
      {mergedIntoId ? (
        <p className="notice notice--warning">
          <Link href={`/constituents/${mergedIntoId}`}>Open the record this one was merged into</Link>, then
          record the contact there.
        </p>
      ) : null}

      <fieldset>
        <legend>Who</legend>
        <div className="switch">
          <input
            type="checkbox"
            role="switch"
            id="confidential"
            checked={confidential}
            aria-describedby="confidential-hint"
            onChange={(e) => setConfidential(e.target.checked)}
          />
          <label htmlFor="confidential">Confidential request</label>
        </div>
        <p id="confidential-hint" className="hint">
          When the person asks that their name and address stay confidential: nothing about them is stored.
          Give them the reference number; they can check the status online or by phone.
        </p>
        {confidential ? (
          <div className="confidential-box">
            <p className="notice">
              <strong>Confidential:</strong> no constituent, name or address will be stored with this contact.
            </p>
            <p id="callback-hint" className="hint">
              A callback phone or email only if the person volunteers it. Only the assigned department and the
              City Manager&rsquo;s Office can see it.
            </p>
            <div className="grid">
              <Field
                id="callbackPhone"
                label="Callback phone"
                optional
                describedBy={["callback-hint"]}
                error={err("callbackPhone")}
              >
                {(a11y) => (
                  <input
                    {...a11y}
                    type="tel"
                    autoComplete="off"
                    value={callbackPhone}
                    onChange={(e) => {
                      setCallbackPhone(e.target.value);
                      clear("callbackPhone");
                    }}
                  />
                )}
              </Field>
              <Field
                id="callbackEmail"
                label="Callback email"
                optional
                describedBy={["callback-hint"]}
                error={err("callbackEmail")}
              >
                {(a11y) => (
                  <input
                    {...a11y}
                    type="email"
                    autoComplete="off"
                    value={callbackEmail}
                    onChange={(e) => {
                      setCallbackEmail(e.target.value);
                      clear("callbackEmail");
                    }}
                  />
                )}
              </Field>
            </div>
          </div>
        ) : constituent ? (
          <div className="chosen" aria-label="Chosen constituent" role="group">
            <p className="chosen__name">{displayName(constituent)}</p>
            <ConstituentFacts c={constituent} />
            <button type="button" className="button button--secondary" onClick={props.onChooseConstituent}>
              Change constituent
            </button>
          </div>
        ) : (
          <div className="chosen chosen--none">
            <p>No constituent chosen.</p>
            <button type="button" className="button button--secondary" onClick={props.onChooseConstituent}>
              Find or add the constituent
            </button>
          </div>
        )}
        {err("constituentId") ? (
          <p id="constituentId-error" className="field-error" role="alert" tabIndex={-1} data-problem>
            <span aria-hidden="true">⚠ </span>
            {err("constituentId")}
          </p>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>How and when</legend>
        <div className="grid">
          <Field id="channel" label="Channel" error={err("channel")}>
            {(a11y) => (
              <select
                {...a11y}
                value={channel}
                onChange={(e) => {
                  setChannel(e.target.value);
                  clear("channel", "receivedAt", "attachmentIds");
                }}
              >
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABELS[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {paper ? (
            <Field
              id="receivedOn"
              label="Received on"
              hint={`The date the ${channel === "FAX" ? "fax" : "letter"} arrived (${CITY_ZONE_LABEL}).`}
              error={err("receivedAt")}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  type="date"
                  value={receivedOn}
                  onChange={(e) => {
                    setReceivedOn(e.target.value);
                    clear("receivedAt");
                  }}
                />
              )}
            </Field>
          ) : (
            <Field
              id="receivedAt"
              label="Received at"
              hint={`${CITY_ZONE_LABEL}. When the call, visit or message came in.`}
              error={err("receivedAt")}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  type="datetime-local"
                  value={receivedAt}
                  onChange={(e) => {
                    setReceivedAt(e.target.value);
                    clear("receivedAt");
                  }}
                />
              )}
            </Field>
          )}
        </div>
        {paper ? (
          <AttachmentUpload
            id="attachment"
            label={channel === "FAX" ? "Scanned fax" : "Scanned letter"}
            attachments={attachments}
            onChange={(list) => {
              setAttachments(list);
              clear("attachmentIds");
            }}
            error={err("attachmentIds")}
          />
        ) : null}
      </fieldset>

      <fieldset>
        <legend>What</legend>
        <Field id="categoryId" label="Category" error={err("categoryId")} describedBy={["routing-preview"]}>
          {(a11y) => (
            <select
              {...a11y}
              value={categoryId}
              disabled={categories.loading}
              onChange={(e) => {
                setCategoryId(e.target.value);
                clear("categoryId");
              }}
            >
              <option value="">{categories.loading ? "Loading categories…" : "Choose a category"}</option>
              {[...(categories.data?.categories ?? [])]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <div id="routing-preview" className="routing" aria-live="polite">
          {categoryId && preview.data ? (
            <dl className="facts facts--inline">
              <div>
                <dt>Goes to</dt>
                <dd>{preview.data.routingPreview.department.name}</dd>
              </div>
              <div>
                <dt>Due</dt>
                <dd>
                  {formatDateTime(preview.data.routingPreview.dueAt)}
                  {chosenCategory ? (
                    <span className="muted">
                      {" "}
                      ({chosenCategory.slaBusinessDays} business day
                      {chosenCategory.slaBusinessDays === 1 ? "" : "s"})
                    </span>
                  ) : null}
                </dd>
              </div>
            </dl>
          ) : categoryId && preview.loading ? (
            <p className="muted">Finding the department…</p>
          ) : null}
        </div>
        <Field
          id="description"
          label="Description"
          hint="Plain text: what the person asked for or reported."
          error={err("description")}
          describedBy={["description-count"]}
        >
          {(a11y) => (
            <textarea
              {...a11y}
              rows={6}
              maxLength={MAX_DESCRIPTION}
              value={description}
              onChange={(e) => {
                setDescription(e.target.value);
                clear("description");
              }}
            />
          )}
        </Field>
        <p id="description-count" className={`counter${remaining <= 100 ? " counter--low" : ""}`}>
          {description.length.toLocaleString("en-US")} of {MAX_DESCRIPTION.toLocaleString("en-US")} characters
        </p>
        <p className="visually-hidden" aria-live="polite">
          {countAnnouncement(remaining)}
        </p>
        <Field
          id="locationAddress"
          label="Location of the issue"
          hint="Street address or nearest intersection."
          optional
          error={err("locationAddress")}
        >
          {(a11y) => (
            <input
              {...a11y}
              type="text"
              autoComplete="off"
              value={locationAddress}
              onChange={(e) => {
                setLocationAddress(e.target.value);
                clear("locationAddress");
              }}
            />
          )}
        </Field>
        {!confidential && homeAddress ? (
          <button
            type="button"
            className="button button--link"
            onClick={() => setLocationAddress(homeAddress)}
          >
            Use the constituent&rsquo;s address
          </button>
        ) : null}
        <PossibleDuplicates
          categoryId={categoryId}
          locationAddress={locationAddress}
          chosenId={duplicateOfId}
          onChoose={(id) => {
            setDuplicateOfId(id);
            clear("duplicateOfId");
          }}
        />
        <Field id="language" label="Language for the response" error={err("language")}>
          {(a11y) => (
            <select
              {...a11y}
              value={language}
              onChange={(e) => {
                setLanguage(e.target.value);
                clear("language");
              }}
            >
              {Object.entries(LANGUAGE_LABELS).map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset>
        <legend>Notices</legend>
        <div className="checkbox">
          <input
            type="checkbox"
            id="publicRecordNoticeGiven"
            checked={notice}
            onChange={(e) => setNotice(e.target.checked)}
          />
          <label htmlFor="publicRecordNoticeGiven">
            Public records notice given (told the contact may be released as a public record)
          </label>
        </div>
      </fieldset>

      <div className="actions">
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? "Saving…" : "Save contact"}
        </button>
      </div>
    </form>
  );
}
