import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Head from "next/head";
import { signIn } from "next-auth/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { authOptions } from "../src/server/auth/auth-options";
import { Field } from "../src/client/components/field";
import { firstQueryValue, safeCallbackUrl } from "../src/client/session";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password do not match. Check them and try again.",
  AccountLocked:
    "This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask an administrator to unlock it.",
  SessionRequired: "Sign in to continue.",
};
const GENERIC = "Sign-in did not work. Try again; if it keeps failing, contact the IT service desk.";

interface SignInProps {
  callbackUrl: string;
  initialError: string | null;
}

export default function SignInPage({ callbackUrl, initialError }: SignInProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(
    initialError ? (MESSAGES[initialError] ?? GENERIC) : null,
  );
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!attempt) return;
    if (missing.email) emailInput.current?.focus();
    else if (missing.password) passwordInput.current?.focus();
    else if (error) passwordInput.current?.focus();
  }, [attempt, missing, error]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const m: typeof missing = {};
    if (!email.trim()) m.email = "Enter your email address.";
    if (!password) m.password = "Enter your password.";
    setMissing(m);
    if (m.email || m.password) {
      setError(null);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { redirect: false, email: email.trim(), password, callbackUrl });
    if (res?.ok && !res.error) {
      // A full load: the next page starts with this session and an empty cache.
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setPassword("");
    setError(res?.error ? (MESSAGES[res.error] ?? GENERIC) : GENERIC);
    setAttempt((n) => n + 1);
  }

  return (
    <>
      <Head>
        <title>Sign in · STAR</title>
      </Head>
      <header className="site-header">
        <div className="site-header__inner">
          <span className="brand">
            STAR <span className="brand__sub">City services</span>
          </span>
        </div>
      </header>
      <main id="main" className="main main--narrow">
        <h1>Sign in</h1>
        <p>Staff of the city: sign in with your work email.</p>
        <form noValidate onSubmit={submit} className="panel signin-form">
          {error ? (
            <div id="signin-error" className="form-errors" role="alert">
              <p>{error}</p>
            </div>
          ) : null}
          <Field id="email" label="Email" error={missing.email}>
            {(a11y) => (
              <input
                {...a11y}
                ref={emailInput}
                type="email"
                name="email"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field id="password" label="Password" error={missing.password}>
            {(a11y) => (
              <input
                {...a11y}
                {...(error && !a11y["aria-describedby"] ? { "aria-describedby": "signin-error" } : {})}
                ref={passwordInput}
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </main>
    </>
  );
}

export const getServerSideProps: GetServerSideProps<SignInProps> = async ({ req, res, query }) => {
  const callbackUrl = safeCallbackUrl(query.callbackUrl);
  const session = await getServerSession(req, res, authOptions());
  if (session?.user?.id) return { redirect: { destination: callbackUrl, permanent: false } };
  return { props: { callbackUrl, initialError: firstQueryValue(query.error) } };
};
