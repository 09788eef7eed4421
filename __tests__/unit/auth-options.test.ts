import { authOptions } from "../../src/server/auth/auth-options";
import { resetConfig } from "../../src/server/config/config";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetConfig();
});

const providerIds = () => authOptions().providers.map((p) => p.id);

describe("sign-in providers", () => {
  beforeEach(() => {
    process.env.NEXTAUTH_SECRET = "x".repeat(40);
  });

  it("offers email and password only, by default", () => {
    delete process.env.OIDC_ISSUER;
    resetConfig();
    expect(providerIds()).toEqual(["credentials"]);
  });

  it("switches on the city's single sign-on by settings alone", () => {
    Object.assign(process.env, {
      OIDC_ISSUER: "https://login.city.example/realms/staff",
      OIDC_CLIENT_ID: "star",
      OIDC_CLIENT_SECRET: "from-the-vault",
    });
    resetConfig();
    const sso = authOptions().providers.find((p) => p.id === "city-sso") as unknown as {
      wellKnown: string;
      type: string;
    };
    expect(providerIds()).toEqual(["credentials", "city-sso"]);
    expect(sso.type).toBe("oauth");
    expect(sso.wellKnown).toBe("https://login.city.example/realms/staff/.well-known/openid-configuration");
  });

  it("keeps sessions short-lived and stateless", () => {
    resetConfig();
    const o = authOptions();
    expect(o.session?.strategy).toBe("jwt");
    expect(o.session?.maxAge).toBeLessThanOrEqual(12 * 3600);
  });
});
