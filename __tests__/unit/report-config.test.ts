import { ConfigError, loadConfig } from "../../src/server/config/config";

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

describe("the report settings", () => {
  it("default to a 0.3 similarity threshold, five idle days, 30 days for repeats and a 15-minute rollup", () => {
    const c = load({});
    expect(c.STAR_CONSISTENCY_SIMILARITY_THRESHOLD).toBe(0.3);
    expect(c.STAR_STALE_ASSIGNMENT_DAYS).toBe(5);
    expect(c.STAR_REPEAT_CONTACT_DAYS).toBe(30);
    expect(c.STAR_SLA_ROLLUP_CRON).toBe("*/15 * * * *");
  });

  it("refuses a similarity threshold outside 0..1 and a malformed cron, naming the setting", () => {
    expect(() => load({ STAR_CONSISTENCY_SIMILARITY_THRESHOLD: "1.5" })).toThrow(ConfigError);
    expect(() => load({ STAR_CONSISTENCY_SIMILARITY_THRESHOLD: "-0.1" })).toThrow(
      /STAR_CONSISTENCY_SIMILARITY_THRESHOLD/,
    );
    expect(() => load({ STAR_SLA_ROLLUP_CRON: "hourly" })).toThrow(/STAR_SLA_ROLLUP_CRON/);
    expect(
      load({ STAR_CONSISTENCY_SIMILARITY_THRESHOLD: "0.55" }).STAR_CONSISTENCY_SIMILARITY_THRESHOLD,
    ).toBe(0.55);
  });
});
