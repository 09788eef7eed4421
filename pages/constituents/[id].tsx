import { useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useState } from "react";
import { authOptions } from "../../src/server/auth/auth-options";
import { Fact } from "../../src/client/components/constituent-card";
import { ContactHistoryItem } from "../../src/client/components/contact-history";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem } from "../../src/client/errors";
import {
  CHANNEL_LABELS,
  displayName,
  formatAddress,
  formatPhone,
  label,
  LANGUAGE_LABELS,
} from "../../src/client/format";
import { CONSTITUENT_SCREEN } from "../../src/client/operations/constituents";
import { firstQueryValue, staffPageProps } from "../../src/client/session";

interface ConstituentPageProps {
  id: string;
}

export default function ConstituentPage({ id }: ConstituentPageProps) {
  const { data, loading, error } = useQuery(CONSTITUENT_SCREEN, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });
  // One clock reading per visit, so that "overdue" does not flicker while the page is open.
  const [now] = useState(() => Date.now());
  const c = data?.constituent;

  if (!c) {
    const problem = error ? apiProblem(error) : null;
    return (
      <StaffLayout title="Constituent">
        <h1>Constituent</h1>
        {loading ? (
          <p aria-live="polite">Loading the record…</p>
        ) : (
          <div className="form-errors" role="alert">
            <p>
              {problem?.form ?? problem?.fields.id ?? "No constituent with that id."}{" "}
              <Link href="/intake">Search for the constituent</Link>
            </p>
          </div>
        )}
      </StaffLayout>
    );
  }

  const name = displayName(c);
  const address = formatAddress(c);
  return (
    <StaffLayout title={name}>
      <h1>{name}</h1>
      {c.mergedIntoId ? (
        <p className="notice notice--warning" role="note">
          This record was merged into another one.{" "}
          <Link href={`/constituents/${c.mergedIntoId}`}>Open the surviving record</Link>.
        </p>
      ) : null}
      <div className="actions">
        <Link className="button" href={`/intake?constituentId=${encodeURIComponent(c.id)}`}>
          Record a new contact
        </Link>
      </div>
      <section aria-labelledby="details-heading" className="panel">
        <h2 id="details-heading">Details</h2>
        <dl className="facts">
          <Fact term="Name">{[c.firstName, c.lastName].filter(Boolean).join(" ")}</Fact>
          <Fact term="Organization">{c.organization}</Fact>
          <Fact term="Phone">{formatPhone(c.phone)}</Fact>
          <Fact term="Email">{c.email}</Fact>
          <Fact term="Address">{address}</Fact>
          <Fact term="Preferred language">{label(LANGUAGE_LABELS, c.preferredLanguage)}</Fact>
          <div>
            <dt>Preferred channel</dt>
            <dd>
              {label(CHANNEL_LABELS, c.preferredChannel) || <span className="muted">no preference</span>}
            </dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">
          History{" "}
          <span className="muted">
            ({c.contacts.length} {c.contacts.length === 1 ? "contact" : "contacts"}, newest first)
          </span>
        </h2>
        {c.contacts.length ? (
          <ol className="history" aria-labelledby="history-heading">
            {c.contacts.map((k) => (
              <ContactHistoryItem key={k.id} c={k} now={now} />
            ))}
          </ol>
        ) : (
          <p>No contacts yet.</p>
        )}
      </section>
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl, params }) => {
  const session = await getServerSession(req, res, authOptions());
  const id = firstQueryValue(params?.id);
  if (!id) return { notFound: true };
  return staffPageProps(session, resolvedUrl, { id });
};
