import { useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { authOptions } from "../../src/server/auth/auth-options";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem } from "../../src/client/errors";
import { FINDINGS, type Finding, type FindingKind } from "../../src/client/operations/reports";
import { mayReview } from "../../src/client/roles";
import { firstQueryValue, staffPageProps } from "../../src/client/session";
import { formatDateTime, toCityDateInput } from "../../src/client/time";

const KINDS: { kind: FindingKind; title: string; what: string }[] = [
  {
    kind: "CONFLICTING_ANSWERS",
    title: "More than one answer",
    what: "Contacts with more than one final answer, or answers from more than one department.",
  },
  {
    kind: "DEPARTS_FROM_STANDARD",
    title: "Far from the standard response",
    what: "Final answers that differ strongly from the category's standard response.",
  },
  {
    kind: "REPEAT_CONTACT",
    title: "Contacted again",
    what: "The same constituent about the same category within 30 days, while the earlier contact was open or closed without an answer.",
  },
  {
    kind: "TRANSFERRED_OFTEN",
    title: "Transferred more than twice",
    what: "Requests passed between departments three times or more.",
  },
  {
    kind: "NO_ACTIVITY",
    title: "No activity",
    what: "Open assignments with no activity for five days or more.",
  },
];

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function FindingRows({ rows }: { rows: Finding[] }) {
  return (
    <div className="table-wrap">
      <table className="queue-table">
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Category</th>
            <th scope="col">Departments</th>
            <th scope="col">Finding</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={`${f.kind}-${f.contactId}-${f.assignmentId ?? ""}-${f.relatedReferenceNumber ?? ""}`}>
              <th scope="row">
                <span className="reference-link">{f.referenceNumber}</span>
              </th>
              <td>{f.categoryName}</td>
              <td>{f.departmentNames.join(", ")}</td>
              <td>{f.detail}</td>
              <td>{formatDateTime(f.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function FindingsPage() {
  const router = useRouter();
  const { data: session } = useSession();
  const user = session?.user;
  const allowed = !!user && mayReview(user.role);
  const to = firstQueryValue(router.query.to) ?? toCityDateInput(new Date());
  const from = firstQueryValue(router.query.from) ?? addDays(to, -6);
  const findings = useQuery(FINDINGS, { variables: { filter: { from, to } }, skip: !allowed });

  if (user && !allowed) {
    return (
      <StaffLayout title="Consistency findings">
        <h1>Consistency findings</h1>
        <p className="notice notice--warning">
          Consistency findings are for the City Manager&apos;s Office and administrators.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }
  const all = findings.data?.consistencyFindings ?? [];
  return (
    <StaffLayout title="Consistency findings">
      <h1>Consistency findings</h1>
      <p>
        From {from} to {to}. <Link href="/reports">Back to the five-day figure</Link>
      </p>
      <p>
        <a href={`/api/reports/findings.csv?${new URLSearchParams({ from, to }).toString()}`}>
          Download the findings as CSV
        </a>
      </p>
      {findings.error ? (
        <p className="notice notice--warning" role="alert">
          {apiProblem(findings.error).form ?? "The findings could not be loaded."}
        </p>
      ) : null}
      {!findings.data ? (
        <p role="status">Loading the findings…</p>
      ) : (
        KINDS.map((k) => {
          const rows = all.filter((f) => f.kind === k.kind);
          return (
            <section key={k.kind} className="panel" aria-labelledby={`finding-${k.kind}`}>
              <h2 id={`finding-${k.kind}`}>
                {k.title} ({rows.length})
              </h2>
              <p className="muted">{k.what}</p>
              {rows.length ? <FindingRows rows={rows} /> : <p>None in this period.</p>}
            </section>
          );
        })
      )}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
