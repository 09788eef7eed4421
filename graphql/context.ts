import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Contact } from "../entities";
import type { Viewer } from "../src/server/auth/viewer";
import { loadContactsOfConstituents } from "../src/server/constituents/constituent-screen.service";
import { createLoaders, type Loaders } from "../src/server/db/loaders";

/** What the public resolvers need of the HTTP request: rate limits and the form's CSRF check. */
export interface PublicRequestInfo {
  clientAddress: string | null;
  csrfValid: boolean;
}

export interface GraphQLContext {
  viewer: Viewer | null;
  /** Where the operation reads: the analyst pool for an analyst's query (see routeAnalystReads). */
  ds: DataSource;
  /** The primary: audit events written while answering a query go here, never to a read-only pool. */
  writeDs: DataSource;
  /** The read-only, time-limited pool for analyst queries; absent on the embedded database. */
  analystDs?: DataSource | null;
  request?: PublicRequestInfo;
  loaders: Loaders & { contactsByConstituent: DataLoader<string, Contact[]> };
}

function loadersOf(ds: DataSource, viewer: Viewer | null): GraphQLContext["loaders"] {
  return {
    ...createLoaders(ds),
    contactsByConstituent: new DataLoader((ids) =>
      viewer ? loadContactsOfConstituents(ds, viewer, ids) : Promise.resolve(ids.map(() => [])),
    ),
  };
}

export function createContext(
  ds: DataSource,
  viewer: Viewer | null,
  request?: PublicRequestInfo,
  analystDs?: DataSource | null,
): GraphQLContext {
  return { viewer, ds, writeDs: ds, analystDs, request, loaders: loadersOf(ds, viewer) };
}

/** Sends every read of the operation to the analyst pool, before any resolver or loader has run. */
export function routeAnalystReads(ctx: GraphQLContext): void {
  if (!ctx.analystDs || ctx.ds === ctx.analystDs) return;
  ctx.ds = ctx.analystDs;
  ctx.loaders = loadersOf(ctx.analystDs, ctx.viewer);
}
