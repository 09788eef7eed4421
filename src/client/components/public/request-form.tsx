import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useRouter } from "next/router";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { API_LANGUAGE, pathIn, translate, type Lang, type MessageKey } from "../../i18n";
import {
  PUBLIC_CATEGORIES,
  PUBLIC_OPEN_REPORTS,
  type PublicCategoryData,
  type PublicReceiptData,
} from "../../operations/self-service";
import type { PublicFormValues, RequestPageProps } from "../../../server/self-service/public-form";
import {
  fetchFormToken,
  formatPublicDate,
  PublicApiError,
  publicProblem,
  submitServiceRequest,
  uploadPublicFile,
  type PublicUpload,
} from "../../public-api";
import { PublicField } from "./public-field";

const MAX_DESCRIPTION = 4000;
const MAX_FILES = 5;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Errors = Partial<Record<string, MessageKey>>;

// Where each input's error is shown, in the order of the form (and of the error summary).
const FIELD_IDS: Record<string, string> = {
  categoryId: "category",
  description: "description",
  locationAddress: "address",
  locationLat: "address",
  locationLong: "address",
  attachmentIds: "file",
  firstName: "firstName",
  lastName: "lastName",
  email: "email",
  phone: "phone",
  publicRecordNoticeAcknowledged: "notice",
  duplicateOfReference: "duplicates",
};
const ORDER = [
  "category",
  "description",
  "address",
  "file",
  "firstName",
  "lastName",
  "email",
  "phone",
  "notice",
];

/** The checks made before sending, here and on a form that came back from the server without script. */
function problemsOf(v: PublicFormValues, located: boolean): Errors {
  const e: Errors = {};
  if (!v.categoryId) e.category = "errCategory";
  if (!v.description.trim()) e.description = "errDescription";
  else if (v.description.length > MAX_DESCRIPTION) e.description = "errDescriptionLong";
  if (!v.address.trim() && !located) e.address = "errLocation";
  if (!v.confidential && !v.firstName.trim() && !v.lastName.trim()) e.lastName = "errName";
  if (v.email.trim() && !EMAIL.test(v.email.trim())) e.email = "errEmail";
  if (v.phone.trim() && v.phone.replace(/\D/g, "").length < 10) e.phone = "errPhone";
  if (!v.acknowledged) e.notice = "errNotice";
  return e;
}

/** A refusal of the form sent without script, shown as the scripted form shows the API's. */
function postedProblems(posted: RequestPageProps["posted"]): {
  errors: Errors;
  formError: MessageKey | null;
} {
  const r = posted?.refusal;
  if (!posted || !r) return { errors: {}, formError: null };
  const checked = problemsOf(posted.values, false);
  if (r.reason === "TOO_LARGE" || r.reason === "UNSUPPORTED_TYPE")
    return { errors: {}, formError: "errTooLarge" };
  const p = publicProblem(
    new PublicApiError([{ message: r.message, extensions: { field: r.field, reason: r.reason } }]),
  );
  const id = p.field ? FIELD_IDS[p.field] : null;
  if (id && id !== "duplicates") return { errors: { ...checked, [id]: p.key }, formError: null };
  return { errors: checked, formError: p.key };
}

const noSubscription = () => () => {};

function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/**
 * The public request form: every label, hint and error in the page's language. Rendered by the server
 * as a plain form that POSTs to its page, so it works without script; with script, submit is taken here.
 */
