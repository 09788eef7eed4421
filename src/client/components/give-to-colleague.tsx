import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { apiProblem, problemMessages, type ApiProblem } from "../errors";
import { CLAIM_ASSIGNMENT, type AssignmentDetail } from "../operations/assignments";
import { DEPARTMENT_STAFF } from "../operations/staff";
import { Field, FormErrors, focusFirstProblem } from "./field";

interface GiveToColleagueProps {
  assignment: AssignmentDetail;
  onSaved: (message: string) => void;
  onStale: () => void;
}

/** Hands an open assignment to someone else in its department (claimAssignment with an assignee). */
export function GiveToColleague({ assignment, onSaved, onStale }: GiveToColleagueProps) {
  const [assigneeId, setAssigneeId] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const staff = useQuery(DEPARTMENT_STAFF, { variables: { departmentId: assignment.department.id } });
  const [claim, { loading }] = useMutation(CLAIM_ASSIGNMENT);

  useEffect(() => {
    if (problem) focusFirstProblem(form.current);
  }, [problem]);

  const colleagues = (staff.data?.departmentStaff ?? []).filter((s) => s.id !== assignment.assignee?.id);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!assigneeId) {
      setProblem({
        fields: { assigneeId: "Choose a colleague." },
        form: null,
        code: "BAD_USER_INPUT",
        extensions: {},
      });
      return;
    }
    setProblem(null);
    try {
      const res = await claim({
        variables: { input: { id: assignment.id, version: assignment.version, assigneeId } },
      });
      onSaved(`Given to ${res.data?.claimAssignment.assignee?.name ?? "your colleague"}.`);
    } catch (err) {
      const p = apiProblem(err);
      if (p.code === "CONFLICT") onStale();
      else setProblem(p);
    }
  }

  // Only the City Manager's Office and the department itself may list its staff; others see nothing.
  if (staff.error) return null;

  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} aria-labelledby="give-heading">
      <h3 id="give-heading">Give to a colleague</h3>
      <FormErrors id="give-errors" messages={problem ? problemMessages(problem, ["assigneeId"]) : []} />
      <Field
        id="give-assignee"
        label={`Colleague in ${assignment.department.name}`}
        error={problem?.fields.assigneeId}
      >
        {(a11y) => (
          <select
            {...a11y}
            value={assigneeId}
            disabled={staff.loading}
            onChange={(e) => {
              setAssigneeId(e.target.value);
              setProblem(null);
            }}
          >
            <option value="">{staff.loading ? "Loading colleagues…" : "Choose a colleague…"}</option>
            {colleagues.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button button--secondary" disabled={loading || staff.loading}>
          {loading ? "Giving…" : "Give to colleague"}
        </button>
      </div>
    </form>
  );
}
