import { useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { authOptions } from "../../src/server/auth/auth-options";
import { DateTime } from "../../src/client/components/date-time";
import { Field, FormErrors, focusFirstProblem } from "../../src/client/components/field";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem, problemMessages, type ApiProblem } from "../../src/client/errors";
import { label, ROLE_LABELS } from "../../src/client/format";
import { DEPARTMENTS } from "../../src/client/operations/assignments";
import {
  mayHandleRecords,
  RECORD_RECORDS_REQUEST,
  RECORDS_REQUESTS,
  RECORDS_STATUS_LABELS,
} from "../../src/client/operations/records";
import { CATEGORIES } from "../../src/client/operations/reference";
import { staffPageProps } from "../../src/client/session";
import { fromCityWallTime, toCityDateTimeInput } from "../../src/client/time";

const SHOWN_FIELDS = [
  "requesterName",
  "requesterEmail",
  "requesterOrganization",
  "receivedAt",
  "description",
  "scope",
  "scope.receivedFrom",
  "scope.receivedTo",
  "scope.categoryIds",
  "scope.departmentIds",
  "scope.constituentId",
  "scope.text",
];

const selected = (f: FormData, name: string) => f.getAll(name).map(String).filter(Boolean);
const text = (f: FormData, name: string) => String(f.get(name) ?? "").trim() || null;

