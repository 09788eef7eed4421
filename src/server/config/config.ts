import path from "node:path";
import Holidays from "date-holidays";
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["true", "1", "yes"].includes(v)));

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

// An unknown region would silently give due dates with no holidays at all.
function isHolidayRegion(region: string): boolean {
  const [country, state] = region.split("-");
  const hd = new Holidays();
  if (!Object.hasOwn(hd.getCountries(), country)) return false;
  return !state || Object.hasOwn(hd.getStates(country) ?? {}, state);
}

// Fields a records package may mask (src/server/records/redaction.ts reads the same names).
export const MASKABLE_FIELDS: readonly string[] = [
  "constituent.firstName",
  "constituent.lastName",
  "constituent.organization",
  "constituent.email",
  "constituent.phone",
  "constituent.addressLine1",
  "constituent.addressLine2",
  "constituent.city",
  "constituent.state",
  "constituent.postalCode",
  "contact.locationAddress",
];

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  STAR_DATA_DIR: z.string().default(".star-data"),
  STAR_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  STAR_RUN_MIGRATIONS: bool(true),
  STAR_DEMO_SEED: z.enum(["auto", "always", "never"]).default("auto"),
  STAR_DEMO_PASSWORD: z.string().min(8).default("star-demo"),
  STAR_TIME_ZONE: z
    .string()
    .refine(isTimeZone, "must be an IANA time zone such as America/Phoenix")
    .default("America/Phoenix"),
  STAR_HOLIDAY_REGION: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, { message: "must look like US or US-AZ", abort: true })
    .refine(isHolidayRegion, "is not a country or country-state that date-holidays knows")
    .default("US-AZ"),
  STAR_REFERENCE_PREFIX: z
    .string()
    .regex(/^[A-Z]{2,8}$/)
    .default("STAR"),
  STAR_ATTACHMENTS_DIR: z.string().optional(),
  STAR_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  STAR_UNLINKED_UPLOAD_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  STAR_UPLOAD_PURGE_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, "must be a five-field cron expression such as 17 * * * *")
    .default("17 * * * *"),
  STAR_CITY_NAME: z.string().min(1).max(200).default("Your City"),
  STAR_CITY_ADDRESS: z.string().max(300).optional(),
  STAR_CITY_PHONE: z.string().max(50).optional(),
  STAR_CALLBACK_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  STAR_OPEN311_JURISDICTION_ID: z
    .string()
    .regex(/^[\w.-]{1,100}$/, "must be a short id such as city.example")
    .optional(),
  STAR_RECORDS_DUE_BUSINESS_DAYS: z.coerce.number().int().min(1).max(60).default(10),
  STAR_RECORDS_MASKED_FIELDS: z
    .string()
    .default("constituent.email,constituent.phone")
    .transform((v) => [
      ...new Set(
        v
          .split(",")
          .map((f) => f.trim())
          .filter(Boolean),
      ),
    ])
    .refine((fields) => fields.every((f) => MASKABLE_FIELDS.includes(f)), {
      message: "must be a comma list of constituent.<field> or contact.locationAddress",
    }),
  STAR_SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  STAR_SIGN_IN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default("City single sign-on"),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: bool(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().min(3).default("STAR <no-reply@star.local>"),
  STAR_JOBS: z.enum(["true", "false", "1", "0", "yes", "no", "on", "off"]).optional(),
  STAR_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  STAR_MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).default(60),
  STAR_MAIL_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).default(3600),
  STAR_MAIL_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  STAR_MAIL_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  STAR_OVERDUE_DIGEST_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, "must be a five-field cron expression such as 0 7 * * 1-5")
    .default("0 7 * * 1-5"),
  STAR_REVIEW_PACKET_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, "must be a five-field cron expression such as 0 7 * * 1")
    .default("0 7 * * 1"),
  STAR_CONSISTENCY_SIMILARITY_THRESHOLD: z.coerce.number().min(0).max(1).default(0.3),
  STAR_STALE_ASSIGNMENT_DAYS: z.coerce.number().int().min(1).max(365).default(5),
  STAR_REPEAT_CONTACT_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  STAR_SLA_ROLLUP_CRON: z
    .string()
    .regex(/^\S+( \S+){4}$/, "must be a five-field cron expression such as */15 * * * *")
    .default("*/15 * * * *"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).default(8),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).default(5000),
  STAR_ANALYST_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DATABASE_REPLICA_URLS: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+(,\s*postgres(ql)?:\/\/\S+)*$/, "must be postgres:// URLs, comma-separated")
    .optional(),
  STAR_API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  STAR_PUBLIC_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(600),
  STAR_PUBLIC_SUBMIT_LIMIT: z.coerce.number().int().min(1).default(10),
  STAR_PUBLIC_STATUS_LIMIT: z.coerce.number().int().min(1).default(60),
  STAR_PUBLIC_UPLOAD_LIMIT: z.coerce.number().int().min(1).default(20),
  STAR_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  STAR_PUBLIC_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
});

export type Config = z.infer<typeof schema> & {
  embedded: boolean;
  dataDir: string;
  attachmentsDir: string;
  oidcEnabled: boolean;
  /** Background jobs (mail delivery, digests): on in the server, off in tests unless asked for. */
  jobsEnabled: boolean;
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws one message that names every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty setting (as copied from .env.example) means "use the default".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid STAR configuration: ${problems}`);
  }
  const c = parsed.data;
  const oidcSet = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet > 0 && oidcSet < 3) {
    throw new ConfigError(
      "Invalid STAR configuration: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
    );
  }
  if (c.NODE_ENV === "production" && c.DATABASE_URL && !c.NEXTAUTH_SECRET) {
    throw new ConfigError(
      "Invalid STAR configuration: NEXTAUTH_SECRET is required with DATABASE_URL in production",
    );
  }
  if (Boolean(c.SMTP_USER) !== Boolean(c.SMTP_PASSWORD)) {
    throw new ConfigError("Invalid STAR configuration: SMTP_USER and SMTP_PASSWORD must be set together");
  }
  // Paths are settings read at run time; the comments keep the bundler from tracing them.
  const dataDir = path.resolve(/* turbopackIgnore: true */ process.cwd(), c.STAR_DATA_DIR);
  return {
    ...c,
    embedded: !c.DATABASE_URL,
    dataDir,
    attachmentsDir: path.resolve(
      /* turbopackIgnore: true */ dataDir,
      c.STAR_ATTACHMENTS_DIR ?? "attachments",
    ),
    oidcEnabled: oidcSet === 3,
    jobsEnabled:
      c.STAR_JOBS === undefined ? c.NODE_ENV !== "test" : ["true", "1", "yes", "on"].includes(c.STAR_JOBS),
  };
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Tests change the environment between suites. */
export function resetConfig(): void {
  cached = undefined;
}
