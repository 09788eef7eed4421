import { useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { authOptions } from "../src/server/auth/auth-options";
import { ConstituentSearch } from "../src/client/components/constituent-search";
import { ContactForm } from "../src/client/components/contact-form";
import { ContactResult } from "../src/client/components/contact-result";
import {
  EMPTY_DRAFT,
  NewConstituentForm,
  type ConstituentDraft,
} from "../src/client/components/new-constituent-form";
import { StaffLayout } from "../src/client/components/staff-layout";
import { apiProblem } from "../src/client/errors";
import { label, ROLE_LABELS } from "../src/client/format";
import { CONSTITUENT_SUMMARY, type ConstituentSummary } from "../src/client/operations/constituents";
import type { RecordedContact } from "../src/client/operations/contacts";
import { mayRecordContacts } from "../src/client/roles";
import { firstQueryValue, staffPageProps } from "../src/client/session";

type Step = "find" | "details" | "done";

const STEPS: { step: Step; text: string }[] = [
  { step: "find", text: "Constituent" },
  { step: "details", text: "Contact" },
  { step: "done", text: "Reference number" },
];

interface IntakeProps {
  constituentId: string | null;
}

export default function IntakePage({ constituentId }: IntakeProps) {
  const router = useRouter();
  const { data: session } = useSession();
  const preset = useQuery(CONSTITUENT_SUMMARY, {
    variables: { id: constituentId ?? "" },
    skip: !constituentId,
    fetchPolicy: "network-only",
  });
  const [step, setStep] = useState<Step>(constituentId ? "details" : "find");
  const [picked, setPicked] = useState<ConstituentSummary | null>(null);
  const [usePreset, setUsePreset] = useState(!!constituentId);
  const [confidential, setConfidential] = useState(false);
  const [mode, setMode] = useState<"search" | "new">("search");
  const [query, setQuery] = useState("");
  const [draft, setDraft] = useState<ConstituentDraft>(EMPTY_DRAFT);
  const [formStarted, setFormStarted] = useState(!!constituentId);
  const [formKey, setFormKey] = useState(0);
  const [recorded, setRecorded] = useState<RecordedContact | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const lastStep = useRef(step);

  useEffect(() => {
    // Keyboard and screen reader users land on the new step, not at the top of the page.
    if (lastStep.current !== step && step !== "done") stepHeading.current?.focus();
    lastStep.current = step;
  }, [step]);

  const constituent = picked ?? (usePreset ? (preset.data?.constituent ?? null) : null);

  function dropPresetFromUrl() {
    if (router.query.constituentId) void router.replace("/intake", undefined, { shallow: true });
  }

  function pick(c: ConstituentSummary) {
    setPicked(c);
    setUsePreset(false);
    setConfidential(false);
    setFormStarted(true);
    setStep("details");
  }

  function changeConfidential(on: boolean) {
    setConfidential(on);
    if (on) {
      // A confidential request carries no constituent: forget everything that could name one.
      setPicked(null);
      setUsePreset(false);
      setQuery("");
      setDraft(EMPTY_DRAFT);
      setMode("search");
      dropPresetFromUrl();
    }
  }

  function startConfidential() {
    changeConfidential(true);
    setFormStarted(true);
    setStep("details");
  }

  function startOver() {
    setPicked(null);
    setUsePreset(false);
    setConfidential(false);
    setQuery("");
    setDraft(EMPTY_DRAFT);
    setMode("search");
    setFormStarted(false);
    setFormKey((k) => k + 1);
    setRecorded(null);
    setStep("find");
    dropPresetFromUrl();
  }

  function anotherForSame() {
    setPicked(constituent);
    setUsePreset(false);
    setFormKey((k) => k + 1);
    setRecorded(null);
    setStep("details");
  }

  const role = session?.user?.role;
  if (session && !mayRecordContacts(role)) {
    return (
      <StaffLayout title="Record a contact">
        <h1>Record a contact</h1>
        <p className="notice notice--warning">
          The {label(ROLE_LABELS, role)} role cannot record contacts.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  const presetProblem = preset.error ? apiProblem(preset.error) : null;
  const presetMissing = usePreset && !preset.loading && !preset.error && !preset.data?.constituent;
  const stepIndex = STEPS.findIndex((s) => s.step === step);

  return (
    <StaffLayout title="Record a contact">
      <h1>Record a contact</h1>
      <ol className="steps" aria-label="Progress">
        {STEPS.map((s, i) => (
          <li
            key={s.step}
            className={i < stepIndex ? "steps__done" : i === stepIndex ? "steps__current" : undefined}
            aria-current={i === stepIndex ? "step" : undefined}
          >
            <span className="steps__number">{i + 1}.</span> {s.text}
            {i < stepIndex ? <span className="visually-hidden"> (done)</span> : null}
          </li>
        ))}
      </ol>

      {step === "find" ? (
        <section aria-labelledby="find-heading">
          <h2 id="find-heading" ref={stepHeading} tabIndex={-1}>
            1. Find the constituent
          </h2>
          {mode === "search" ? (
            <>
              <ConstituentSearch query={query} onQueryChange={setQuery} onPick={pick} />
              <div className="actions actions--split">
                <button type="button" className="button button--secondary" onClick={() => setMode("new")}>
                  New constituent
                </button>
                <button type="button" className="button button--secondary" onClick={startConfidential}>
                  Confidential request (no name or address)
                </button>
              </div>
            </>
          ) : (
            <NewConstituentForm
              draft={draft}
              onDraftChange={setDraft}
              onChosen={pick}
              onCancel={() => setMode("search")}
            />
          )}
        </section>
      ) : null}

      {step === "details" ? (
        <h2 id="details-heading" ref={stepHeading} tabIndex={-1}>
          2. The contact
        </h2>
      ) : null}
      {step === "details" && usePreset && preset.loading ? (
        <p aria-live="polite">Loading the constituent…</p>
      ) : null}
      {step === "details" && (presetProblem || presetMissing) ? (
        <div className="form-errors" role="alert">
          <p>
            {presetProblem?.form ?? presetProblem?.fields.id ?? "That constituent was not found."}{" "}
            <button type="button" className="button button--link" onClick={startOver}>
              Search instead
            </button>
          </p>
        </div>
      ) : null}
      {step === "details" && constituent?.mergedIntoId ? (
        <p className="notice notice--warning">
          This record was merged into another one.{" "}
          <Link href={`/intake?constituentId=${constituent.mergedIntoId}`}>
            Record the contact on the surviving record
          </Link>
          .
        </p>
      ) : null}
      {formStarted && !(usePreset && preset.loading) ? (
        <div hidden={step !== "details"}>
          <ContactForm
            key={formKey}
            constituent={constituent}
            confidential={confidential}
            onConfidentialChange={changeConfidential}
            onChooseConstituent={() => {
              setMode("search");
              setStep("find");
            }}
            onRecorded={(c) => {
              setRecorded(c);
              setStep("done");
            }}
          />
        </div>
      ) : null}

      {step === "done" && recorded ? (
        <ContactResult contact={recorded} onAnother={startOver} onAnotherForSame={anotherForSame} />
      ) : null}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl, query }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, { constituentId: firstQueryValue(query.constituentId) });
};
