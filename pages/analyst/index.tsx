import { useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import { useSession } from "next-auth/react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useState, type FormEvent } from "react";
import { FormErrors } from "../../src/client/components/field";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem, type ApiProblem } from "../../src/client/errors";
import { label, ROLE_LABELS } from "../../src/client/format";
import {
  DELETE_SAVED_QUERY,
  SAVE_QUERY,
  SAVED_QUERIES,
  type SavedQueryRow,
} from "../../src/client/operations/analytics";
import { download, toCsv } from "../../src/client/result-export";
import { mayUseAnalystWorkspace } from "../../src/client/roles";
import { staffPageProps } from "../../src/client/session";
import { authOptions } from "../../src/server/auth/auth-options";
import styles from "../../src/client/components/analyst-workspace.module.css";

// GraphiQL touches the browser's window and storage as it loads: never rendered on the server.
const AnalystGraphiQL = dynamic(() => import("../../src/client/components/analyst-graphiql"), {
  ssr: false,
  loading: () => <p className="muted">Loading the query editor…</p>,
});

const STARTER = `# Contacts by department this year: counts and hours to close.
query ByDepartment {
  contactStats(groupBy: [DEPARTMENT], filter: { receivedFrom: "2026-01-01T00:00:00Z" }) {
    department { name }
    count
    openCount
    overdueCount
    medianHoursToClose
  }
}
`;

export default function AnalystWorkspace() {
  const { data: session } = useSession();
  const user = session?.user;
  const allowed = !user || mayUseAnalystWorkspace(user.role);
  const saved = useQuery(SAVED_QUERIES, { skip: !allowed });
  const [editor, setEditor] = useState({ key: "new", query: STARTER, variables: "" });
  const [current, setCurrent] = useState({ query: STARTER, variables: "" });
  const [selected, setSelected] = useState<SavedQueryRow | null>(null);
  const [name, setName] = useState("");
  const [result, setResult] = useState<{ data?: unknown } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState("");
  const [saveQuery, saving] = useMutation(SAVE_QUERY, { refetchQueries: [SAVED_QUERIES] });
  const [deleteQuery] = useMutation(DELETE_SAVED_QUERY, { refetchQueries: [SAVED_QUERIES] });

  const onEditQuery = useCallback((query: string) => setCurrent((c) => ({ ...c, query })), []);
  const onEditVariables = useCallback((variables: string) => setCurrent((c) => ({ ...c, variables })), []);
  const onResult = useCallback((r: unknown) => setResult(r as { data?: unknown }), []);

  if (!allowed) {
    return (
      <StaffLayout title="Analyst workspace">
        <h1>Analyst workspace</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, user!.role)} role has no analyst workspace.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  const open = (q: SavedQueryRow) => {
    setSelected(q);
    setName(q.name);
    setEditor({ key: q.id + q.updatedAt, query: q.query, variables: q.variables ?? "" });
    setCurrent({ query: q.query, variables: q.variables ?? "" });
    setResult(null);
    setStatus(`Opened “${q.name}”. Run it with the play button or Ctrl-Enter.`);
  };

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const sameName = selected && selected.name === name.trim() ? selected.id : null;
      const res = await saveQuery({
        variables: {
          input: { id: sameName, name, query: current.query, variables: current.variables.trim() || null },
        },
      });
      setSelected(res.data!.saveQuery);
      setStatus(`Saved “${res.data!.saveQuery.name}”.`);
    } catch (err) {
      setProblem(apiProblem(err));
    }
  };

  const onDelete = async (q: SavedQueryRow) => {
    await deleteQuery({ variables: { id: q.id } });
    if (selected?.id === q.id) setSelected(null);
    setStatus(`Deleted “${q.name}”.`);
  };

  const stamp = new Date().toISOString().slice(0, 10);
  const base = (selected?.name ?? "star-query").replace(/[^\w-]+/g, "-").toLowerCase();
  const hasData = !!result && result.data != null;

  return (
    <StaffLayout title="Analyst workspace">
      <h1>Analyst workspace</h1>
      <p>
        Read-only GraphQL over the city&apos;s contacts: the <strong>Docs</strong> button in the editor
        explains every field. Confidential requests show no person and no callback. Scripts and notebooks use
        a <Link href="/analyst/tokens">personal API token</Link>.
      </p>
      <div className={styles.workspace}>
        <section className="panel" aria-labelledby="saved-heading">
          <h2 id="saved-heading">Saved queries</h2>
          {saved.data?.savedQueries.length ? (
            <ul className={styles.savedList}>
              {saved.data.savedQueries.map((q) => (
                <li key={q.id}>
                  <button type="button" className="button button--link" onClick={() => open(q)}>
                    {q.name}
                  </button>{" "}
                  <button
                    type="button"
                    className="button button--link"
                    aria-label={`Delete saved query ${q.name}`}
                    onClick={() => void onDelete(q)}
                  >
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{saved.loading ? "Loading…" : "None yet: save the query in the editor."}</p>
          )}
          <form onSubmit={(e) => void onSave(e)} noValidate>
            <div className="field">
              <label htmlFor="saved-name">Name</label>
              <input id="saved-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
            </div>
            <FormErrors
              id="saved-errors"
              messages={
                problem
                  ? [problem.form, ...Object.values(problem.fields)].filter((m): m is string => !!m)
                  : []
              }
            />
            <div className="actions">
              <button type="submit" className="button" disabled={saving.loading || !name.trim()}>
                Save query
              </button>
            </div>
          </form>
          <h2>Download the result</h2>
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              disabled={!hasData}
              onClick={() =>
                download(`${base}-${stamp}.csv`, "text/csv;charset=utf-8", toCsv(result!.data as never))
              }
            >
              Download CSV
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={!hasData}
              onClick={() =>
                download(`${base}-${stamp}.json`, "application/json", `${JSON.stringify(result, null, 2)}\n`)
              }
            >
              Download JSON
            </button>
          </div>
          <p role="status" aria-live="polite" className="status-line">
            {status}
          </p>
        </section>
        <div className={styles.editor}>
          <AnalystGraphiQL
            key={editor.key}
            query={editor.query}
            variables={editor.variables}
            onEditQuery={onEditQuery}
            onEditVariables={onEditVariables}
            onResult={onResult}
          />
        </div>
      </div>
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