/** Public records requests: the list, soonest due first, and the form that records a new one. */
export default function RecordsPage() {
  const router = useRouter();
  const { data: session } = useSession();
  const user = session?.user;
  const allowed = mayHandleRecords(user?.role);
  const list = useQuery(RECORDS_REQUESTS, { skip: !allowed, fetchPolicy: "cache-and-network" });
  const categories = useQuery(CATEGORIES, { skip: !allowed });
  const departments = useQuery(DEPARTMENTS, { skip: !allowed });
  const [record, { loading: saving }] = useMutation(RECORD_RECORDS_REQUEST);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [receivedDefault] = useState(() => toCityDateTimeInput(new Date()));

  if (user && !allowed) {
    return (
      <StaffLayout title="Records requests">
        <h1>Records requests</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, user.role)} role does not handle public records requests.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const received = text(f, "receivedAt");
    const receivedAt = received ? fromCityWallTime(received) : null;
    setProblem(null);
    try {
      const res = await record({
        variables: {
          input: {
            requesterName: String(f.get("requesterName") ?? ""),
            requesterEmail: text(f, "requesterEmail"),
            requesterOrganization: text(f, "requesterOrganization"),
            receivedAt: receivedAt ? receivedAt.toISOString() : null,
            description: String(f.get("description") ?? ""),
            scope: {
              receivedFrom: text(f, "receivedFrom"),
              receivedTo: text(f, "receivedTo"),
              categoryIds: selected(f, "categoryIds"),
              departmentIds: selected(f, "departmentIds"),
              constituentId: text(f, "constituentId"),
              text: text(f, "text"),
              includeAttachmentFiles: f.get("includeAttachmentFiles") === "on",
            },
          },
        },
      });
      const id = res.data?.recordRecordsRequest.id;
      if (id) void router.push(`/records/${id}`);
    } catch (err) {
      setProblem(apiProblem(err));
      setTimeout(() => focusFirstProblem(form), 0);
    }
  }

  const err = (field: string) => problem?.fields[field] ?? null;
  const rows = list.data?.recordsRequests ?? [];
  return (
    <StaffLayout title="Records requests">
      <h1>Public records requests</h1>

      <section className="panel" aria-labelledby="list-heading">
        <h2 id="list-heading">Requests</h2>
        {list.error ? (
          <div className="form-errors" role="alert">
            <p>{apiProblem(list.error).form ?? "The requests could not be loaded."}</p>
          </div>
        ) : !list.data ? (
          <p aria-live="polite">Loading…</p>
        ) : rows.length ? (
          <div className="table-wrap">
            <table className="queue-table">
              <caption className="visually-hidden">Public records requests, soonest due first</caption>
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Requester</th>
                  <th scope="col">Received</th>
                  <th scope="col">Due</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link href={`/records/${r.id}`}>{r.referenceNumber}</Link>
                    </td>
                    <td>
                      {r.requesterName}
                      {r.requesterOrganization ? (
                        <span className="muted"> ({r.requesterOrganization})</span>
                      ) : null}
                    </td>
                    <td>
                      <DateTime value={r.receivedAt} />
                    </td>
                    <td>
                      <DateTime value={r.dueAt} />
                    </td>
                    <td>{label(RECORDS_STATUS_LABELS, r.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No records requests yet.</p>
        )}
      </section>

      <form className="panel" aria-labelledby="new-heading" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="new-heading">Record a request</h2>
        <FormErrors id="records-problem" messages={problem ? problemMessages(problem, SHOWN_FIELDS) : []} />
        <div className="grid">
          <Field id="requesterName" label="Requester's name" error={err("requesterName")}>
            {(a) => <input {...a} name="requesterName" autoComplete="off" required />}
          </Field>
          <Field id="requesterEmail" label="Requester's email" optional error={err("requesterEmail")}>
            {(a) => <input {...a} name="requesterEmail" type="email" autoComplete="off" />}
          </Field>
          <Field
            id="requesterOrganization"
            label="Organisation"
            optional
            error={err("requesterOrganization")}
          >
            {(a) => <input {...a} name="requesterOrganization" autoComplete="off" />}
          </Field>
          <Field
            id="receivedAt"
            label="Received at"
            hint="Arizona time; the due date follows the city's policy from here"
            error={err("receivedAt")}
          >
            {(a) => <input {...a} name="receivedAt" type="datetime-local" defaultValue={receivedDefault} />}
          </Field>
        </div>
        <Field id="description" label="What is asked" error={err("description")}>
          {(a) => <textarea {...a} name="description" rows={3} maxLength={4000} required />}
        </Field>

        <fieldset>
          <legend>Scope of the records</legend>
          {err("scope") ? (
            <p className="field-error" role="alert" data-problem tabIndex={-1}>
              {err("scope")}
            </p>
          ) : null}
          <div className="grid">
            <Field id="receivedFrom" label="Received from" optional error={err("scope.receivedFrom")}>
              {(a) => <input {...a} name="receivedFrom" type="date" />}
            </Field>
            <Field id="receivedTo" label="Received to" optional error={err("scope.receivedTo")}>
              {(a) => <input {...a} name="receivedTo" type="date" />}
            </Field>
            <Field
              id="categoryIds"
              label="Categories"
              optional
              hint="Hold Ctrl (or Cmd) to choose several"
              error={err("scope.categoryIds")}
            >
              {(a) => (
                <select {...a} name="categoryIds" multiple size={5}>
                  {categories.data?.categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="departmentIds" label="Departments" optional error={err("scope.departmentIds")}>
              {(a) => (
                <select {...a} name="departmentIds" multiple size={5}>
                  {departments.data?.departments.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id="constituentId"
              label="One constituent (record id)"
              optional
              error={err("scope.constituentId")}
            >
              {(a) => <input {...a} name="constituentId" autoComplete="off" />}
            </Field>
            <Field
              id="text"
              label="Words in the text"
              optional
              hint="In the description or a response"
              error={err("scope.text")}
            >
              {(a) => <input {...a} name="text" autoComplete="off" />}
            </Field>
          </div>
          <div className="checkbox">
            <input type="checkbox" id="includeAttachmentFiles" name="includeAttachmentFiles" defaultChecked />
            <label htmlFor="includeAttachmentFiles">Include the attachments&apos; files</label>
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? "Recording…" : "Record the request"}
          </button>
        </div>
      </form>
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
