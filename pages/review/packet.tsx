import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { authOptions } from "../../src/server/auth/auth-options";
import { viewerFromRequest } from "../../src/server/auth/session";
import { getDataSource } from "../../src/server/db/data-source";
import { DomainError } from "../../src/server/errors/domain-error";
import {
  buildReviewPacket,
  type PacketFindings,
  type ReviewPacket,
} from "../../src/server/review/review-packet.service";
import type { ConsistencyFinding } from "../../src/server/review/consistency.service";
import { FINDING_KIND_LABELS, figureText } from "../../src/server/review/packet-text";
import { AssignmentLink } from "../../src/client/components/assignment-link";
import { DateTime } from "../../src/client/components/date-time";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { MARK_KIND_LABELS } from "../../src/client/operations/review";
import { staffPageProps } from "../../src/client/session";

type Serialized<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

interface PacketProps {
  packet:
    | (Omit<Serialized<ReviewPacket>, "concerns" | "longestWaiting" | "findings"> & {
        concerns: Serialized<ReviewPacket["concerns"][number]>[];
        longestWaiting: Serialized<ReviewPacket["longestWaiting"][number]>[];
        findings: (Omit<PacketFindings, "items"> & { items: Serialized<ConsistencyFinding>[] }) | null;
      })
    | null;
}

const PRINT_CSS = `@media print {
  .site-header, .site-footer, .skip-link, .no-print { display: none !important; }
  .panel { break-inside: avoid; box-shadow: none; border: 0; }
  a { color: inherit; text-decoration: none; }
}`;

