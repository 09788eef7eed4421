import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useRouter } from "next/router";
import { useState, type FormEvent } from "react";
import { API_LANGUAGE, pathIn, translate, type Lang, type MessageKey } from "../../i18n";
import { PUBLIC_CATEGORIES, type PublicCategoryData } from "../../operations/self-service";
import { PublicField } from "./public-field";

/**
 * The categories' standard answers, searchable, each leading straight to the form. The server renders the
 * answers to the URL's ?q= (`initial`), so the search works as a plain GET without script too.
 */
export function HelpSearch({
  lang,
  initial,
}: {
  lang: Lang;
  initial?: { query: string; categories: PublicCategoryData[] };
}) {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const router = useRouter();
  const fromLink =
    router.isReady && typeof router.query.q === "string" ? router.query.q : (initial?.query ?? "");
  const [typed, setText] = useState<string | null>(null);
  const [asked, setQuery] = useState<string | null>(null);
  const text = typed ?? fromLink;
  const query = asked ?? fromLink;
  const { data, loading } = useQuery(PUBLIC_CATEGORIES, {
    variables: { query: query.trim() || null, language: API_LANGUAGE[lang] },
  });
  // The server's answer stands until the browser's own arrives, when it asked the same.
  const fromServer = initial && initial.query.trim() === query.trim() ? initial.categories : null;
  const list = data?.publicCategories ?? fromServer ?? [];
  const settled = !loading || !!fromServer;

  function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    setQuery(text);
    void router.replace(
      { pathname: router.pathname, query: text.trim() ? { q: text.trim() } : {} },
      undefined,
      {
        shallow: true,
      },
    );
  }

  return (
    <>
      <form role="search" method="get" onSubmit={onSubmit} className="search-form panel">
        <PublicField id="help-query" lang={lang} label={t("helpSearchLabel")} hint={t("helpSearchHint")}>
          {(a11y) => (
            <input {...a11y} type="search" name="q" value={text} onChange={(e) => setText(e.target.value)} />
          )}
        </PublicField>
        <p className="actions">
          <button type="submit" className="button button--primary">
            {t("helpSearch")}
          </button>
        </p>
      </form>
      <p role="status" className="status-line">
        {!settled
          ? null
          : query.trim()
            ? list.length
              ? t("helpResults", { count: list.length })
              : t("helpNoResults")
            : null}
      </p>
      <ul className="task-list" aria-label={t("helpTitle")}>
        {list.map((c) => {
          const name = lang === "es" ? c.nameEs : c.name;
          const answer = (lang === "es" ? c.standardResponseEs : c.standardResponse).replaceAll(
            "{referenceNumber}",
            t("helpYourReference"),
          );
          const description = lang === "es" ? c.descriptionEs : c.description;
          return (
            <li key={c.id} id={`topic-${c.id}`} className="panel">
              <h2>{name}</h2>
              <p className="muted">{lang === "es" ? c.departmentNameEs : c.departmentName}</p>
              {description ? <p>{description}</p> : null}
              {answer ? <p className="prose">{answer}</p> : null}
              <p>
                <Link href={{ pathname: pathIn(lang, "/request"), query: { category: c.id } }}>
                  {t("helpReport", { topic: name })}
                </Link>
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
