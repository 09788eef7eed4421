import { parse } from "graphql";
import type { DataSource } from "typeorm";
import { SavedQuery } from "../../../entities";
import { audit } from "../audit/audit.service";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput, conflict, notFound } from "../errors/domain-error";
import { optionalText, requiredText, uuid } from "../validation/validate";

export const MAX_SAVED_QUERIES = 200;

export interface SaveQueryCommand {
  id?: string | null;
  name: string;
  query: string;
  variables?: string | null;
}

/** The viewer's own saved queries, by name. */
export function listSavedQueries(ds: DataSource, viewer: Viewer | null): Promise<SavedQuery[]> {
  const v = requireRole(viewer, Rules.useAnalystWorkspace);
  return ds.getRepository(SavedQuery).find({ where: { ownerId: v.id }, order: { name: "ASC", id: "ASC" } });
}

function checkQuery(text: string): void {
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    throw badInput("query", `is not GraphQL: ${(e as Error).message}`);
  }
  for (const d of doc.definitions) {
    if (d.kind === "OperationDefinition" && d.operation !== "query")
      throw badInput("query", "only queries can be saved in the workspace");
  }
}

function checkVariables(text: string | null): void {
  if (text == null) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badInput("variables", "is not JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw badInput("variables", "must be a JSON object");
}

/** Creates a saved query, or replaces one of the viewer's own (by id). */
export async function saveQuery(
  ds: DataSource,
  viewer: Viewer | null,
  input: SaveQueryCommand,
): Promise<SavedQuery> {
  const v = requireRole(viewer, Rules.useAnalystWorkspace);
  const name = requiredText("name", input.name, { max: 100 });
  const query = requiredText("query", input.query, { max: 20_000, plain: false });
  const variables = optionalText("variables", input.variables, { max: 5_000, plain: false });
  checkQuery(query);
  checkVariables(variables);
  return ds.transaction(async (em) => {
    const repo = em.getRepository(SavedQuery);
    const sameName = await repo.findOneBy({ ownerId: v.id, name });
    if (input.id) {
      const id = uuid("id", input.id);
      const mine = await repo.findOneBy({ id, ownerId: v.id });
      if (!mine) throw notFound("Saved query");
      if (sameName && sameName.id !== id) throw conflict("You already have a saved query with this name");
      await repo.update({ id }, { name, query, variables });
      await audit(em, v, {
        action: "saved_query.updated",
        entityType: "saved_query",
        entityId: id,
        after: { name },
      });
      return repo.findOneByOrFail({ id });
    }
    if (sameName) throw conflict("You already have a saved query with this name");
    if ((await repo.countBy({ ownerId: v.id })) >= MAX_SAVED_QUERIES)
      throw badInput("name", `at most ${MAX_SAVED_QUERIES} saved queries each; delete some first`);
    const saved = await repo.save(repo.create({ ownerId: v.id, name, query, variables }));
    await audit(em, v, {
      action: "saved_query.created",
      entityType: "saved_query",
      entityId: saved.id,
      after: { name },
    });
    return saved;
  });
}

export async function deleteSavedQuery(ds: DataSource, viewer: Viewer | null, id: string): Promise<string> {
  const v = requireRole(viewer, Rules.useAnalystWorkspace);
  const queryId = uuid("id", id);
  return ds.transaction(async (em) => {
    const repo = em.getRepository(SavedQuery);
    const mine = await repo.findOneBy({ id: queryId, ownerId: v.id });
    if (!mine) throw notFound("Saved query");
    await repo.delete({ id: queryId });
    await audit(em, v, {
      action: "saved_query.deleted",
      entityType: "saved_query",
      entityId: queryId,
      before: { name: mine.name },
    });
    return queryId;
  });
}
