import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { apiProblem, problemMessages, type ApiProblem } from "../errors";
import { REISSUE_LETTER } from "../operations/letters";
import { Field, FormErrors } from "./field";

/**
 * Generates a response's letter again (after an address correction, say); the letter first sent stays
 * on the response. Folded away until asked for.
 */
export function ReissueLetter({ responseId, onDone }: { responseId: string; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reissue, { loading }] = useMutation(REISSUE_LETTER);
  const id = `reissue-${responseId}`;

  async function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    setProblem(null);
    try {
      const res = await reissue({ variables: { input: { responseId, reason } } });
      setDone(res.data?.reissueResponseLetter.fileName ?? null);
      setReason("");
      onDone();
    } catch (err) {
      setProblem(apiProblem(err));
    }
  }

  return (
    <details className="reissue">
      <summary>Generate the letter again</summary>
      <form onSubmit={onSubmit} noValidate>
        <FormErrors id={`${id}-errors`} messages={problem ? problemMessages(problem, ["reason"]) : []} />
        <Field
          id={`${id}-reason`}
          label="Why"
          hint="With the constituent's address as it is now; the letter first sent stays here."
          error={problem?.fields.reason}
        >
          {(a11y) => (
            <input
              {...a11y}
              type="text"
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={loading}>
          {loading ? "Generating…" : "Generate the letter"}
        </button>
        {done ? (
          <p role="status" className="notice notice--ok">
            Generated {done}.
          </p>
        ) : null}
      </form>
    </details>
  );
}