export function RequestForm({
  lang,
  categories: firstCategories,
  csrfToken,
  posted = null,
}: { lang: Lang } & Partial<RequestPageProps>) {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const router = useRouter();
  const { data: catData } = useQuery(PUBLIC_CATEGORIES, { variables: { language: API_LANGUAGE[lang] } });
  const categories = useMemo(
    () => catData?.publicCategories ?? firstCategories ?? [],
    [catData, firstCategories],
  );
  // False on the server and while hydrating: what needs script is shown only once it runs.
  const scripted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const sent = posted?.values;
  const [first] = useState(() => postedProblems(posted));
  const [token, setToken] = useState<{ token: string; maxUploadBytes: number } | null>(null);

  const [search, setSearch] = useState("");
  const [picked, setCategoryId] = useState<string | null>(sent?.categoryId || null);
  const [description, setDescription] = useState(sent?.description ?? "");
  const [address, setAddress] = useState(sent?.address ?? "");
  const [checkedAddress, setCheckedAddress] = useState("");
  const [coords, setCoords] = useState<{ lat: number; long: number } | null>(null);
  const [geoStatus, setGeoStatus] = useState<MessageKey | null>(null);
  const [uploads, setUploads] = useState<PublicUpload[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [confidential, setConfidential] = useState(sent?.confidential ?? false);
  const [firstName, setFirstName] = useState(sent?.firstName ?? "");
  const [lastName, setLastName] = useState(sent?.lastName ?? "");
  const [email, setEmail] = useState(sent?.email ?? "");
  const [phone, setPhone] = useState(sent?.phone ?? "");
  const [acknowledged, setAcknowledged] = useState(sent?.acknowledged ?? false);
  const [website, setWebsite] = useState("");
  const [joinReference, setJoinReference] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>(first.errors);
  const [formError, setFormError] = useState<MessageKey | null>(first.formError);
  const [receipt, setReceipt] = useState<(PublicReceiptData & { mailed: boolean }) | null>(
    posted?.receipt ?? null,
  );
  const summaryRef = useRef<HTMLDivElement>(null);
  const receiptRef = useRef<HTMLHeadingElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    void fetchFormToken().then(setToken);
  }, []);
  // The help page links here with the topic chosen.
  const wanted = typeof router.query.category === "string" ? router.query.category : "";
  const categoryId = picked ?? (categories.some((c) => c.id === wanted) ? wanted : "");
  useEffect(() => {
    if (receipt) receiptRef.current?.focus();
  }, [receipt]);

  const name = (c: PublicCategoryData) => (lang === "es" ? c.nameEs : c.name);
  const groups = useMemo(() => {
    const words = fold(search).split(/\s+/).filter(Boolean);
    const shown = categories.filter(
      (c) =>
        c.id === categoryId ||
        words.every((w) =>
          fold([c.name, c.nameEs, c.description, c.descriptionEs, ...c.keywords].join(" ")).includes(w),
        ),
    );
    const byDept = new Map<string, PublicCategoryData[]>();
    for (const c of shown) {
      const dept = lang === "es" ? c.departmentNameEs : c.departmentName;
      byDept.set(dept, [...(byDept.get(dept) ?? []), c]);
    }
    return [...byDept.entries()].map(([dept, list]) => ({
      dept,
      list: [...list].sort((a, b) => name(a).localeCompare(name(b), lang)),
    }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [categories, search, categoryId, lang]);
  const noMatch = search.trim() !== "" && groups.length === 0;

  const { data: dupData } = useQuery(PUBLIC_OPEN_REPORTS, {
    skip: !categoryId || (!checkedAddress.trim() && !coords),
    variables: {
      categoryId,
      locationAddress: checkedAddress.trim() || null,
      locationLat: coords?.lat ?? null,
      locationLong: coords?.long ?? null,
    },
  });
  const openReports = categoryId ? (dupData?.publicOpenReports ?? []) : [];

  function locate() {
    if (!("geolocation" in navigator)) return setGeoStatus("locationUnavailable");
    setGeoStatus("locating");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setCoords({
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          long: Math.round(pos.coords.longitude * 1e6) / 1e6,
        });
        setGeoStatus("locationShared");
      },
      (err) => setGeoStatus(err.code === err.PERMISSION_DENIED ? "locationDenied" : "locationUnavailable"),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  }

  async function addFile(file: File | undefined) {
    if (!file || !token) return;
    const { file: _old, ...rest } = errors;
    if (uploads.length >= MAX_FILES) return setErrors({ ...rest, file: "errFileCount" });
    if (file.size > token.maxUploadBytes) return setErrors({ ...rest, file: "errFileSize" });
    setErrors(rest);
    setUploading(file.name);
    const result = await uploadPublicFile(file, token.token);
    setUploading(null);
    if (fileRef.current) fileRef.current.value = "";
    if (result.ok) setUploads((u) => [...u, result.upload]);
    else setErrors((e) => ({ ...e, file: result.key }));
  }

  function validate(): Errors {
    return problemsOf(
      { categoryId, description, address, confidential, firstName, lastName, email, phone, acknowledged },
      !!coords,
    );
  }

  function showErrors(e: Errors, form: MessageKey | null) {
    setErrors(e);
    setFormError(form);
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  async function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    const found = validate();
    if (Object.keys(found).length) return showErrors(found, null);
    let current = token;
    if (!current) {
      current = await fetchFormToken();
      setToken(current);
      if (!current) return showErrors({}, "errServer");
    }
    try {
      setLoading(true);
      const data = await submitServiceRequest(
        {
          input: {
            categoryId,
            description: description.trim(),
            locationAddress: address.trim() || null,
            locationLat: coords?.lat ?? null,
            locationLong: coords?.long ?? null,
            language: API_LANGUAGE[lang],
            firstName: confidential ? null : firstName.trim() || null,
            lastName: confidential ? null : lastName.trim() || null,
            email: email.trim() || null,
            phone: phone.trim() || null,
            confidential,
            publicRecordNoticeAcknowledged: acknowledged,
            attachmentIds: uploads.map((u) => u.id),
            duplicateOfReference: joinReference,
            website: website || null,
          },
        },
        current.token,
      );
      setReceipt({ ...data, mailed: !!email.trim() });
    } catch (err) {
      const p = publicProblem(err);
      if (p.key === "errCsrf") void fetchFormToken().then(setToken);
      const id = p.field ? FIELD_IDS[p.field] : null;
      showErrors(id && id !== "duplicates" ? { [id]: p.key } : {}, id && id !== "duplicates" ? null : p.key);
    } finally {
      setLoading(false);
    }
  }

  if (receipt) {
    return (
      <section className="panel result" aria-labelledby="receipt-heading">
        <h2 id="receipt-heading" ref={receiptRef} tabIndex={-1} autoFocus={!!posted?.receipt}>
          {t("receiptTitle")}
        </h2>
        <div className="reference-box">
          <p className="reference-box__label">{t("receiptReference")}</p>
          <p className="reference-number" id="receipt-reference">
            {receipt.referenceNumber}
          </p>
          <p className="reference-box__label">{t("receiptTrackingCode")}</p>
          <p className="reference-number" id="receipt-code">
            {receipt.trackingCode}
          </p>
        </div>
        <p>{t("receiptKeepCode")}</p>
        <dl className="facts">
          <div>
            <dt>{t("receiptDepartment")}</dt>
            <dd>{lang === "es" ? receipt.departmentNameEs : receipt.departmentName}</dd>
          </div>
          {receipt.dueAt ? (
            <div>
              <dt>{t("receiptDue")}</dt>
              <dd>{formatPublicDate(receipt.dueAt, lang)}</dd>
            </div>
          ) : null}
        </dl>
        {receipt.mailed ? <p>{t("receiptMailed")}</p> : null}
        <p className="actions">
          <Link className="button button--primary" href={receipt.trackingPath} id="tracking-link">
            {t("receiptTrackLink")}
          </Link>
          <a className="button button--secondary" href={pathIn(lang, "/request")}>
            {t("receiptAnother")}
          </a>
        </p>
      </section>
    );
  }

  const summary = ORDER.filter((id) => errors[id]);
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-describedby="request-intro"
      method="post"
      action={pathIn(lang, "/request")}
      acceptCharset="utf-8"
    >
      {csrfToken ? <input type="hidden" name="csrf" value={csrfToken} /> : null}
      {summary.length || formError ? (
        <div
          className="form-errors"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
          id="form-errors"
          autoFocus={!!posted?.refusal}
        >
          {formError ? <p>{t(formError)}</p> : <p>{t("errorsHeading")}</p>}
          {summary.length ? (
            <ul>
              {summary.map((id) => (
                <li key={id}>
                  <a href={`#${id}`}>{t(errors[id]!)}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <fieldset>
        <legend>{t("categoryLegend")}</legend>
        {scripted ? (
          <PublicField
            id="category-search"
            lang={lang}
            label={t("categorySearchLabel")}
            hint={t("categorySearchHint")}
            optional
          >
            {(a11y) => (
              <input
                {...a11y}
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                autoComplete="off"
              />
            )}
          </PublicField>
        ) : null}
        {noMatch ? (
          <p className="notice" role="status">
            {t("categoryNoMatch")}
          </p>
        ) : null}
        <PublicField id="category" lang={lang} label={t("categoryLabel")} error={errors.category} required>
          {(a11y) => (
            <select
              {...a11y}
              name="categoryId"
              value={categoryId}
              onChange={(e) => setCategoryId(e.target.value)}
              required
            >
              <option value="">{t("categoryChoose")}</option>
              {groups.map((g) => (
                <optgroup key={g.dept} label={g.dept}>
                  {g.list.map((c) => (
                    <option key={c.id} value={c.id}>
                      {name(c)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </PublicField>
        {categoryId ? (
          <p>
            <Link href={`${pathIn(lang, "/help")}#topic-${categoryId}`}>{t("categoryAnswerLink")}</Link>
          </p>
        ) : null}
        <PublicField
          id="description"
          lang={lang}
          label={t("descriptionLabel")}
          hint={t("descriptionHint")}
          error={errors.description}
          describedBy={["description-count"]}
          required
        >
          {(a11y) => (
            <textarea
              {...a11y}
              name="description"
              rows={6}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              required
            />
          )}
        </PublicField>
        <p id="description-count" className="counter" aria-live="polite">
          {t("charactersLeft", { count: (MAX_DESCRIPTION - description.length).toLocaleString(lang) })}
        </p>
      </fieldset>

      <fieldset>
        <legend>{t("locationLegend")}</legend>
        <PublicField
          id="address"
          lang={lang}
          label={t("addressLabel")}
          hint={t("addressHint")}
          error={errors.address}
        >
          {(a11y) => (
            <input
              {...a11y}
              type="text"
              name="locationAddress"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              onBlur={() => setCheckedAddress(address)}
              autoComplete="street-address"
              maxLength={300}
            />
          )}
        </PublicField>
        {scripted ? (
          <p className="actions">
            {coords ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setCoords(null);
                  setGeoStatus(null);
                }}
              >
                {t("clearLocation")}
              </button>
            ) : (
              <button type="button" className="button button--secondary" onClick={locate}>
                {t("useMyLocation")}
              </button>
            )}
          </p>
        ) : null}
        <p role="status" className="status-line">
          {geoStatus
            ? t(geoStatus, coords ? { lat: coords.lat.toFixed(5), long: coords.long.toFixed(5) } : {})
            : null}
        </p>
      </fieldset>

      {openReports.length ? (
        <section className="panel duplicates" aria-labelledby="duplicates-heading" id="duplicates">
          <h2 id="duplicates-heading">{t("duplicatesHeading")}</h2>
          <p>{t("duplicatesIntro")}</p>
          <ul className="match-list">
            {openReports.map((r) => (
              <li key={r.referenceNumber} className="match">
                <p>
                  <strong>{r.referenceNumber}</strong>
                  {r.locationAddress ? ` · ${r.locationAddress}` : ""} ·{" "}
                  {t("duplicateReceived", { date: formatPublicDate(r.receivedAt, lang) })} ·{" "}
                  {t(`status_${r.status}` as MessageKey)}
                </p>
                <button
                  type="button"
                  className="button button--secondary"
                  aria-pressed={joinReference === r.referenceNumber}
                  onClick={() =>
                    setJoinReference(joinReference === r.referenceNumber ? null : r.referenceNumber)
                  }
                >
                  {t("duplicateJoin", { reference: r.referenceNumber })}
                </button>
              </li>
            ))}
          </ul>
          <p role="status" className="status-line">
            {joinReference ? t("duplicateJoined", { reference: joinReference }) : null}
          </p>
          {joinReference ? (
            <button type="button" className="button button--link" onClick={() => setJoinReference(null)}>
              {t("duplicateUndo")}
            </button>
          ) : null}
        </section>
      ) : null}

      <fieldset>
        <legend>{t("fileLabel")}</legend>
        {scripted ? null : (
          <p className="notice" id="file-needs-script">
            {t("fileNeedsScript")}
          </p>
        )}
        {scripted ? (
          <PublicField
            id="file"
            lang={lang}
            label={t("fileLabel")}
            hint={t("fileHint", { size: Math.floor((token?.maxUploadBytes ?? 10485760) / 1048576) })}
            error={errors.file}
            optional
          >
            {(a11y) => (
              <input
                {...a11y}
                ref={fileRef}
                type="file"
                accept="image/*,application/pdf"
                disabled={!token || !!uploading}
                onChange={(e) => void addFile(e.target.files?.[0])}
              />
            )}
          </PublicField>
        ) : null}
        <p role="status" className="status-line">
          {uploading ? t("fileUploading", { name: uploading }) : null}
        </p>
        {uploads.length ? (
          <>
            <h3 id="files-heading">{t("fileAttached")}</h3>
            <ul className="file-list" aria-labelledby="files-heading">
              {uploads.map((u) => (
                <li key={u.id}>
                  {u.fileName}{" "}
                  <button
                    type="button"
                    className="button button--link"
                    onClick={() => setUploads((list) => list.filter((x) => x.id !== u.id))}
                  >
                    {t("fileRemove", { name: u.fileName })}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>{t("contactLegend")}</legend>
        <div className="checkbox">
          <input
            id="confidential"
            name="confidential"
            value="1"
            type="checkbox"
            checked={confidential}
            onChange={(e) => setConfidential(e.target.checked)}
            aria-describedby="confidential-hint"
          />
          <label htmlFor="confidential">{t("confidentialLabel")}</label>
        </div>
        <p id="confidential-hint" className="hint">
          {t("confidentialHint")}
        </p>
        {/* Without script the names stay, so that unticking needs no script; a confidential request sends none. */}
        {confidential && scripted ? null : (
          <div className="grid">
            <PublicField id="firstName" lang={lang} label={t("firstNameLabel")} error={errors.firstName}>
              {(a11y) => (
                <input
                  {...a11y}
                  type="text"
                  name="firstName"
                  value={firstName}
                  onChange={(e) => setFirstName(e.target.value)}
                  autoComplete="given-name"
                  maxLength={100}
                />
              )}
            </PublicField>
            <PublicField id="lastName" lang={lang} label={t("lastNameLabel")} error={errors.lastName}>
              {(a11y) => (
                <input
                  {...a11y}
                  type="text"
                  name="lastName"
                  value={lastName}
                  onChange={(e) => setLastName(e.target.value)}
                  autoComplete="family-name"
                  maxLength={100}
                />
              )}
            </PublicField>
          </div>
        )}
        <div className="grid">
          <PublicField
            id="email"
            lang={lang}
            label={t("emailLabel")}
            hint={t("emailHint")}
            error={errors.email}
            optional
          >
            {(a11y) => (
              <input
                {...a11y}
                type="email"
                name="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoComplete="email"
                maxLength={320}
              />
            )}
          </PublicField>
          <PublicField id="phone" lang={lang} label={t("phoneLabel")} error={errors.phone} optional>
            {(a11y) => (
              <input
                {...a11y}
                type="tel"
                name="phone"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                autoComplete="tel"
                maxLength={30}
              />
            )}
          </PublicField>
        </div>
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor="website">{t("honeypotLabel")}</label>
          <input
            id="website"
            name="website"
            type="text"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(e) => setWebsite(e.target.value)}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>{t("noticeLegend")}</legend>
        <p id="notice-text" className="notice notice--warning">
          {t("noticeText")}
        </p>
        <div className={`checkbox${errors.notice ? " field--invalid" : ""}`}>
          <input
            id="notice"
            name="publicRecordNoticeAcknowledged"
            value="1"
            type="checkbox"
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.target.checked)}
            aria-describedby={`notice-text${errors.notice ? " notice-error" : ""}`}
            aria-invalid={errors.notice ? true : undefined}
            required
          />
          <label htmlFor="notice">{t("noticeAck")}</label>
        </div>
        {errors.notice ? (
          <p id="notice-error" className="field-error">
            <span aria-hidden="true">⚠ </span>
            {t(errors.notice)}
          </p>
        ) : null}
      </fieldset>

      <p className="actions">
        <button type="submit" className="button button--primary" disabled={loading} id="submit-request">
          {loading ? t("submitting") : t("submit")}
        </button>
      </p>
    </form>
  );
}
