import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { Role } from "../../../entities/enums";
import { config } from "../config/config";
import { getDataSource } from "../db/data-source";
import { authSecret } from "./auth-secret";
import { signInWithPassword, staffForSso } from "./sign-in.service";
import type { Viewer } from "./viewer";

declare module "next-auth" {
  interface Session {
    user: Viewer;
  }
  interface User {
    role?: Role;
    departmentId?: string | null;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    staffId?: string;
    role?: Role;
    departmentId?: string | null;
  }
}

const EIGHT_HOURS = 8 * 60 * 60;

export function authOptions(): AuthOptions {
  const cfg = config();
  const providers: AuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        const result = await signInWithPassword(
          await getDataSource(),
          credentials?.email ?? "",
          credentials?.password ?? "",
        );
        if (!result.ok) {
          throw new Error(result.reason === "locked" ? "AccountLocked" : "CredentialsSignin");
        }
        const v = result.viewer;
        return { id: v.id, email: v.email, name: v.name, role: v.role, departmentId: v.departmentId };
      },
    }),
  ];
  if (cfg.oidcEnabled) {
    providers.push({
      id: "city-sso",
      name: cfg.OIDC_NAME,
      type: "oauth",
      wellKnown: `${cfg.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: cfg.OIDC_CLIENT_ID,
      clientSecret: cfg.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
      },
    });
  }
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: EIGHT_HOURS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "city-sso") return true;
        // Single sign-on proves who; STAR decides what. Unknown or inactive staff are refused.
        return !!(user.email && (await staffForSso(await getDataSource(), user.email)));
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === "city-sso") {
          const staff = await staffForSso(await getDataSource(), user.email ?? "");
          if (staff)
            Object.assign(token, { staffId: staff.id, role: staff.role, departmentId: staff.departmentId });
        } else if (user) {
          Object.assign(token, {
            staffId: user.id,
            role: user.role,
            departmentId: user.departmentId ?? null,
          });
        }
        return token;
      },
      async session({ session, token }) {
        session.user = {
          id: token.staffId ?? "",
          email: token.email ?? "",
          name: token.name ?? "",
          role: token.role as Role,
          departmentId: token.departmentId ?? null,
        };
        return session;
      },
    },
  };
}
