import { useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import { useSession } from "next-auth/react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { DateTime } from "../../src/client/components/date-time";
import { Field, FormErrors } from "../../src/client/components/field";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem, withoutFieldPrefix, type ApiProblem } from "../../src/client/errors";
import { label, ROLE_LABELS } from "../../src/client/format";
import { API_TOKENS, CREATE_API_TOKEN, REVOKE_API_TOKEN } from "../../src/client/operations/analytics";
import { mayUseAnalystWorkspace } from "../../src/client/roles";
import { staffPageProps } from "../../src/client/session";
import { authOptions } from "../../src/server/auth/auth-options";

const LIFETIMES = [
  { days: 7, text: "7 days" },
  { days: 30, text: "30 days" },
  { days: 90, text: "90 days" },
  { days: 365, text: "1 year" },
];

export default function ApiTokensPage() {
  const { data: session } = useSession();
  const user = session?.user;
  const allowed = !user || mayUseAnalystWorkspace(user.role);
  const tokens = useQuery(API_TOKENS, { skip: !allowed });
  const [name, setName] = useState("");
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState("");
  // Read once per visit: whether a token has expired does not need to tick while the page is open.
  const [now] = useState(() => Date.now());
  const [create, creating] = useMutation(CREATE_API_TOKEN, { refetchQueries: [API_TOKENS] });
  const [revoke] = useMutation(REVOKE_API_TOKEN, { refetchQueries: [API_TOKENS] });

  if (!allowed) {
    return (
      <StaffLayout title="API tokens">
        <h1>API tokens</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, user!.role)} role has no API tokens.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setCreated(null);
    try {
      const res = await create({ variables: { input: { name, expiresInDays: days } } });
      setCreated({ token: res.data!.createApiToken.token, name: res.data!.createApiToken.apiToken.name });
      setName("");
    } catch (err) {
      setProblem(apiProblem(err));
    }
  };

  const onRevoke = async (id: string, tokenName: string) => {
    await revoke({ variables: { id } });
    setStatus(`Revoked “${tokenName}”: it no longer works.`);
  };

  const nameError = problem?.fields.name ? withoutFieldPrefix(problem.fields.name, "name") : null;
  const list = tokens.data?.apiTokens ?? [];

  return (
    <StaffLayout title="API tokens">
      <h1>Personal API tokens</h1>
      <p>
        A token lets a script or notebook read the GraphQL API at <code>/api/graphql</code> as you, sent as{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>. Tokens are read-only: they cannot change anything,
        whatever your role. <Link href="/analyst">Back to the analyst workspace</Link>
      </p>
      <form className="panel" onSubmit={(e) => void onCreate(e)} noValidate>
        <h2>New token</h2>
        <Field
          id="token-name"
          label="What it is for"
          error={nameError}
          hint="For example: weekly overdue notebook"
        >
          {(a11y) => (
            <input {...a11y} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field id="token-days" label="Expires after">
          {(a11y) => (
            <select {...a11y} value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {LIFETIMES.map((l) => (
                <option key={l.days} value={l.days}>
                  {l.text}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormErrors
          id="token-errors"
          messages={
            problem && !nameError
              ? [problem.form, ...Object.values(problem.fields)].filter((m): m is string => !!m)
              : []
          }
        />
        <div className="actions">
          <button type="submit" className="button" disabled={creating.loading}>
            Create token
          </button>
        </div>
      </form>
      {created ? (
        <div className="notice notice--ok" role="status">
          <p>
            Token “{created.name}” created. Copy it now: it is shown only this once and STAR keeps only a
            fingerprint of it.
          </p>
          <p>
            <label htmlFor="new-token">Your token</label>
            <input
              id="new-token"
              readOnly
              value={created.token}
              onFocus={(e) => e.target.select()}
              size={60}
            />
          </p>
        </div>
      ) : null}
      <h2>Your tokens</h2>
      {list.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => {
                const expired = new Date(t.expiresAt).getTime() < now;
                return (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>
                      <DateTime value={t.createdAt} />
                    </td>
                    <td>
                      <DateTime value={t.expiresAt} />
                    </td>
                    <td>{t.lastUsedAt ? <DateTime value={t.lastUsedAt} /> : "Never"}</td>
                    <td>
                      {t.revokedAt ? (
                        "Revoked"
                      ) : expired ? (
                        "Expired"
                      ) : (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          aria-label={`Revoke token ${t.name}`}
                          onClick={() => void onRevoke(t.id, t.name)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{tokens.loading ? "Loading…" : "You have no tokens."}</p>
      )}
      <p role="status" aria-live="polite" className="status-line">
        {status}
      </p>
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
