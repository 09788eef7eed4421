import { useLazyQuery, useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useState } from "react";
import { authOptions } from "../../src/server/auth/auth-options";
import { DateTime } from "../../src/client/components/date-time";
import { FormErrors } from "../../src/client/components/field";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem } from "../../src/client/errors";
import { formatBytes, label } from "../../src/client/format";
import { DEPARTMENTS } from "../../src/client/operations/assignments";
import {
  CLOSE_RECORDS_REQUEST,
  PREVIEW_RECORDS_PACKAGE,
  PRODUCE_RECORDS_PACKAGE,
  RECORDS_REQUEST,
  RECORDS_STATUS_LABELS,
  REDACTION_RULE_LABELS,
  type RecordsCounts,
} from "../../src/client/operations/records";
import { CATEGORIES } from "../../src/client/operations/reference";
import { firstQueryValue, staffPageProps } from "../../src/client/session";
import { formatDate } from "../../src/client/time";

function CountsList({ counts }: { counts: RecordsCounts }) {
  return (
    <dl className="facts">
      <div>
        <dt>Contacts</dt>
        <dd>{counts.contacts.toLocaleString("en-US")}</dd>
      </div>
      <div>
        <dt>Assignments</dt>
        <dd>{counts.assignments.toLocaleString("en-US")}</dd>
      </div>
      <div>
        <dt>Responses</dt>
        <dd>{counts.responses.toLocaleString("en-US")}</dd>
      </div>
      <div>
        <dt>Attachments listed</dt>
        <dd>{counts.attachments.toLocaleString("en-US")}</dd>
      </div>
      <div>
        <dt>Attachment files</dt>
        <dd>{counts.attachmentFiles.toLocaleString("en-US")}</dd>
      </div>
      <div>
        <dt>Redactions</dt>
        <dd>{counts.redactions.toLocaleString("en-US")}</dd>
      </div>
    </dl>
  );
}

