import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { apiProblem, problemMessages, type ApiProblem } from "../errors";
import {
  ADD_SUPPORTING_ASSIGNMENT,
  DEPARTMENTS,
  REOPEN_CONTACT,
  TRANSFER_ASSIGNMENT,
  type AssignmentDetail,
} from "../operations/assignments";
import { CATEGORIES } from "../operations/reference";
import { Field, FormErrors, focusFirstProblem } from "./field";

interface ActionFormProps {
  assignment: AssignmentDetail;
  onSaved: (message: string) => void;
  onStale: () => void;
}

function required(fields: Record<string, string>): ApiProblem | null {
  return Object.keys(fields).length ? { fields, form: null, code: "BAD_USER_INPUT", extensions: {} } : null;
}

/** Shared error handling: a stale version reloads the page's state, anything else shows in the form. */
function useFormProblem(onStale: () => void) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (problem) focusFirstProblem(form.current);
  }, [problem]);
  const fail = (err: unknown) => {
    const p = apiProblem(err);
    if (p.code === "CONFLICT") onStale();
    else setProblem(p);
  };
  return { problem, setProblem, form, fail };
}

function DepartmentSelect({
  id,
  value,
  onChange,
  excludeId,
  a11y,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  excludeId: string;
  a11y: object;
}) {
  const { data } = useQuery(DEPARTMENTS);
  return (
    <select {...a11y} id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a department…</option>
      {data?.departments
        .filter((d) => d.active && d.id !== excludeId)
        .map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
    </select>
  );
}

/** A misrouted assignment goes to the right department, with a reason and optionally a better category. */
export function TransferForm({ assignment, onSaved, onStale }: ActionFormProps) {
  const [departmentId, setDepartmentId] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [reason, setReason] = useState("");
  const categories = useQuery(CATEGORIES);
  const [transfer, { loading }] = useMutation(TRANSFER_ASSIGNMENT);
  const { problem, setProblem, form, fail } = useFormProblem(onStale);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = required({
      ...(departmentId ? {} : { departmentId: "Choose the department to transfer to." }),
      ...(reason.trim() ? {} : { reason: "Say why the assignment is transferred." }),
    });
    setProblem(local);
    if (local) return;
    try {
      const res = await transfer({
        variables: {
          input: {
            id: assignment.id,
            version: assignment.version,
            departmentId,
            reason: reason.trim(),
            categoryId: categoryId || null,
          },
        },
      });
      setReason("");
      onSaved(`Transferred to ${res.data?.transferAssignment.department.name ?? "the other department"}.`);
    } catch (err) {
      fail(err);
    }
  }

  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} aria-labelledby="transfer-heading">
      <h3 id="transfer-heading">Transfer to another department</h3>
      <FormErrors
        id="transfer-errors"
        messages={problem ? problemMessages(problem, ["departmentId", "reason", "categoryId"]) : []}
      />
      <Field id="transfer-department" label="Department" error={problem?.fields.departmentId}>
        {(a11y) => (
          <DepartmentSelect
            id="transfer-department"
            a11y={a11y}
            value={departmentId}
            onChange={setDepartmentId}
            excludeId={assignment.department.id}
          />
        )}
      </Field>
      <Field id="transfer-category" label="Correct the category" optional error={problem?.fields.categoryId}>
        {(a11y) => (
          <select {...a11y} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
            <option value="">Keep {assignment.contact.category.name}</option>
            {categories.data?.categories
              .filter((c) => c.id !== assignment.contact.category.id)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.department.name})
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field id="transfer-reason" label="Reason" error={problem?.fields.reason}>
        {(a11y) => <textarea {...a11y} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" className="button button--secondary" disabled={loading}>
        {loading ? "Transferring…" : "Transfer"}
      </button>
    </form>
  );
}

/** Another department helps with internal notes; the lead still gives the one answer. */
export function SupportForm({ assignment, onSaved, onStale }: ActionFormProps) {
  const [departmentId, setDepartmentId] = useState("");
  const [reason, setReason] = useState("");
  const [add, { loading }] = useMutation(ADD_SUPPORTING_ASSIGNMENT);
  const { problem, setProblem, form, fail } = useFormProblem(onStale);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = required({
      ...(departmentId ? {} : { departmentId: "Choose the department to ask." }),
      ...(reason.trim() ? {} : { reason: "Say what you need from them." }),
    });
    setProblem(local);
    if (local) return;
    try {
      const res = await add({
        variables: { input: { contactId: assignment.contact.id, departmentId, reason: reason.trim() } },
      });
      setDepartmentId("");
      setReason("");
      onSaved(`${res.data?.addSupportingAssignment.department.name ?? "The department"} was asked to help.`);
    } catch (err) {
      fail(err);
    }
  }

  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} aria-labelledby="support-heading">
      <h3 id="support-heading">Ask another department to help</h3>
      <FormErrors
        id="support-errors"
        messages={problem ? problemMessages(problem, ["departmentId", "reason"]) : []}
      />
      <Field id="support-department" label="Department" error={problem?.fields.departmentId}>
        {(a11y) => (
          <DepartmentSelect
            id="support-department"
            a11y={a11y}
            value={departmentId}
            onChange={setDepartmentId}
            excludeId={assignment.department.id}
          />
        )}
      </Field>
      <Field id="support-reason" label="What you need from them" error={problem?.fields.reason}>
        {(a11y) => <textarea {...a11y} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" className="button button--secondary" disabled={loading}>
        {loading ? "Asking…" : "Ask for help"}
      </button>
    </form>
  );
}

/** A closed contact opens again only with a reason, which the timeline keeps. */
export function ReopenForm({ assignment, onSaved, onStale }: ActionFormProps) {
  const [reason, setReason] = useState("");
  const [reopen, { loading }] = useMutation(REOPEN_CONTACT);
  const { problem, setProblem, form, fail } = useFormProblem(onStale);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = required(reason.trim() ? {} : { reason: "Say why the contact is reopened." });
    setProblem(local);
    if (local) return;
    try {
      await reopen({ variables: { input: { contactId: assignment.contact.id, reason: reason.trim() } } });
      setReason("");
      onSaved("The contact was reopened.");
    } catch (err) {
      fail(err);
    }
  }

  return (
    <form ref={form} noValidate onSubmit={(e) => void submit(e)} aria-labelledby="reopen-heading">
      <h3 id="reopen-heading">Reopen the contact</h3>
      <FormErrors id="reopen-errors" messages={problem ? problemMessages(problem, ["reason"]) : []} />
      <Field id="reopen-reason" label="Reason for reopening" error={problem?.fields.reason}>
        {(a11y) => <textarea {...a11y} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" className="button" disabled={loading}>
        {loading ? "Reopening…" : "Reopen"}
      </button>
    </form>
  );
}