/** The weekly review packet as a page to read or print; the same content as the PDF. */
export default function ReviewPacketPage({ packet }: PacketProps) {
  if (!packet) {
    return (
      <StaffLayout title="Weekly review packet">
        <h1>Weekly review packet</h1>
        <p className="notice notice--warning">
          Only the City Manager&apos;s Office, administrators and analysts read the review packet.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }
  const unresolved = packet.concerns.filter((c) => !c.resolvedAt);
  const resolved = packet.concerns.filter((c) => c.resolvedAt);
  return (
    <StaffLayout title={`Review packet, week of ${packet.weekStart}`}>
      <style>{PRINT_CSS}</style>
      <p className="breadcrumb no-print">
        <Link href="/review">Weekly review</Link>
      </p>
      <h1>
        {packet.cityName}: weekly review packet, week of {packet.weekStart}
      </h1>
      <p className="muted">
        Prepared <DateTime value={packet.generatedAt} />. Ages are calendar days since the assignment was
        made.
      </p>
      <div className="actions no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
        <a className="button button--secondary" href="/api/review/packet.pdf">
          Download the PDF
        </a>
      </div>

      <section className="panel" aria-labelledby="packet-summary">
        <h2 id="packet-summary">Summary</h2>
        <p>
          {packet.cycle
            ? `This week's review is ${packet.cycle.status === "OPEN" ? "open" : "closed"}: ${packet.cycle.reviewed} of ${packet.cycle.total} open assignments reviewed.`
            : "This week's review has not been started."}
        </p>
        <p>
          Open assignments: <strong>{packet.open}</strong>; overdue: <strong>{packet.overdue}</strong>.
        </p>
        <dl className="counts" aria-label="By age">
          {packet.byBucket.map((b) => (
            <div key={b.label} className="count">
              <dt>{b.label}</dt>
              <dd>{b.count}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="panel" aria-labelledby="packet-five-day">
        <h2 id="packet-five-day">
          Completed in under five days, {packet.fiveDay.from} to {packet.fiveDay.to}
        </h2>
        <p>
          City-wide: <strong>{figureText(packet.fiveDay.city)}</strong>. The goal is{" "}
          {Math.round(packet.fiveDay.goal * 100)}%. <Link href="/reports">Definitions and charts</Link>
        </p>
        {packet.fiveDay.departments.length ? (
          <ul>
            {packet.fiveDay.departments.map((d) => (
              <li key={d.key}>
                {d.label}: {figureText(d)}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      {packet.findings ? (
        <section className="panel" aria-labelledby="packet-findings">
          <h2 id="packet-findings">
            Consistency findings, {packet.findings.from} to {packet.findings.to}
          </h2>
          <dl className="counts" aria-label="Findings by kind">
            {packet.findings.counts.map((c) => (
              <div key={c.kind} className="count">
                <dt>{c.label}</dt>
                <dd>
                  {c.count}
                  {c.more ? "+" : ""}
                </dd>
              </div>
            ))}
          </dl>
          {packet.findings.items.length ? (
            <ul>
              {packet.findings.items.map((f) => (
                <li key={`${f.kind}-${f.contactId}-${f.assignmentId ?? ""}`}>
                  {f.referenceNumber} ({f.departmentNames.join(", ")}, {f.categoryName}):{" "}
                  <strong>{FINDING_KIND_LABELS[f.kind]}</strong>. {f.detail}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No findings.</p>
          )}
          <p className="no-print">
            <Link href="/reports/findings">All findings</Link>
          </p>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="packet-departments">
        <h2 id="packet-departments">Departments</h2>
        {packet.departments.length ? (
          <div className="table-wrap">
            <table className="queue-table">
              <caption className="visually-hidden">Open assignments by department</caption>
              <thead>
                <tr>
                  <th scope="col">Department</th>
                  <th scope="col">Open</th>
                  <th scope="col">Overdue</th>
                  <th scope="col">Reviewed</th>
                  <th scope="col">With open concerns</th>
                </tr>
              </thead>
              <tbody>
                {packet.departments.map((d) => (
                  <tr key={d.departmentId}>
                    <th scope="row">{d.departmentName}</th>
                    <td>{d.open}</td>
                    <td>{d.overdue}</td>
                    <td>{d.reviewed}</td>
                    <td>{d.openConcerns}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No open assignments.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="packet-concerns">
        <h2 id="packet-concerns">Concerns awaiting the departments</h2>
        <ConcernList concerns={unresolved} empty="None." />
      </section>

      <section className="panel" aria-labelledby="packet-resolved">
        <h2 id="packet-resolved">Resolved this week</h2>
        <ConcernList concerns={resolved} empty="None yet." />
      </section>

      <section className="panel" aria-labelledby="packet-longest">
        <h2 id="packet-longest">Waiting longest</h2>
        {packet.longestWaiting.length ? (
          <ol>
            {packet.longestWaiting.map((l) => (
              <li key={l.assignmentId}>
                <AssignmentLink id={l.assignmentId} referenceNumber={l.referenceNumber} /> ({l.departmentName}
                , {l.categoryName}): {l.ageDays} days, due <DateTime value={l.dueAt} dateOnly />,{" "}
                {l.responseCount} responses or notes
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">No open assignments.</p>
        )}
      </section>
    </StaffLayout>
  );
}

function ConcernList({
  concerns,
  empty,
}: {
  concerns: NonNullable<PacketProps["packet"]>["concerns"];
  empty: string;
}) {
  if (!concerns.length) return <p className="muted">{empty}</p>;
  return (
    <ul className="responses">
      {concerns.map((c) => (
        <li key={c.markId} className="response">
          <p>
            <AssignmentLink id={c.assignmentId} referenceNumber={c.referenceNumber} /> · {c.departmentName} ·{" "}
            {c.categoryName} · <strong>{MARK_KIND_LABELS[c.kind]}</strong>{" "}
            <span className="muted">(week of {c.weekStart})</span>
          </p>
          <p>{c.note}</p>
          {c.resolvedAt ? (
            <p>
              <strong>Resolved</strong> <DateTime value={c.resolvedAt} />: {c.resolutionNote}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  const base = staffPageProps(session, resolvedUrl, {});
  if (!("props" in base)) return base;
  const ds = await getDataSource();
  const viewer = await viewerFromRequest(ds, req, res);
  try {
    const packet = await buildReviewPacket(ds, viewer);
    // Dates become ISO strings, as the page's props must be plain JSON.
    return { props: { ...(await base.props), packet: JSON.parse(JSON.stringify(packet)) } };
  } catch (err) {
    if (err instanceof DomainError) return { props: { ...(await base.props), packet: null } };
    throw err;
  }
};