/** One records request: its scope, a preview of the package, producing it, the download, closing. */
export default function RecordsRequestPage({ id }: { id: string }) {
  const { data, loading, error } = useQuery(RECORDS_REQUEST, { variables: { id } });
  const categories = useQuery(CATEGORIES);
  const departments = useQuery(DEPARTMENTS);
  const [preview, previewResult] = useLazyQuery(PREVIEW_RECORDS_PACKAGE, { fetchPolicy: "network-only" });
  const [produce, { loading: producing }] = useMutation(PRODUCE_RECORDS_PACKAGE);
  const [close, { loading: closing }] = useMutation(CLOSE_RECORDS_REQUEST);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const request = data?.recordsRequest;
  const title = request ? `Records request ${request.referenceNumber}` : "Records request";

  async function act(what: "produce" | "close") {
    if (!request) return;
    setProblem(null);
    setNotice(null);
    try {
      const input = { id: request.id, version: request.version };
      if (what === "produce") {
        await produce({ variables: { input } });
        setNotice("The package is ready to download.");
      } else {
        await close({ variables: { input } });
        setNotice("The request is closed.");
      }
    } catch (err) {
      const p = apiProblem(err);
      setProblem(
        p.code === "CONFLICT"
          ? "Someone else changed this request; reload the page and try again."
          : (p.form ?? Object.values(p.fields)[0] ?? "That did not work."),
      );
    }
  }

  const scope = request?.scope;
  const names = (ids: string[], list: { id: string; name: string }[] | undefined) =>
    ids.map((i) => list?.find((x) => x.id === i)?.name ?? i).join(", ");
  const previewed = previewResult.data?.previewRecordsPackage;
  return (
    <StaffLayout title={title}>
      <p className="breadcrumb">
        <Link href="/records">Records requests</Link>
      </p>
      <h1>{title}</h1>
      {error ? (
        <div className="form-errors" role="alert">
          <p>{apiProblem(error).form ?? "The request could not be loaded."}</p>
        </div>
      ) : loading && !request ? (
        <p aria-live="polite">Loading…</p>
      ) : !request || !scope ? (
        <p className="notice notice--warning">There is no such records request.</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">The request</h2>
            <dl className="facts">
              <div>
                <dt>Requester</dt>
                <dd>
                  {request.requesterName}
                  {request.requesterOrganization ? ` (${request.requesterOrganization})` : ""}
                  {request.requesterEmail ? `, ${request.requesterEmail}` : ""}
                </dd>
              </div>
              <div>
                <dt>Received</dt>
                <dd>
                  <DateTime value={request.receivedAt} />
                </dd>
              </div>
              <div>
                <dt>Due</dt>
                <dd>
                  <DateTime value={request.dueAt} />
                </dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd className="records-status">{label(RECORDS_STATUS_LABELS, request.status)}</dd>
              </div>
            </dl>
            <p className="prose">{request.description}</p>
            <h3>Scope</h3>
            <ul>
              {scope.receivedFrom || scope.receivedTo ? (
                <li>
                  Received {scope.receivedFrom ? `from ${formatDate(`${scope.receivedFrom}T12:00:00Z`)}` : ""}
                  {scope.receivedTo ? ` to ${formatDate(`${scope.receivedTo}T12:00:00Z`)}` : ""}
                </li>
              ) : null}
              {scope.categoryIds.length ? (
                <li>Categories: {names(scope.categoryIds, categories.data?.categories)}</li>
              ) : null}
              {scope.departmentIds.length ? (
                <li>Departments: {names(scope.departmentIds, departments.data?.departments)}</li>
              ) : null}
              {scope.constituentId ? (
                <li>
                  Constituent:{" "}
                  <Link href={`/constituents/${scope.constituentId}`}>{scope.constituentId}</Link>
                </li>
              ) : null}
              {scope.text ? <li>Words: “{scope.text}”</li> : null}
              <li>
                {scope.includeAttachmentFiles ? "With the attachments' files" : "Attachments' metadata only"}
              </li>
            </ul>
          </section>

          <section className="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <p className="muted">
              Counts and redactions of the package as it would be produced now; nothing is produced.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button button--secondary"
                disabled={previewResult.loading}
                onClick={() => void preview({ variables: { id: request.id } })}
              >
                {previewResult.loading ? "Counting…" : "Preview the package"}
              </button>
            </div>
            {previewResult.error ? (
              <div className="form-errors" role="alert">
                <p>{apiProblem(previewResult.error).form ?? "The preview could not be made."}</p>
              </div>
            ) : null}
            {previewed ? (
              <div className="records-preview" aria-live="polite">
                <CountsList counts={previewed} />
                <div className="table-wrap">
                  <table className="queue-table">
                    <caption>Redactions by rule</caption>
                    <thead>
                      <tr>
                        <th scope="col">Rule</th>
                        <th scope="col">Redactions</th>
                      </tr>
                    </thead>
                    <tbody>
                      {previewed.redactionsByRule.map((r) => (
                        <tr key={r.rule}>
                          <td>{label(REDACTION_RULE_LABELS, r.rule)}</td>
                          <td>{r.count.toLocaleString("en-US")}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            ) : null}
          </section>

          <section className="panel" aria-labelledby="package-heading">
            <h2 id="package-heading">Package</h2>
            {problem ? <FormErrors id="records-problem" messages={[problem]} /> : null}
            <div role="status" aria-live="polite" className="status-line">
              {notice}
            </div>
            {request.packageUrl && request.counts ? (
              <>
                <p>
                  Produced <DateTime value={request.producedAt} />:{" "}
                  {formatBytes(request.packageSizeBytes ?? 0)}, SHA-256{" "}
                  <code className="records-sha">{request.packageSha256}</code>
                </p>
                <CountsList counts={request.counts} />
                <p>
                  <a className="button" href={request.packageUrl} download>
                    Download {request.referenceNumber}.zip
                  </a>
                </p>
              </>
            ) : (
              <p>No package has been produced yet.</p>
            )}
            <div className="actions">
              {request.status !== "CLOSED" ? (
                <button
                  type="button"
                  className="button button--primary"
                  disabled={producing}
                  onClick={() => void act("produce")}
                >
                  {producing ? "Producing…" : request.packageUrl ? "Produce again" : "Produce the package"}
                </button>
              ) : null}
              {request.status === "PRODUCED" ? (
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={closing}
                  onClick={() => void act("close")}
                >
                  {closing ? "Closing…" : "Close the request (fulfilled)"}
                </button>
              ) : null}
            </div>
          </section>
        </>
      )}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl, query }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, { id: firstQueryValue(query.id) ?? "" });
};
