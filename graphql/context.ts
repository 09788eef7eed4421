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
  ds: DataSource;
  request?: PublicRequestInfo;
  loaders: Loaders & { contactsByConstituent: DataLoader<string, Contact[]> };
}

export function createContext(
  ds: DataSource,
  viewer: Viewer | null,
  request?: PublicRequestInfo,
): GraphQLContext {
  return {
    viewer,
    ds,
    request,
    loaders: {
      ...createLoaders(ds),
      contactsByConstituent: new DataLoader((ids) =>
        viewer ? loadContactsOfConstituents(ds, viewer, ids) : Promise.resolve(ids.map(() => [])),
      ),
    },
  };
}
