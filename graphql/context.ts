import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Contact } from "../entities";
import type { Viewer } from "../src/server/auth/viewer";
import { loadContactsOfConstituents } from "../src/server/constituents/constituent-screen.service";
import { createLoaders, type Loaders } from "../src/server/db/loaders";

export interface GraphQLContext {
  viewer: Viewer | null;
  ds: DataSource;
  loaders: Loaders & { contactsByConstituent: DataLoader<string, Contact[]> };
}

export function createContext(ds: DataSource, viewer: Viewer | null): GraphQLContext {
  return {
    viewer,
    ds,
    loaders: {
      ...createLoaders(ds),
      contactsByConstituent: new DataLoader((ids) =>
        viewer ? loadContactsOfConstituents(ds, viewer, ids) : Promise.resolve(ids.map(() => [])),
      ),
    },
  };
}
