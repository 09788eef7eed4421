import { useMutation, useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { authOptions } from "../../src/server/auth/auth-options";
import { Fact } from "../../src/client/components/constituent-card";
import { DateTime } from "../../src/client/components/date-time";
import { FormErrors } from "../../src/client/components/field";
import { GiveToColleague } from "../../src/client/components/give-to-colleague";
import { RespondForm } from "../../src/client/components/respond-form";
import { ReissueLetter } from "../../src/client/components/reissue-letter";
import { ResponseExtras } from "../../src/client/components/response-extras";
import { ReviewMarksPanel } from "../../src/client/components/review-marks-panel";
import { Timeline } from "../../src/client/components/timeline";
import { ReopenForm, SupportForm, TransferForm } from "../../src/client/components/transfer-form";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem } from "../../src/client/errors";
import {
  CHANNEL_LABELS,
  displayName,
  formatBytes,
  label,
  LANGUAGE_LABELS,
  RESPONSE_CHANNEL_LABELS,
  STATUS_LABELS,
} from "../../src/client/format";
import {
  ASSIGNMENT_SCREEN,
  CLAIM_ASSIGNMENT,
  COMPLETE_ASSIGNMENT,
  type AssignmentDetail,
  type AssignmentResponse,
} from "../../src/client/operations/assignments";
import { mayWorkQueue } from "../../src/client/roles";
import { firstQueryValue, staffPageProps } from "../../src/client/session";

const STALE = "Someone else changed this assignment; here is the current state.";
const ACTIVE = new Set(["OPEN", "IN_PROGRESS"]);

function ResponseItem({ r, onLetter }: { r: AssignmentResponse; onLetter: (() => void) | null }) {
  const note = r.kind === "NOTE";
  return (
    <li className={note ? "response response--note" : "response"}>
      <p className="response__meta">
        {note ? (
          <span className="tag tag--note">Internal note</span>
        ) : (
          <span className="tag">{r.isFinal ? "Final response" : "Response"}</span>
        )}
        {r.channel ? <span> by {label(RESPONSE_CHANNEL_LABELS, r.channel)}</span> : null}
        <span>
          {" · "}
          {note ? "written " : r.sentAt ? "sent " : "written "}
          <DateTime value={note ? r.createdAt : (r.sentAt ?? r.createdAt)} />
        </span>
      </p>
      <p className="prose">{r.body}</p>
      <ResponseExtras attachments={r.attachments} delivery={r.delivery} channel={r.channel} />
      {onLetter && r.channel === "LETTER" ? <ReissueLetter responseId={r.id} onDone={onLetter} /> : null}
    </li>
  );
}

