import "reflect-metadata";
import { startServerAndCreateNextHandler } from "@as-integrations/next";
import type { NextApiRequest, NextApiResponse } from "next";
import { isAnalystQuery } from "../../graphql/analyst-plugins";
import { createContext } from "../../graphql/context";
import { getSchema } from "../../graphql/schema";
import { createApolloServer } from "../../graphql/server";
import { viewerFromRequest } from "../../src/server/auth/session";
import { getAnalystDataSource, getDataSource } from "../../src/server/db/data-source";
import { clientAddressOf, requestCsrfValid } from "../../src/server/self-service/csrf";

type Handler = (req: NextApiRequest, res: NextApiResponse) => Promise<unknown>;
const cache = globalThis as unknown as { __starGraphQL?: { schema: unknown; handler: Handler } };

async function handler(): Promise<Handler> {
  const schema = await getSchema();
  if (cache.__starGraphQL?.schema !== schema) {
    const server = createApolloServer(schema);
    cache.__starGraphQL = {
      schema,
      handler: startServerAndCreateNextHandler(server, {
        context: async (req: NextApiRequest, res: NextApiResponse) => {
          const ds = await getDataSource();
          const viewer = await viewerFromRequest(ds, req, res, { apiTokens: true });
          return createContext(
            ds,
            viewer,
            { clientAddress: clientAddressOf(req), csrfValid: requestCsrfValid(req) },
            isAnalystQuery(viewer) ? await getAnalystDataSource() : null,
          );
        },
      }) as Handler,
    };
  }
  return cache.__starGraphQL.handler;
}

export default async function graphql(req: NextApiRequest, res: NextApiResponse) {
  return (await handler())(req, res);
}
