import { useQuery } from "@apollo/client/react";
import { useRouter } from "next/router";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { StatusPageProps } from "../../../server/self-service/public-form";
import { pathIn, translate, type Lang, type MessageKey } from "../../i18n";
import { REQUEST_STATUS, type PublicRequestStatusData } from "../../operations/self-service";
import { formatPublicDate, PublicApiError, publicProblem } from "../../public-api";
import { PublicField } from "./public-field";

interface Lookup {
  referenceNumber: string;
  trackingCode: string;
}

function problemsOf(l: Lookup): { reference?: MessageKey; code?: MessageKey } {
  const e: { reference?: MessageKey; code?: MessageKey } = {};
  if (!/^[A-Za-z]{2,8}-\d{2}-\d{4,}$/.test(l.referenceNumber.trim())) e.reference = "errReference";
  if (l.trackingCode.replace(/[^0-9A-Za-z]/g, "").length < 8) e.code = "errCode";
  return e;
}

/**
 * Status by reference number and tracking code; both come prefilled from the receipt's link. The server
 * answers the lookup in the page (the form is a plain GET of the same page), so it works without script.
 */
export function StatusLookup({ lang, lookup = null }: { lang: Lang } & Partial<StatusPageProps>) {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const router = useRouter();
  const { ref, code } = router.query;
  const fromLink: Lookup | null =
    router.isReady && typeof ref === "string" && typeof code === "string"
      ? { referenceNumber: ref, trackingCode: code }
      : null;
  const [typedReference, setReference] = useState<string | null>(null);
  const [typedCode, setCode] = useState<string | null>(null);
  const [asked, setAsked] = useState<Lookup | null>(null);
  const target = asked ?? fromLink;
  const errors = target ? problemsOf(target) : {};
  const valid = !!target && !errors.reference && !errors.code;
  // The server already looked up what the link asked for; asking again would count twice.
  const answered =
    !asked &&
    !!lookup &&
    !!fromLink &&
    lookup.referenceNumber === fromLink.referenceNumber &&
    lookup.trackingCode === fromLink.trackingCode
      ? lookup
      : null;
  const { data, error, loading } = useQuery(REQUEST_STATUS, {
    skip: !valid || !!answered,
    variables: {
      referenceNumber: target?.referenceNumber.trim() ?? "",
      trackingCode: target?.trackingCode.trim() ?? "",
    },
    fetchPolicy: "network-only",
  });
  const resultRef = useRef<HTMLDivElement>(null);
  const result = valid && data ? data.requestStatus : valid && answered ? answered.status : null;
  const problem: MessageKey | null = !valid
    ? null
    : error
      ? publicProblem(error).key
      : data && !data.requestStatus
        ? "statusNotFound"
        : answered?.refusal
          ? publicProblem(
              new PublicApiError([
                { message: answered.refusal.message, extensions: { ...answered.refusal } },
              ]),
            ).key
          : answered && !answered.status
            ? "statusNotFound"
            : null;

  useEffect(() => {
    if (asked && (result || problem)) resultRef.current?.focus();
  }, [asked, result, problem]);

  function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    setAsked({
      referenceNumber: typedReference ?? fromLink?.referenceNumber ?? "",
      trackingCode: typedCode ?? fromLink?.trackingCode ?? "",
    });
  }

  return (
    <>
      <form
        onSubmit={onSubmit}
        noValidate
        className="panel"
        method="get"
        action={pathIn(lang, "/request/status")}
        acceptCharset="utf-8"
      >
        <PublicField
          id="reference"
          lang={lang}
          label={t("statusReferenceLabel")}
          error={errors.reference}
          required
        >
          {(a11y) => (
            <input
              {...a11y}
              type="text"
              name="ref"
              value={typedReference ?? fromLink?.referenceNumber ?? ""}
              onChange={(e) => setReference(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={30}
            />
          )}
        </PublicField>
        <PublicField
          id="tracking-code"
          lang={lang}
          label={t("statusCodeLabel")}
          hint={t("statusCodeHint")}
          error={errors.code}
          required
        >
          {(a11y) => (
            <input
              {...a11y}
              type="text"
              name="code"
              value={typedCode ?? fromLink?.trackingCode ?? ""}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={40}
            />
          )}
        </PublicField>
        <p className="actions">
          <button type="submit" className="button button--primary" disabled={loading}>
            {loading ? t("statusLooking") : t("statusLookup")}
          </button>
        </p>
      </form>
      <div ref={resultRef} tabIndex={-1} aria-live="polite" id="status-result">
        {problem ? (
          <p className="form-errors" role="alert">
            {t(problem)}
          </p>
        ) : null}
        {result ? <StatusResult lang={lang} status={result} /> : null}
      </div>
    </>
  );
}

function StatusResult({ lang, status }: { lang: Lang; status: PublicRequestStatusData }) {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  return (
    <section className="panel" aria-labelledby="status-heading">
      <h2 id="status-heading">{t("statusResultHeading", { reference: status.referenceNumber })}</h2>
      <dl className="facts">
        <div>
          <dt>{t("statusLabel")}</dt>
          <dd id="status-value">{t(`status_${status.status}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t("statusCategory")}</dt>
          <dd>{lang === "es" ? status.categoryNameEs : status.categoryName}</dd>
        </div>
        <div>
          <dt>{t("statusDepartment")}</dt>
          <dd>{lang === "es" ? status.departmentNameEs : status.departmentName}</dd>
        </div>
        <div>
          <dt>{t("statusReceived")}</dt>
          <dd>{formatPublicDate(status.receivedAt, lang)}</dd>
        </div>
        {status.completedAt ? (
          <div>
            <dt>{t("statusCompleted")}</dt>
            <dd>{formatPublicDate(status.completedAt, lang)}</dd>
          </div>
        ) : status.dueAt ? (
          <div>
            <dt>{t("statusDue")}</dt>
            <dd>{formatPublicDate(status.dueAt, lang)}</dd>
          </div>
        ) : null}
      </dl>
      <h3>{t("statusAnswers")}</h3>
      {status.answers.length ? (
        <ol className="responses" id="status-answers">
          {status.answers.map((a, i) => (
            <li key={i} className="response">
              <p className="response__meta">
                {t("statusSent", { date: formatPublicDate(a.sentAt, lang) })}
                {a.isFinal ? ` · ${t("statusFinal")}` : ""}
              </p>
              <p className="description">{a.body}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p>{t("statusNoAnswers")}</p>
      )}
    </section>
  );
}
