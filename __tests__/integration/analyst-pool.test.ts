import type { ApolloServer } from "@apollo/server";
import type { DataSource } from "typeorm";
import { createContext, type GraphQLContext } from "../../graphql/context";
import { getSchema } from "../../graphql/schema";
import { createApolloServer } from "../../graphql/server";
import { viewLog } from "../../src/server/audit/view-log";
import type { Viewer } from "../../src/server/auth/viewer";
import { loadConfig } from "../../src/server/config/config";
import { analystDataSourceOptions, openAnalystDataSource } from "../../src/server/db/data-source";
import { makeAssignment } from "../factories/assignment.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";

const TIMEOUT_MS = 700;
const onPostgres = process.env.STAR_TEST_TARGET === "postgresql";

const SCREEN = `query($id: ID!) { constituent(id: $id) { id firstName contacts { id assignments { id } } } }`;
const QUEUE = `query { assignments(first: 10) { totalCount edges { node { id } } } }`;

describe("the analyst pool's settings", () => {
  it("starts every connection read-only under the analyst timeout, on the replicas when configured", () => {
    const cfg = loadConfig({
      STAR_ANALYST_STATEMENT_TIMEOUT_MS: "2500",
      DATABASE_REPLICA_URLS: "postgres://r1/x,postgres://r2/x",
    } as never);
    const opts = analystDataSourceOptions("postgres://primary/x", cfg);
    expect(opts.extra.options).toBe("-c statement_timeout=2500 -c default_transaction_read_only=on");
    expect(opts.replication).toEqual({
      master: { url: "postgres://r1/x" },
      slaves: [{ url: "postgres://r1/x" }, { url: "postgres://r2/x" }],
      defaultMode: "slave",
    });
    expect(opts.migrations).toEqual([]);
    const alone = analystDataSourceOptions("postgres://primary/x", loadConfig({} as never));
    expect(alone.url).toBe("postgres://primary/x");
    expect(alone.replication).toBeUndefined();
  });
});

// The embedded database shares one session between all connections, so it has no analyst pool: a
// connection setting there would reach staff sessions too.
(onPostgres ? describe : describe.skip)(
  "analyst queries on PostgreSQL (skipped on the embedded database)",
  () => {
    let ds: DataSource;
    let analystDs: DataSource;
    let server: ApolloServer<GraphQLContext>;
    let city: Awaited<ReturnType<typeof makeCity>>;
    let constituentId: string;

    /** The pg clients that sent each statement while `fn` ran. */
    async function clientsOf<T>(
      fn: () => Promise<T>,
    ): Promise<{ result: T; sent: { text: string; client: unknown }[] }> {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const proto = require("pg").Client.prototype;
      const original = proto.query;
      const sent: { text: string; client: unknown }[] = [];
      proto.query = function (this: unknown, ...args: unknown[]) {
        const first = args[0] as string | { text?: string };
        sent.push({ text: typeof first === "string" ? first : (first?.text ?? "?"), client: this });
        return original.apply(this, args);
      };
      try {
        return { result: await fn(), sent };
      } finally {
        proto.query = original;
      }
    }

    async function run(viewer: Viewer, query: string, variables?: Record<string, unknown>) {
      const res = await server.executeOperation(
        { query, variables },
        { contextValue: createContext(ds, viewer, undefined, analystDs) },
      );
      if (res.body.kind !== "single") throw new Error("incremental delivery is not expected");
      return res.body.singleResult;
    }

    /** The one analyst connection (the pool holds one) and its settings. */
    async function analystConnection() {
      const { result, sent } = await clientsOf(() =>
        analystDs.query(
          `SELECT current_setting('statement_timeout') AS timeout,
                current_setting('default_transaction_read_only') AS "readOnly"`,
        ),
      );
      return { client: sent[0].client, settings: result[0] as { timeout: string; readOnly: string } };
    }

    beforeAll(async () => {
      ds = await openTestDataSource();
      await resetDatabase(ds);
      city = await makeCity(ds);
      const made = await makeAssignment(ds, city.intake.viewer, { categoryId: city.pothole.id });
      constituentId = made.contact.constituentId!;
      const url = process.env.STAR_TEST_DATABASE_URL!;
      analystDs = await openAnalystDataSource(
        ds,
        loadConfig({
          ...process.env,
          DATABASE_URL: url,
          DATABASE_POOL_SIZE: "1",
          STAR_ANALYST_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
        }),
      );
      server = createApolloServer(await getSchema());
      await server.start();
    });

    afterAll(async () => {
      await server?.stop();
      await analystDs?.destroy();
      await ds?.destroy();
    });

    it("reads an analyst's constituent and assignments on a read-only connection under the timeout", async () => {
      for (const [query, variables] of [
        [SCREEN, { id: constituentId }],
        [QUEUE, undefined],
      ] as const) {
        const { result, sent } = await clientsOf(() => run(city.analyst.viewer, query, variables));
        expect(result.errors).toBeUndefined();
        const reads = sent.filter((s) => /^\s*(SELECT|WITH)/i.test(s.text));
        expect(reads.length).toBeGreaterThan(0);
        const { client, settings } = await analystConnection();
        expect(settings).toEqual({ timeout: `${TIMEOUT_MS}ms`, readOnly: "on" });
        expect(reads.every((s) => s.client === client)).toBe(true);
      }
    });

    it("still writes the analyst's view audit events, to the primary", async () => {
      await viewLog(ds).flush();
      const since: { at: string }[] = await ds.query(`SELECT clock_timestamp()::text AS at`);
      const result = await run(city.analyst.viewer, SCREEN, { id: constituentId });
      expect(result.errors).toBeUndefined();
      await viewLog(analystDs).flush();
      const rows: { after: unknown }[] = await ds.query(
        `SELECT after FROM audit_event WHERE action = 'constituent.viewed' AND actor_id = $1 AND entity_id = $2
           AND at >= $3`,
        [city.analyst.viewer.id, constituentId, since[0].at],
      );
      // One from the screen's view log, one from the personal fields the query selected.
      expect(rows).toHaveLength(2);
      expect(rows.some((r) => JSON.stringify(r.after).includes("firstName"))).toBe(true);
    });

    it("refuses writes on the analyst connection", async () => {
      await expect(
        analystDs.query(`INSERT INTO audit_event (action, entity_type, entity_id) VALUES ('x', 'x', 'x')`),
      ).rejects.toMatchObject({ driverError: { code: "25006" } });
    });

    it("cancels a slow analyst statement with the database's timeout error", async () => {
      await expect(analystDs.query(`SELECT pg_sleep(30)`)).rejects.toMatchObject({
        message: expect.stringMatching(/statement timeout/),
        driverError: { code: "57014" },
      });
    });

    it("leaves staff sessions on the primary without the analyst settings", async () => {
      const { result, sent } = await clientsOf(() => run(city.streetsStaff.viewer, QUEUE));
      expect(result.errors).toBeUndefined();
      const { client } = await analystConnection();
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.some((s) => s.client === client)).toBe(false);
      const [primary] = await ds.query(
        `SELECT current_setting('statement_timeout') AS timeout,
              current_setting('default_transaction_read_only') AS "readOnly"`,
      );
      expect(primary).toEqual({ timeout: "0", readOnly: "off" });
    });
  },
);
