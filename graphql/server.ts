import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLSchema } from "graphql";
import { config } from "../src/server/config/config";
import { personalViewAuditPlugin, readOnlyPlugin } from "./analyst-plugins";
import type { GraphQLContext } from "./context";
import { formatError } from "./format-error";

/**
 * No answer is cached by a browser or a proxy: it is a person's record or a role's view. The header the
 * cache-control plugin would set, without its hook on every resolved field (STAR gives no cache hints).
 */
const noStorePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has("cache-control"))
          response.http.headers.set("cache-control", "no-store");
      },
    };
  },
};

/** Apollo with depth, alias and cost limits; errors go through the one mapper. */
export function createApolloServer(schema: GraphQLSchema): ApolloServer<GraphQLContext> {
  const cfg = config();
  const armor = new ApolloArmor({
    maxDepth: { n: cfg.GRAPHQL_MAX_DEPTH },
    maxAliases: { n: cfg.GRAPHQL_MAX_ALIASES },
    costLimit: { maxCost: cfg.GRAPHQL_MAX_COST },
    maxDirectives: { n: 20 },
    maxTokens: { n: 2000 },
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return new ApolloServer<GraphQLContext>({
    schema,
    ...protection,
    plugins: [
      ...(protection.plugins as ApolloServerPlugin<GraphQLContext>[]),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      readOnlyPlugin,
      personalViewAuditPlugin,
    ],
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
}
