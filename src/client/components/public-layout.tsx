import Head from "next/head";
import Link from "next/link";
import { useRouter } from "next/router";
import type { ReactNode } from "react";
import { pathIn, translate, type Lang, type MessageKey } from "../i18n";

const NAV: { path: string; key: MessageKey }[] = [
  { path: "/request", key: "navRequest" },
  { path: "/request/status", key: "navStatus" },
  { path: "/help", key: "navHelp" },
];

/** Every public page: skip link, header with the language switch, the main landmark, the records notice. */
export function PublicLayout({ lang, title, children }: { lang: Lang; title: string; children: ReactNode }) {
  const router = useRouter();
  const t = (key: MessageKey) => translate(lang, key);
  const other: Lang = lang === "en" ? "es" : "en";
  // The query (a reference, a search) follows the switch once the router knows it.
  const switchHref = pathIn(other, router.isReady ? router.asPath : router.pathname);
  const current = router.pathname.replace(/^\/es(?=\/|$)/, "") || "/";
  return (
    <>
      <Head>
        <title>{`${title} · ${t("siteName")}`}</title>
        <link rel="alternate" hrefLang={other} href={pathIn(other, router.pathname)} />
      </Head>
      <a className="skip-link" href="#main">
        {t("skipLink")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link href={pathIn(lang, "/request")} className="brand">
            {t("siteName")} <span className="brand__sub">{t("siteTagline")}</span>
          </Link>
          <nav aria-label={t("navLabel")}>
            <ul className="nav-list">
              {NAV.map((n) => (
                <li key={n.path}>
                  <Link href={pathIn(lang, n.path)} aria-current={current === n.path ? "page" : undefined}>
                    {t(n.key)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            <Link href={switchHref} lang={other} hrefLang={other} className="button button--header">
              {t("switchLanguage")}
            </Link>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main main--narrow">
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("footer")}</p>
      </footer>
    </>
  );
}
