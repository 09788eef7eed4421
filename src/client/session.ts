import type { GetServerSidePropsResult } from "next";
import type { Session } from "next-auth";

export interface StaffPageProps {
  session: Session;
}

/** Only paths on this site: a callbackUrl is user input and must not send anyone elsewhere. */
export function safeCallbackUrl(value: unknown, fallback = "/intake"): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== "string" || !v.startsWith("/") || v.startsWith("//") || v.startsWith("/\\"))
    return fallback;
  if (v.startsWith("/signin") || v.startsWith("/api/")) return fallback;
  return v;
}

/** A staff page's props, or a redirect to sign-in that comes back to the same page. */
export function staffPageProps<P extends object>(
  session: Session | null,
  resolvedUrl: string,
  props: P,
): GetServerSidePropsResult<StaffPageProps & P> {
  if (!session?.user?.id) {
    // From the home page, signing in goes straight to intake.
    const destination =
      resolvedUrl === "/" ? "/signin" : `/signin?callbackUrl=${encodeURIComponent(resolvedUrl)}`;
    return { redirect: { destination, permanent: false } };
  }
  return { props: { ...props, session } };
}

export function firstQueryValue(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.length ? v : null;
}
