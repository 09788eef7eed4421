import { useApolloClient, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { authOptions } from "../src/server/auth/auth-options";
import { DateTime } from "../src/client/components/date-time";
import { FormErrors } from "../src/client/components/field";
import { LoadMore } from "../src/client/components/load-more";
import { StaffLayout } from "../src/client/components/staff-layout";
import { apiProblem } from "../src/client/errors";
import { label, ROLE_LABELS } from "../src/client/format";
import {
  AUDIT_ENTITY_TYPES,
  AUDIT_EVENTS,
  type AuditEventFilter,
  type AuditEventRow,
} from "../src/client/operations/audit";
import { mayHandleRecords } from "../src/client/operations/records";
import { firstQueryValue, staffPageProps } from "../src/client/session";
import { useMorePages } from "../src/client/use-more-pages";

const PAGE_SIZE = 50;
const KEYS = ["actorEmail", "action", "entityType", "entityId", "from", "to"] as const;

function readFilter(q: Record<string, string | string[] | undefined>): AuditEventFilter {
  return Object.fromEntries(KEYS.map((k) => [k, firstQueryValue(q[k])])) as AuditEventFilter;
}

/** The audit log, newest first: who did what to which record and when; filters live in the URL. */
export default function AuditPage() {
  const router = useRouter();
  const { data: session } = useSession();
  const user = session?.user;
  const allowed = mayHandleRecords(user?.role);
  const filter = readFilter(router.query);
  const variables = { filter, first: PAGE_SIZE };
  const events = useQuery(AUDIT_EVENTS, { variables, skip: !allowed, fetchPolicy: "cache-and-network" });
  const client = useApolloClient();
  const key = JSON.stringify(filter);
  const [problem, setProblem] = useState<string | null>(null);
  const { rows, hasNext, loadingMore, loadMore } = useMorePages<AuditEventRow>(
    key,
    events.data?.auditEvents,
    async (after) =>
      (
        await client.query({
          query: AUDIT_EVENTS,
          variables: { ...variables, after },
          fetchPolicy: "network-only",
        })
      ).data?.auditEvents,
    setProblem,
  );

  if (user && !allowed) {
    return (
      <StaffLayout title="Audit log">
        <h1>Audit log</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, user.role)} role does not read the audit log.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const query: Record<string, string> = {};
    for (const k of KEYS) {
      const v = String(f.get(k) ?? "").trim();
      if (v) query[k] = v;
    }
    void router.push({ pathname: "/audit", query }, undefined, { shallow: true });
  }

  const loadProblem = events.error ? apiProblem(events.error) : null;
  return (
    <StaffLayout title="Audit log">
      <h1>Audit log</h1>
      <form
        key={key}
        className="panel"
        aria-labelledby="audit-filters-heading"
        onSubmit={apply}
        role="search"
      >
        <h2 id="audit-filters-heading">Filter</h2>
        <div className="grid">
          <div className="field">
            <label htmlFor="audit-actor">Who (sign-in email)</label>
            <input id="audit-actor" name="actorEmail" type="email" defaultValue={filter.actorEmail ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="audit-action">Action</label>
            <p id="audit-action-hint" className="hint">
              e.g. contact.recorded, or records_request. for all of a kind
            </p>
            <input
              id="audit-action"
              name="action"
              aria-describedby="audit-action-hint"
              defaultValue={filter.action ?? ""}
            />
          </div>
          <div className="field">
            <label htmlFor="audit-entity-type">Record kind</label>
            <select id="audit-entity-type" name="entityType" defaultValue={filter.entityType ?? ""}>
              <option value="">Any</option>
              {AUDIT_ENTITY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-entity-id">Record id</label>
            <input id="audit-entity-id" name="entityId" defaultValue={filter.entityId ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">From</label>
            <input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">To</label>
            <input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ""} />
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button">
            Apply
          </button>
          <Link href="/audit" className="button button--secondary">
            Clear filters
          </Link>
        </div>
      </form>

      {problem ? <FormErrors id="audit-problem" messages={[problem]} /> : null}
      {loadProblem ? (
        <div className="form-errors" role="alert">
          <p>
            {Object.values(loadProblem.fields)[0] ?? loadProblem.form ?? "The audit log could not be loaded."}
          </p>
        </div>
      ) : !events.data?.auditEvents ? (
        <p aria-live="polite">Loading the audit log…</p>
      ) : rows.length ? (
        <>
          <div className="table-wrap">
            <table className="queue-table audit-table">
              <caption className="visually-hidden">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Record</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <DateTime value={e.at} />
                    </td>
                    <td>{e.actor ? `${e.actor.name} (${e.actor.email})` : "System"}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.entityType} <span className="muted">{e.entityId}</span>
                    </td>
                    <td>{e.reason ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore
            hasNext={hasNext}
            loading={loadingMore}
            onLoad={() => {
              setProblem(null);
              void loadMore();
            }}
          />
        </>
      ) : (
        <p>No audit events match these filters.</p>
      )}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
