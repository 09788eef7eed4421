import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLSchema } from "graphql";
import { config } from "../src/server/config/config";
import { personalViewAuditPlugin, readOnlyPlugin } from "./analyst-plugins";
import type { GraphQLContext } from "./context";
import { formatError } from "./format-error";

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
      readOnlyPlugin,
      personalViewAuditPlugin,
    ],
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
}
