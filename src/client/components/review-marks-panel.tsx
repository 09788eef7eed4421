import { useMutation, useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { apiProblem } from "../errors";
import {
  ASSIGNMENT_REVIEW_MARKS,
  MARK_KIND_LABELS,
  RESOLVE_REVIEW_MARK,
  type AssignmentReviewMark,
} from "../operations/review";
import { Field, FormErrors } from "./field";
import { ReviewMarkState } from "./review-mark-state";

/** The City Manager's Office's marks on an assignment; the department resolves a concern with a note. */
export function ReviewMarksPanel({ assignmentId }: { assignmentId: string }) {
  const { data, refetch } = useQuery(ASSIGNMENT_REVIEW_MARKS, { variables: { id: assignmentId } });
  const marks = data?.assignment?.reviewMarks ?? [];
  const [notice, setNotice] = useState<string | null>(null);
  if (!marks.length) return null;
  return (
    <section aria-labelledby="review-marks-heading" className="panel">
      <h2 id="review-marks-heading">
        Weekly review{" "}
        {data?.assignment?.reviewFlagged ? <span className="tag tag--late">Concern to resolve</span> : null}
      </h2>
      <div role="status" aria-live="polite" className={notice ? "notice notice--ok" : "status-line"}>
        {notice}
      </div>
      <ul className="responses">
        {marks.map((m) => (
          <li key={m.id} className="response">
            <p className="muted">Week of {m.cycle?.weekStart}</p>
            <ReviewMarkState mark={m} />
            {m.mayResolve ? (
              <ResolveForm
                mark={m}
                onResolved={() => {
                  setNotice(`The ${MARK_KIND_LABELS[m.kind].toLowerCase()} is resolved.`);
                  void refetch();
                }}
                onStale={() => void refetch()}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ResolveForm({
  mark,
  onResolved,
  onStale,
}: {
  mark: AssignmentReviewMark;
  onResolved: () => void;
  onStale: () => void;
}) {
  const [resolve, resolving] = useMutation(RESOLVE_REVIEW_MARK);
  const [problem, setProblem] = useState<{ note?: string; form?: string } | null>(null);
  const id = `resolve-${mark.id}`;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const resolutionNote = String(new FormData(e.currentTarget).get("resolutionNote") ?? "");
    setProblem(null);
    try {
      await resolve({ variables: { input: { id: mark.id, version: mark.version, resolutionNote } } });
      onResolved();
    } catch (err) {
      const p = apiProblem(err);
      if (p.code === "CONFLICT") {
        setProblem({ form: "The mark changed since you loaded it; here is the current state." });
        onStale();
      } else setProblem({ note: p.fields.resolutionNote, form: p.form ?? undefined });
    }
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-label={`Resolve the ${MARK_KIND_LABELS[mark.kind].toLowerCase()}`}
    >
      <Field
        id={`${id}-note`}
        label="What was done (resolution note)"
        hint="The City Manager's Office reads it on the review worklist."
        error={problem?.note}
      >
        {(a11y) => <textarea {...a11y} name="resolutionNote" rows={3} maxLength={4000} />}
      </Field>
      {problem?.form ? <FormErrors id={`${id}-problem`} messages={[problem.form]} /> : null}
      <div className="actions">
        <button type="submit" className="button" disabled={resolving.loading}>
          {resolving.loading ? "Resolving…" : "Resolve"}
        </button>
      </div>
    </form>
  );
}
