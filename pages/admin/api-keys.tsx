import { useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { authOptions } from "../../src/server/auth/auth-options";
import { DateTime } from "../../src/client/components/date-time";
import { Field, FormErrors } from "../../src/client/components/field";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem, withoutFieldPrefix } from "../../src/client/errors";
import { label, ROLE_LABELS } from "../../src/client/format";
import {
  API_KEYS,
  ISSUE_API_KEY,
  REVOKE_API_KEY,
  type ApiKeyRow,
} from "../../src/client/operations/api-keys";
import { staffPageProps } from "../../src/client/session";

/** Open311 clients' keys: issue one (its key is shown once) and revoke it. Administrators only. */
export default function ApiKeysPage() {
  const { data: session } = useSession();
  const user = session?.user;
  const isAdmin = user?.role === "ADMIN";
  const keys = useQuery(API_KEYS, { skip: !isAdmin, fetchPolicy: "cache-and-network" });
  const [issue, issuing] = useMutation(ISSUE_API_KEY);
  const [revoke] = useMutation(REVOKE_API_KEY);

  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [revokingId, setRevokingId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const issuedRef = useRef<HTMLDivElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (issued) issuedRef.current?.focus();
  }, [issued]);
  useEffect(() => {
    if (problems.length) document.getElementById("api-key-problems")?.focus();
  }, [problems]);

  if (user && !isAdmin) {
    return (
      <StaffLayout title="API keys">
        <h1>API keys</h1>
        <p className="notice notice--warning">
          Only administrators manage Open311 API keys; the {label(ROLE_LABELS, user.role)} role does not.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  async function onIssue(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setProblems([]);
    setNotice(null);
    setIssued(null);
    if (!name.trim()) {
      setNameError("Say who the key is for.");
      nameRef.current?.focus();
      return;
    }
    setNameError(null);
    try {
      const res = await issue({ variables: { input: { name } } });
      const made = res.data?.issueApiKey;
      if (made) {
        setIssued({ name: made.apiKey.name, key: made.key });
        setName("");
        void keys.refetch();
      }
    } catch (err) {
      const p = apiProblem(err);
      if (p.fields.name) {
        setNameError(withoutFieldPrefix(p.fields.name, "name"));
        nameRef.current?.focus();
      } else setProblems([p.form ?? "The key could not be issued."]);
    }
  }

  async function onRevoke(k: ApiKeyRow) {
    setRevokingId(k.id);
    setProblems([]);
    setNotice(null);
    try {
      await revoke({ variables: { input: { id: k.id } } });
      setNotice(`The key for ${k.name} (${k.keyPrefix}…) is revoked: Open311 requests with it are refused.`);
    } catch (err) {
      const p = apiProblem(err);
      setProblems([p.form ?? Object.values(p.fields)[0] ?? "The key could not be revoked."]);
    } finally {
      setRevokingId(null);
      setConfirming(null);
      void keys.refetch();
    }
  }

  const rows = keys.data?.apiKeys ?? [];
  return (
    <StaffLayout title="API keys">
      <h1>Open311 API keys</h1>
      <p>
        Apps and vendors send their key as <code>api_key</code> when they submit a service request to{" "}
        <code>/open311/v2/requests.xml</code> (or <code>.json</code>). Reading services and requests needs no
        key. A key is issued on the condition that the app shows the city&apos;s public-record notice before a
        request is sent.
      </p>

      <FormErrors id="api-key-problems" messages={problems} />
      {notice ? (
        <p className="notice notice--ok" role="status">
          {notice}
        </p>
      ) : null}

      <form className="panel" aria-labelledby="issue-heading" onSubmit={onIssue} noValidate>
        <h2 id="issue-heading">Issue a key</h2>
        <Field
          id="api-key-name"
          label="Who is the key for?"
          hint="The app or vendor, e.g. Neighborhood 311 app"
          error={nameError}
        >
          {(a11y) => (
            <input
              {...a11y}
              ref={nameRef}
              name="name"
              type="text"
              maxLength={100}
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={issuing.loading}>
            {issuing.loading ? "Issuing…" : "Issue key"}
          </button>
        </div>
      </form>

      {issued ? (
        <div
          ref={issuedRef}
          id="issued-key"
          className="notice notice--ok"
          role="status"
          tabIndex={-1}
          aria-labelledby="issued-key-heading"
        >
          <h2 id="issued-key-heading">New key for {issued.name}</h2>
          <p>
            Copy it now and give it to the client: it is shown only this once. STAR keeps only a fingerprint
            of it.
          </p>
          <p>
            <code id="issued-key-value">{issued.key}</code>
          </p>
        </div>
      ) : null}

      <div className="table-wrap">
        <table className="queue-table">
          <caption>
            Keys <span className="muted">({rows.filter((k) => k.active).length} active)</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Key starts with</th>
              <th scope="col">Issued</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>
                  <code>{k.keyPrefix}…</code>
                </td>
                <td>
                  <DateTime value={k.createdAt} />
                  {k.createdBy ? <span className="muted"> by {k.createdBy.name}</span> : null}
                </td>
                <td>
                  {k.lastUsedAt ? <DateTime value={k.lastUsedAt} /> : <span className="muted">never</span>}
                </td>
                <td>
                  {k.active ? (
                    "Active"
                  ) : (
                    <>
                      Revoked <DateTime value={k.revokedAt} />
                      {k.revokedBy ? <span className="muted"> by {k.revokedBy.name}</span> : null}
                    </>
                  )}
                </td>
                <td>
                  {!k.active ? null : confirming === k.id ? (
                    <span role="group" aria-label={`Revoke the key for ${k.name}?`}>
                      <button
                        type="button"
                        className="button button--small"
                        disabled={revokingId === k.id}
                        onClick={() => void onRevoke(k)}
                      >
                        {revokingId === k.id ? "Revoking…" : "Yes, revoke"}
                        <span className="visually-hidden"> the key for {k.name}</span>
                      </button>{" "}
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        onClick={() => setConfirming(null)}
                      >
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => setConfirming(k.id)}
                    >
                      Revoke<span className="visually-hidden"> the key for {k.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {keys.error ? <p className="notice notice--warning">{apiProblem(keys.error).form}</p> : null}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
