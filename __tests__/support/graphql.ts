import type { ApolloServer } from "@apollo/server";
import type { DataSource } from "typeorm";
import { createContext, type GraphQLContext } from "../../graphql/context";
import { getSchema } from "../../graphql/schema";
import { createApolloServer } from "../../graphql/server";
import type { Viewer } from "../../src/server/auth/viewer";

let server: ApolloServer<GraphQLContext> | undefined;

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Runs an operation through the real Apollo server (limits, error mapping) as `viewer`. */
export async function gql<T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  ds: DataSource,
  viewer: Viewer | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult<T>> {
  if (!server) {
    server = createApolloServer(await getSchema());
    await server.start();
  }
  const res = await server.executeOperation(
    { query, variables },
    { contextValue: createContext(ds, viewer) },
  );
  if (res.body.kind !== "single") throw new Error("incremental delivery is not expected");
  return res.body.singleResult as GqlResult<T>;
}

export function errorCodes(result: GqlResult): string[] {
  return (result.errors ?? []).map((e) => String(e.extensions?.code));
}

/** Counts SQL statements sent by any pg client while `fn` runs. */
export async function countStatements<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; statements: number; texts: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require("pg");
  const proto = pg.Client.prototype;
  const original = proto.query;
  const texts: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    texts.push(typeof first === "string" ? first : (first?.text ?? "?"));
    return original.apply(this, args);
  };
  try {
    const result = await fn();
    return { result, statements: texts.length, texts };
  } finally {
    proto.query = original;
  }
}
