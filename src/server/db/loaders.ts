import DataLoader from "dataloader";
import { In, type DataSource, type ObjectLiteral, type EntityTarget } from "typeorm";
import {
  Assignment,
  Attachment,
  Category,
  ConfidentialCallback,
  Constituent,
  Contact,
  Department,
  Response,
  StaffUser,
} from "../../../entities";

function byId<T extends ObjectLiteral & { id: string }>(ds: DataSource, entity: EntityTarget<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await ds.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function manyBy<T extends ObjectLiteral>(
  ds: DataSource,
  entity: EntityTarget<T>,
  key: keyof T & string,
  order: Partial<Record<keyof T & string, "ASC" | "DESC">>,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await ds
      .getRepository(entity)
      .find({ where: { [key]: In([...keys]) } as never, order: order as never });
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const r of rows) groups.get(r[key] as string)?.push(r);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * Per-request batching for fields that were not preloaded. Loaders read raw rows: the confidentiality
 * rules are applied by the services and resolvers that hand rows out, not here.
 */
export function createLoaders(ds: DataSource) {
  return {
    department: byId(ds, Department),
    category: byId(ds, Category),
    constituent: byId(ds, Constituent),
    contact: byId(ds, Contact),
    staffUser: byId(ds, StaffUser),
    assignmentsByContact: manyBy(ds, Assignment, "contactId", { assignedAt: "ASC" }),
    responsesByAssignment: manyBy(ds, Response, "assignmentId", { createdAt: "ASC" }),
    attachmentsByContact: manyBy(ds, Attachment, "contactId", { createdAt: "ASC" }),
    attachmentsByResponse: manyBy(ds, Attachment, "responseId", { createdAt: "ASC" }),
    callback: new DataLoader<string, ConfidentialCallback | null>(async (ids) => {
      const rows = await ds.getRepository(ConfidentialCallback).findBy({ contactId: In([...ids]) });
      const map = new Map(rows.map((r) => [r.contactId, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
