import { useMutation } from "@apollo/client/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { apiProblem, clearFields, problemMessages, type ApiProblem } from "../errors";
import { CHANNEL_LABELS, CHANNELS, LANGUAGE_LABELS } from "../format";
import {
  CREATE_CONSTITUENT,
  type ConstituentMatch,
  type ConstituentSummary,
  type NewConstituentInput,
} from "../operations/constituents";
import { Field, focusFirstProblem, FormErrors } from "./field";
import { MatchList } from "./match-list";

export type ConstituentDraft = Record<(typeof TEXT_FIELDS)[number]["name"], string> & {
  preferredLanguage: string;
  preferredChannel: string;
};

const TEXT_FIELDS = [
  { name: "firstName", label: "First name", autoComplete: "off", type: "text" },
  { name: "lastName", label: "Last name", autoComplete: "off", type: "text" },
  { name: "organization", label: "Organization", autoComplete: "off", type: "text" },
  { name: "email", label: "Email", autoComplete: "off", type: "email" },
  { name: "phone", label: "Phone", autoComplete: "off", type: "tel" },
  { name: "addressLine1", label: "Address line 1", autoComplete: "off", type: "text" },
  { name: "addressLine2", label: "Address line 2", autoComplete: "off", type: "text" },
  { name: "city", label: "City", autoComplete: "off", type: "text" },
  { name: "state", label: "State", autoComplete: "off", type: "text" },
  { name: "postalCode", label: "ZIP code", autoComplete: "off", type: "text" },
] as const;

const SHOWN_FIELDS = [
  ...TEXT_FIELDS.map((f) => f.name),
  "preferredLanguage",
  "preferredChannel",
  "confirmNotDuplicateReason",
];

export const EMPTY_DRAFT: ConstituentDraft = {
  firstName: "",
  lastName: "",
  organization: "",
  email: "",
  phone: "",
  addressLine1: "",
  addressLine2: "",
  city: "",
  state: "",
  postalCode: "",
  preferredLanguage: "EN",
  preferredChannel: "",
};

function toInput(d: ConstituentDraft, reason: string | null): NewConstituentInput {
  const blankToNull = (v: string) => (v.trim() ? v.trim() : null);
  return {
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f.name, blankToNull(d[f.name])])),
    preferredLanguage: d.preferredLanguage || "EN",
    preferredChannel: d.preferredChannel || null,
    confirmNotDuplicateReason: reason,
  };
}

interface NewConstituentFormProps {
  draft: ConstituentDraft;
  onDraftChange: (d: ConstituentDraft) => void;
  onChosen: (c: ConstituentSummary) => void;
  onCancel: () => void;
}

/** A new record; the API answers with likely duplicates first, which the clerk picks or overrules. */
export function NewConstituentForm({ draft, onDraftChange, onChosen, onCancel }: NewConstituentFormProps) {
  const [createConstituent, { loading }] = useMutation(CREATE_CONSTITUENT);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [duplicates, setDuplicates] = useState<ConstituentMatch[] | null>(null);
  const [reason, setReason] = useState("");
  const focusPending = useRef(false);
  const box = useRef<HTMLElement>(null);
  const duplicatesHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // Only after a submit: clearing a message while the clerk types must not move the cursor.
    if (focusPending.current && problem) focusFirstProblem(box.current);
    focusPending.current = false;
  }, [problem]);

  const set = (name: keyof ConstituentDraft, value: string) => {
    onDraftChange({ ...draft, [name]: value });
    setProblem((p) => clearFields(p, name));
    // A changed record may no longer match the duplicates shown.
    if (duplicates) setDuplicates(null);
  };

  async function submit(e: FormEvent, confirmReason: string | null) {
    e.preventDefault();
    focusPending.current = true;
    if (confirmReason !== null && !confirmReason.trim()) {
      setProblem({
        fields: { confirmNotDuplicateReason: "Say why this is not one of the people above." },
        form: null,
        code: "BAD_USER_INPUT",
        extensions: {},
      });
      return;
    }
    setProblem(null);
    try {
      const res = await createConstituent({ variables: { input: toInput(draft, confirmReason) } });
      const out = res.data?.createConstituent;
      if (out?.created && out.constituent) {
        onChosen(out.constituent);
      } else if (out) {
        setDuplicates(out.duplicates);
        setReason("");
        // Let the clerk read the candidates before anything else.
        requestAnimationFrame(() => duplicatesHeading.current?.focus());
      }
    } catch (err) {
      setProblem(apiProblem(err));
    }
  }

  const err = (name: string) => problem?.fields[name] ?? null;

  return (
    <section ref={box} aria-labelledby="new-constituent-heading" className="panel">
      <h3 id="new-constituent-heading">New constituent</h3>
      <form noValidate onSubmit={(e) => submit(e, null)}>
        <FormErrors
          id="new-constituent-errors"
          messages={problem ? problemMessages(problem, SHOWN_FIELDS) : []}
        />
        <p className="hint">A name or an organization is required; everything else is optional.</p>
        <div className="grid">
          {TEXT_FIELDS.map((f) => (
            <Field
              key={f.name}
              id={f.name}
              label={f.label}
              error={err(f.name)}
              className={`field--${f.name}`}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  type={f.type}
                  autoComplete={f.autoComplete}
                  value={draft[f.name]}
                  onChange={(e) => set(f.name, e.target.value)}
                />
              )}
            </Field>
          ))}
          <Field id="preferredLanguage" label="Preferred language" error={err("preferredLanguage")}>
            {(a11y) => (
              <select
                {...a11y}
                value={draft.preferredLanguage}
                onChange={(e) => set("preferredLanguage", e.target.value)}
              >
                {Object.entries(LANGUAGE_LABELS).map(([v, t]) => (
                  <option key={v} value={v}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="preferredChannel" label="Preferred channel" error={err("preferredChannel")} optional>
            {(a11y) => (
              <select
                {...a11y}
                value={draft.preferredChannel}
                onChange={(e) => set("preferredChannel", e.target.value)}
              >
                <option value="">No preference</option>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABELS[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {duplicates ? null : (
          <div className="actions">
            <button type="submit" className="button" disabled={loading}>
              {loading ? "Checking…" : "Create constituent"}
            </button>
            <button type="button" className="button button--secondary" onClick={onCancel}>
              Back to search
            </button>
          </div>
        )}
      </form>
      {duplicates ? (
        <section aria-labelledby="duplicates-heading" className="duplicates">
          <h4 id="duplicates-heading" ref={duplicatesHeading} tabIndex={-1}>
            Possible duplicates: is it one of these people?
          </h4>
          <MatchList
            matches={duplicates}
            onPick={onChosen}
            pickLabel="Use this record"
            labelledBy="duplicates-heading"
          />
          <form noValidate onSubmit={(e) => submit(e, reason)} className="confirm-new">
            <Field
              id="confirmNotDuplicateReason"
              label="Not one of them? Say why, then create a new record"
              hint="For example: “different person, same household”. Kept in the audit log."
              error={err("confirmNotDuplicateReason")}
            >
              {(a11y) => (
                <input
                  {...a11y}
                  type="text"
                  value={reason}
                  onChange={(e) => {
                    setReason(e.target.value);
                    setProblem((p) => clearFields(p, "confirmNotDuplicateReason"));
                  }}
                />
              )}
            </Field>
            <div className="actions">
              <button type="submit" className="button" disabled={loading}>
                {loading ? "Creating…" : "Create new record anyway"}
              </button>
              <button type="button" className="button button--secondary" onClick={onCancel}>
                Back to search
              </button>
            </div>
          </form>
        </section>
      ) : null}
    </section>
  );
}
