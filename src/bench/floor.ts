import { performance } from "node:perf_hooks";
import { Client } from "pg";
import { FLOOR_SQL } from "./scenarios";

export interface FloorResult {
  seconds: number;
  ok: number;
  latenciesMs: number[];
  errors: number;
  firstFailure: string | null;
}

const STATEMENT = "star-bench-floor-screen";

/** One tree through pg directly, as a named prepared statement (planned once per connection). */
export async function floorTree(client: Client, id: string): Promise<unknown> {
  const { rows } = await client.query<{ tree: unknown }>({ name: STATEMENT, text: FLOOR_SQL, values: [id] });
  return rows[0]?.tree ?? null;
}

export async function connectFloorClients(url: string, n: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
}

/** `clients.length` workers in this process, each sending the next query as soon as the last returned. */
export async function runFloor(clients: Client[], ids: string[], seconds: number): Promise<FloorResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        const t = performance.now();
        try {
          const tree = (await floorTree(client, id)) as { id?: string } | null;
          if (tree?.id !== id) throw new Error(`no tree for ${id}`);
          latencies.push(performance.now() - t);
        } catch (e) {
          errors++;
          firstFailure ??= e instanceof Error ? e.message : String(e);
        }
      }
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    ok: latencies.length,
    latenciesMs: latencies,
    errors,
    firstFailure,
  };
}
