import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type OperationDefinitionNode } from "graphql";
import { Role } from "../entities/enums";
import type { Viewer } from "../src/server/auth/viewer";
import { logger } from "../src/server/logging/logger";
import { routeAnalystReads, type GraphQLContext } from "./context";

/** What an analyst changes with a session: their own workspace, nothing of the city's records. */
export const WORKSPACE_MUTATIONS: ReadonlySet<string> = new Set([
  "saveQuery",
  "deleteSavedQuery",
  "createApiToken",
  "revokeApiToken",
]);

/** The root fields of a mutation, or null when it selects through fragments (judged as anything). */
function rootFields(op: OperationDefinitionNode): string[] | null {
  const names: string[] = [];
  for (const s of op.selectionSet.selections) {
    if (s.kind !== Kind.FIELD) return null;
    names.push(s.name.value);
  }
  return names;
}

/** A read-only viewer (an API token) changes nothing; an analyst changes only their own workspace. */
export function refusesMutation(viewer: Viewer | null, op: OperationDefinitionNode): boolean {
  if (op.operation === "query" || !viewer) return false;
  if (viewer.readOnly) return true;
  if (viewer.role !== Role.ANALYST) return false;
  const fields = rootFields(op);
  return !fields || fields.some((f) => !WORKSPACE_MUTATIONS.has(f));
}

/**
 * The one place read-only is enforced, before any resolver runs: public mutations (the self-service form)
 * are refused too, which no role rule could do. An analyst's or API token's query reads through the
 * analyst pool (read-only connections under the statement timeout) when there is one.
 */
export const readOnlyPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (operation && refusesMutation(contextValue.viewer, operation)) {
          throw new GraphQLError(
            contextValue.viewer?.readOnly
              ? "An API token is read-only: no mutation"
              : "Analysts read; they change nothing but their own workspace",
            { extensions: { code: "FORBIDDEN" } },
          );
        }
        if (operation?.operation === "query" && isAnalystQuery(contextValue.viewer)) {
          routeAnalystReads(contextValue);
        }
      },
    };
  },
};

/** Fields of a person's record: reading any of them through an analyst query is a view to audit. */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  "firstName",
  "lastName",
  "organization",
  "email",
  "phone",
  "addressLine1",
  "addressLine2",
  "city",
  "state",
  "postalCode",
]);

export const isAnalystQuery = (viewer: Viewer | null) =>
  !!viewer && (viewer.role === Role.ANALYST || !!viewer.readOnly);

/**
 * Who saw which personal fields of which constituent through an analyst query (the workspace or an API
 * token), as one audit event per constituent, written before the response is sent.
 */
export const personalViewAuditPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart({ contextValue }) {
    if (!isAnalystQuery(contextValue.viewer)) return;
    const seen = new Map<string, Set<string>>();
    return {
      async executionDidStart() {
        return {
          willResolveField({ source, info }) {
            if (info.parentType.name !== "Constituent" || !PERSONAL_FIELDS.has(info.fieldName)) return;
            const id = (source as { id?: unknown } | null)?.id;
            if (typeof id !== "string") return;
            let fields = seen.get(id);
            if (!fields) seen.set(id, (fields = new Set()));
            fields.add(info.fieldName);
          },
        };
      },
      async willSendResponse({ contextValue: ctx, operationName }) {
        if (!seen.size) return;
        const ids = [...seen.keys()];
        const after = ids.map((id) =>
          JSON.stringify({
            fields: [...seen.get(id)!].sort(),
            via: ctx.viewer!.readOnly ? "api token" : "analyst workspace",
            operationName: operationName ?? null,
          }),
        );
        try {
          await ctx.writeDs.query(
            `INSERT INTO audit_event (actor_id, action, entity_type, entity_id, after)
             SELECT $1, 'constituent.viewed', 'constituent', e.id, e.after::jsonb
               FROM unnest($2::varchar[], $3::text[]) AS e(id, after)`,
            [ctx.viewer!.id, ids, after],
          );
        } catch (err) {
          logger.error({ err, count: ids.length }, "could not write analyst view audit events");
        }
      },
    };
  },
};