function ContactDetails({ a }: { a: AssignmentDetail }) {
  const c = a.contact;
  return (
    <section aria-labelledby="contact-heading" className="panel">
      <h2 id="contact-heading">The request</h2>
      <dl className="facts">
        <Fact term="Reference">{c.referenceNumber}</Fact>
        <Fact term="Category">{c.category.name}</Fact>
        <Fact term="Received">
          <DateTime value={c.receivedAt} />
        </Fact>
        <Fact term="Channel">{label(CHANNEL_LABELS, c.channel)}</Fact>
        <Fact term="Language">{label(LANGUAGE_LABELS, c.language)}</Fact>
        <Fact term="Location">{c.locationAddress}</Fact>
        <Fact term="Contact status">{label(STATUS_LABELS, c.status)}</Fact>
        <div>
          <dt>Constituent</dt>
          <dd>
            {c.confidential || !c.constituent ? (
              <span className="tag">Confidential request</span>
            ) : (
              <Link href={`/constituents/${encodeURIComponent(c.constituent.id)}`}>
                {displayName(c.constituent)}
              </Link>
            )}
          </dd>
        </div>
        {a.reporterCount > 1 ? <Fact term="Reporters">{`${a.reporterCount} reporters`}</Fact> : null}
      </dl>
      <h3>Description</h3>
      <p className="prose description">{c.description}</p>
      {c.attachments.length ? (
        <>
          <h3>Attachments</h3>
          <ul className="file-list">
            {c.attachments.map((f) => (
              <li key={f.id}>
                <a href={f.downloadUrl}>{f.fileName}</a>{" "}
                <span className="muted">
                  ({f.contentType}, {formatBytes(f.sizeBytes)})
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

interface AssignmentPageProps {
  id: string;
}

export default function AssignmentPage({ id }: AssignmentPageProps) {
  const { data: session } = useSession();
  const user = session?.user;
  const { data, loading, error, refetch } = useQuery(ASSIGNMENT_SCREEN, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });
  const [claim, claiming] = useMutation(CLAIM_ASSIGNMENT);
  const [complete, completing] = useMutation(COMPLETE_ASSIGNMENT);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Bumped after each change so that the forms start afresh from the current state.
  const [round, setRound] = useState(0);
  const problemBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (problem) problemBox.current?.querySelector<HTMLElement>(".form-errors")?.focus();
  }, [problem]);

  const a = data?.assignment;
  if (!a) {
    const p = error ? apiProblem(error) : null;
    return (
      <StaffLayout title="Assignment">
        <h1>Assignment</h1>
        {loading ? (
          <p aria-live="polite">Loading the assignment…</p>
        ) : (
          <div className="form-errors" role="alert">
            <p>
              {p?.form ?? p?.fields.id ?? "No assignment with that id, or not one you may see."}{" "}
              <Link href="/queue">Back to the queue</Link>
            </p>
          </div>
        )}
      </StaffLayout>
    );
  }

  const saved = (message: string) => {
    setProblem(null);
    setNotice(message);
    setRound((r) => r + 1);
    void refetch();
  };
  const stale = () => {
    setNotice(null);
    setProblem(STALE);
    setRound((r) => r + 1);
    void refetch();
  };
  const failed = (err: unknown, fallback: string) => {
    const p = apiProblem(err);
    if (p.code === "CONFLICT" && p.extensions.reason === "NO_ANSWER") {
      setNotice(null);
      setProblem("The constituent has no answer yet: send your response below, marked as the final answer.");
    } else if (p.code === "CONFLICT") stale();
    else {
      setNotice(null);
      setProblem(p.form ?? Object.values(p.fields)[0] ?? fallback);
    }
  };

  async function claimForMe(current: AssignmentDetail) {
    try {
      await claim({ variables: { input: { id: current.id, version: current.version } } });
      saved("You claimed this assignment.");
    } catch (err) {
      failed(err, "The assignment could not be claimed.");
    }
  }

  async function completeIt(current: AssignmentDetail) {
    try {
      await complete({ variables: { input: { id: current.id, version: current.version } } });
      saved("The assignment is complete.");
    } catch (err) {
      failed(err, "The assignment could not be completed.");
    }
  }

  const mayWork = mayWorkQueue(user?.role);
  const active = ACTIVE.has(a.status);
  const mine = !!user && a.assignee?.id === user.id;
  const title = `${a.contact.referenceNumber} · ${a.contact.category.name}`;

  return (
    <StaffLayout title={title}>
      <p className="breadcrumb">
        <Link href="/queue">Queue</Link>
      </p>
      <h1>
        <span className="reference-number reference-number--small">{a.contact.referenceNumber}</span>
        {a.contact.category.name}
      </h1>
      <div ref={problemBox}>
        {problem ? <FormErrors id="assignment-problem" messages={[problem]} /> : null}
      </div>
      <div role="status" aria-live="polite" className={notice ? "notice notice--ok" : "status-line"}>
        {notice}
      </div>

      <ContactDetails a={a} />

      <ReviewMarksPanel assignmentId={a.id} />

      <section aria-labelledby="assignment-heading" className="panel">
        <h2 id="assignment-heading">This assignment</h2>
        <p className="assignment__head">
          <strong>{a.department.name}</strong>
          <span className="tag">{a.isLead ? "Lead" : "Supporting"}</span>
          <span className="tag">{label(STATUS_LABELS, a.status)}</span>
          {a.overdue ? <span className="tag tag--overdue">Overdue</span> : null}
        </p>
        <dl className="facts facts--inline">
          <Fact term="Assigned">
            <DateTime value={a.assignedAt} />
          </Fact>
          <Fact term="Due">
            <DateTime value={a.dueAt} />
          </Fact>
          <div>
            <dt>Completed</dt>
            <dd>
              {a.completedAt ? <DateTime value={a.completedAt} /> : <span className="muted">not yet</span>}
            </dd>
          </div>
          <div>
            <dt>Assignee</dt>
            <dd>{a.assignee ? a.assignee.name : <span className="muted">nobody yet</span>}</dd>
          </div>
          {a.transferredFrom ? (
            <Fact term="Transferred from">{a.transferredFrom.department.name}</Fact>
          ) : null}
          {a.reason ? <Fact term="Reason">{a.reason}</Fact> : null}
        </dl>
        {mayWork && active ? (
          <div className="actions">
            {mine ? null : (
              <button
                type="button"
                className="button"
                disabled={claiming.loading}
                onClick={() => void claimForMe(a)}
              >
                {claiming.loading ? "Claiming…" : a.assignee ? "Take over (claim for me)" : "Claim"}
              </button>
            )}
            <button
              type="button"
              className="button button--secondary"
              disabled={completing.loading}
              onClick={() => void completeIt(a)}
            >
              {completing.loading ? "Completing…" : "Complete"}
            </button>
          </div>
        ) : null}
        {mayWork && active ? (
          <GiveToColleague key={`give-${round}`} assignment={a} onSaved={saved} onStale={stale} />
        ) : null}
      </section>

      {mayWork && active ? (
        <section className="panel" aria-label="Respond">
          <RespondForm key={`respond-${round}`} assignment={a} onSaved={saved} onStale={stale} />
        </section>
      ) : null}

      <section aria-labelledby="responses-heading" className="panel">
        <h2 id="responses-heading">Responses and notes so far</h2>
        {a.responses.length ? (
          <ul className="responses" aria-labelledby="responses-heading">
            {a.responses.map((r) => (
              <ResponseItem key={r.id} r={r} onLetter={mayWork ? () => void refetch() : null} />
            ))}
          </ul>
        ) : (
          <p className="muted">None yet.</p>
        )}
      </section>

      {mayWork ? (
        <section aria-labelledby="more-heading" className="panel">
          <h2 id="more-heading">Other actions</h2>
          {active ? (
            <div className="action-forms">
              <TransferForm key={`transfer-${round}`} assignment={a} onSaved={saved} onStale={stale} />
              {a.isLead ? (
                <SupportForm key={`support-${round}`} assignment={a} onSaved={saved} onStale={stale} />
              ) : null}
            </div>
          ) : null}
          {a.contact.status === "CLOSED" ? (
            <ReopenForm key={`reopen-${round}`} assignment={a} onSaved={saved} onStale={stale} />
          ) : null}
          {!active && a.contact.status !== "CLOSED" ? (
            <p className="muted">This assignment is {label(STATUS_LABELS, a.status).toLowerCase()}.</p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="timeline-heading" className="panel">
        <h2 id="timeline-heading">History of the contact</h2>
        <Timeline entries={a.contact.timeline} />
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
