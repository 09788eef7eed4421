import path from "node:path";
import { ConfigError, loadConfig as load } from "../../src/server/config/config";

/** An environment with only the given settings. */
const loadConfig = (env: Record<string, string>) => load(env as NodeJS.ProcessEnv);

/** loadConfig's error message for an environment, or null when it is accepted. */
function problem(env: Record<string, string>): string | null {
  try {
    loadConfig(env);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
}

const SSO = {
  OIDC_ISSUER: "https://login.city.example/realms/staff",
  OIDC_CLIENT_ID: "star",
  OIDC_CLIENT_SECRET: "from-the-vault",
};

describe("loadConfig", () => {
  it("runs on the embedded database with the city's defaults when nothing is set", () => {
    const c = loadConfig({});
    expect(c.embedded).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.DATABASE_POOL_SIZE).toBe(10);
    expect(c.STAR_TIME_ZONE).toBe("America/Phoenix");
    expect(c.STAR_HOLIDAY_REGION).toBe("US-AZ");
    expect(c.STAR_REFERENCE_PREFIX).toBe("STAR");
    expect(c.STAR_RUN_MIGRATIONS).toBe(true);
    expect(c.GRAPHQL_MAX_DEPTH).toBe(8);
    expect(c.GRAPHQL_MAX_ALIASES).toBe(15);
    expect(c.oidcEnabled).toBe(false);
    expect(c.dataDir).toBe(path.resolve(".star-data"));
    expect(c.attachmentsDir).toBe(path.resolve(".star-data", "attachments"));
  });

  it("reads numbers, switches and a PostgreSQL URL", () => {
    const c = loadConfig({
      DATABASE_URL: "postgresql://star@db.city.example:5432/star",
      DATABASE_POOL_SIZE: "25",
      STAR_RUN_MIGRATIONS: "no",
      STAR_TIME_ZONE: "America/New_York",
      STAR_HOLIDAY_REGION: "US",
    });
    expect(c.embedded).toBe(false);
    expect(c.DATABASE_POOL_SIZE).toBe(25);
    expect(c.STAR_RUN_MIGRATIONS).toBe(false);
    expect(c.STAR_TIME_ZONE).toBe("America/New_York");
  });

  it("takes an empty setting, as copied from .env.example, as the default", () => {
    const c = loadConfig({ DATABASE_URL: "", DATABASE_POOL_SIZE: "", OIDC_ISSUER: "", STAR_TIME_ZONE: "" });
    expect(c.embedded).toBe(true);
    expect(c.DATABASE_POOL_SIZE).toBe(10);
    expect(c.STAR_TIME_ZONE).toBe("America/Phoenix");
    expect(c.oidcEnabled).toBe(false);
  });

  it.each([
    ["DATABASE_URL", "mysql://db.city.example/star"],
    ["DATABASE_POOL_SIZE", "many"],
    ["DATABASE_POOL_SIZE", "0"],
    ["DATABASE_POOL_SIZE", "2.5"],
    ["DATABASE_POOL_SIZE", "500"],
    ["STAR_EMBEDDED_PORT", "70000"],
    ["STAR_RUN_MIGRATIONS", "maybe"],
    ["STAR_DEMO_SEED", "sometimes"],
    ["STAR_DEMO_PASSWORD", "short"],
    ["STAR_TIME_ZONE", "America/Pheonix"],
    ["STAR_TIME_ZONE", "Mars/Olympus_Mons"],
    ["STAR_HOLIDAY_REGION", "Arizona"],
    ["STAR_HOLIDAY_REGION", "US-ZZ"],
    ["STAR_HOLIDAY_REGION", "XX"],
    ["STAR_REFERENCE_PREFIX", "star"],
    ["STAR_MAX_UPLOAD_BYTES", "10"],
    ["STAR_CALLBACK_RETENTION_DAYS", "-1"],
    ["STAR_SIGN_IN_MAX_FAILURES", "0"],
    ["NEXTAUTH_SECRET", "too-short"],
    ["NEXTAUTH_URL", "not a url"],
    ["OIDC_ISSUER", "login.city.example"],
    ["LOG_LEVEL", "verbose"],
    ["GRAPHQL_MAX_DEPTH", "1"],
    ["GRAPHQL_MAX_ALIASES", "none"],
    ["GRAPHQL_MAX_COST", "10"],
    ["NODE_ENV", "staging"],
  ])("refuses %s=%s, naming the setting", (name, value) => {
    const env = name.startsWith("OIDC_") ? { ...SSO, [name]: value } : { [name]: value };
    const message = problem(env);
    expect(message).toMatch(/^Invalid STAR configuration: /);
    expect(message).toContain(`${name}: `);
  });

  it("names every bad setting at once", () => {
    const message = problem({ DATABASE_POOL_SIZE: "0", LOG_LEVEL: "loud", STAR_TIME_ZONE: "Nowhere" });
    expect(message).toContain("DATABASE_POOL_SIZE: ");
    expect(message).toContain("LOG_LEVEL: ");
    expect(message).toContain("STAR_TIME_ZONE: ");
  });

  it("does not repeat a setting's value in the message (it may be a secret)", () => {
    const message = problem({ NEXTAUTH_SECRET: "hunter2-is-my-password" });
    expect(message).toContain("NEXTAUTH_SECRET");
    expect(message).not.toContain("hunter2");
  });

  describe("single sign-on (OIDC) is all or nothing", () => {
    it("is off with none of the three settings", () => {
      expect(loadConfig({}).oidcEnabled).toBe(false);
    });

    it("is on with all three", () => {
      expect(loadConfig(SSO).oidcEnabled).toBe(true);
    });

    it.each([
      ["OIDC_ISSUER"],
      ["OIDC_CLIENT_ID"],
      ["OIDC_CLIENT_SECRET"],
      ["OIDC_ISSUER", "OIDC_CLIENT_ID"],
      ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"],
      ["OIDC_ISSUER", "OIDC_CLIENT_SECRET"],
    ])("refuses %s without the rest, naming all three", (...names: string[]) => {
      const env = Object.fromEntries(names.map((n) => [n, SSO[n as keyof typeof SSO]]));
      const message = problem(env);
      expect(message).toContain("OIDC_ISSUER");
      expect(message).toContain("OIDC_CLIENT_ID");
      expect(message).toContain("OIDC_CLIENT_SECRET");
    });
  });

  it("requires NEXTAUTH_SECRET in production with a real database", () => {
    const message = problem({ NODE_ENV: "production", DATABASE_URL: "postgres://db.city.example/star" });
    expect(message).toContain("NEXTAUTH_SECRET");
    expect(
      loadConfig({
        NODE_ENV: "production",
        DATABASE_URL: "postgres://db.city.example/star",
        NEXTAUTH_SECRET: "s".repeat(32),
      }).embedded,
    ).toBe(false);
  });

  it("puts attachments under the data folder unless told otherwise", () => {
    const c = loadConfig({ STAR_DATA_DIR: "/var/lib/star", STAR_ATTACHMENTS_DIR: "files" });
    expect(c.dataDir).toBe("/var/lib/star");
    expect(c.attachmentsDir).toBe("/var/lib/star/files");
  });
});
