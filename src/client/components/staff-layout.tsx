import Head from "next/head";
import Link from "next/link";
import { useRouter } from "next/router";
import { signOut, useSession } from "next-auth/react";
import { useState, type ReactNode } from "react";
import { label, ROLE_LABELS } from "../format";
import { mayReadQueue, mayReview, showReportsInMenu } from "../roles";
import { mayUseAnalystWorkspace } from "../roles";
import { mayHandleRecords } from "../operations/records";
import { CITY_TIME_ZONE, CITY_ZONE_LABEL } from "../time";

const NAV = [
  { href: "/", text: "Home" },
  { href: "/intake", text: "Record a contact" },
  { href: "/queue", text: "Queue", show: mayReadQueue },
  { href: "/analyst", text: "Analyst workspace", show: mayUseAnalystWorkspace },
  { href: "/review", text: "Weekly review", show: mayReview },
  { href: "/reports", text: "Reports", show: showReportsInMenu },
  { href: "/admin/api-keys", text: "API keys", show: (role: string | undefined) => role === "ADMIN" },
  { href: "/records", text: "Records", show: mayHandleRecords },
  { href: "/audit", text: "Audit log", show: mayHandleRecords },
];

/** Every staff page: skip link, header with who is signed in, the main landmark, a footer. */
export function StaffLayout({ title, children }: { title: string; children: ReactNode }) {
  const { data: session } = useSession();
  const router = useRouter();
  const [signingOut, setSigningOut] = useState(false);
  const user = session?.user;
  return (
    <>
      <Head>
        <title>{`${title} · STAR`}</title>
      </Head>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link href="/" className="brand">
            STAR <span className="brand__sub">City services</span>
          </Link>
          <nav aria-label="Main">
            <ul className="nav-list">
              {NAV.filter((n) => !n.show || n.show(user?.role)).map((n) => (
                <li key={n.href}>
                  <Link href={n.href} aria-current={router.pathname === n.href ? "page" : undefined}>
                    {n.text}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {user ? (
            <div className="who">
              <p className="who__name">
                <span className="visually-hidden">Signed in as </span>
                {user.name || user.email}
                <span className="who__role">{label(ROLE_LABELS, user.role)}</span>
              </p>
              <button
                type="button"
                className="button button--header"
                disabled={signingOut}
                onClick={() => {
                  setSigningOut(true);
                  void signOut({ callbackUrl: "/signin" });
                }}
              >
                {signingOut ? "Signing out…" : "Sign out"}
              </button>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">
        {children}
      </main>
      <footer className="site-footer">
        <p>
          All times are {CITY_ZONE_LABEL} ({CITY_TIME_ZONE}).
        </p>
      </footer>
    </>
  );
}
