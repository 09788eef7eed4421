import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { apiProblem } from "../errors";
import {
  MARK_ASSIGNMENT,
  MARK_KIND_LABELS,
  type ReviewMarkFields,
  type ReviewMarkKind,
  type ReviewRow,
} from "../operations/review";
import { Field, FormErrors } from "./field";

const KINDS: { kind: ReviewMarkKind; hint: string }[] = [
  { kind: "OK", hint: "Active and in line with policy" },
  { kind: "FOLLOW_UP", hint: "Taking too long or no activity: the department must act" },
  { kind: "CONSISTENCY", hint: "Conflicts with another answer or the standard response" },
  { kind: "POLICY", hint: "Does not agree with city policy" },
];

interface ReviewMarkFormProps {
  cycleId: string;
  row: ReviewRow;
  onSaved: (mark: ReviewMarkFields) => void;
  onStale: () => void;
}

/** Marks one worklist row; a second save of the same row updates its mark with the version read. */
export function ReviewMarkForm({ cycleId, row, onSaved, onStale }: ReviewMarkFormProps) {
  const [mark, saving] = useMutation(MARK_ASSIGNMENT);
  const [kind, setKind] = useState<ReviewMarkKind>(row.mark?.kind ?? "OK");
  const [problem, setProblem] = useState<{ note?: string; form?: string } | null>(null);
  const base = `mark-${row.assignmentId}`;

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const note = String(new FormData(e.currentTarget).get("note") ?? "");
    setProblem(null);
    try {
      const res = await mark({
        variables: {
          input: {
            cycleId,
            assignmentId: row.assignmentId,
            kind,
            note: note || null,
            version: row.mark?.version ?? null,
          },
        },
      });
      if (res.data) onSaved(res.data.markAssignment);
    } catch (err) {
      const p = apiProblem(err);
      if (p.code === "CONFLICT") {
        setProblem({
          form: "Someone changed this mark or the review since you loaded it; here is the current state.",
        });
        onStale();
      } else
        setProblem({
          note: p.fields.note,
          form: p.form ?? Object.values(p.fields).find((m) => m !== p.fields.note),
        });
    }
  }

  return (
    <form
      className="review-mark-form"
      onSubmit={(e) => void save(e)}
      aria-label={`Mark ${row.referenceNumber}`}
    >
      <fieldset>
        <legend>Mark {row.referenceNumber}</legend>
        {KINDS.map((k) => (
          <div className="checkbox" key={k.kind}>
            <input
              type="radio"
              id={`${base}-${k.kind}`}
              name="kind"
              value={k.kind}
              checked={kind === k.kind}
              onChange={() => setKind(k.kind)}
              aria-describedby={`${base}-${k.kind}-hint`}
            />
            <label htmlFor={`${base}-${k.kind}`}>{MARK_KIND_LABELS[k.kind]}</label>{" "}
            <span id={`${base}-${k.kind}-hint`} className="hint">
              {k.hint}
            </span>
          </div>
        ))}
      </fieldset>
      <Field
        id={`${base}-note`}
        label="Note"
        optional={kind === "OK"}
        hint={kind === "OK" ? null : "Say what the department should do; it is mailed to them."}
        error={problem?.note}
      >
        {(a11y) => (
          <textarea {...a11y} name="note" rows={3} maxLength={4000} defaultValue={row.mark?.note ?? ""} />
        )}
      </Field>
      {problem?.form ? <FormErrors id={`${base}-problem`} messages={[problem.form]} /> : null}
      <div className="actions">
        <button type="submit" className="button button--small" disabled={saving.loading}>
          {saving.loading ? "Saving…" : row.mark ? "Update mark" : "Save mark"}
          <span className="visually-hidden"> for {row.referenceNumber}</span>
        </button>
      </div>
    </form>
  );
}
