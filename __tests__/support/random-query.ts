import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { seededRandom } from "../../src/server/db/seed/random";

/** Values worth trying for arguments: real ids and texts from the seeded data, and some nonsense. */
export interface ValuePools {
  ids: string[];
  strings: string[];
}

type Rng = ReturnType<typeof seededRandom>;

function literal(rng: Rng, type: GraphQLInputType, pools: ValuePools, depth: number): string | null {
  if (isNonNullType(type)) return literal(rng, type.ofType, pools, depth) ?? fallback(type.ofType);
  if (rng.chance(0.15)) return null;
  if (isListType(type)) {
    const items = Array.from({ length: rng.int(0, 2) }, () => literal(rng, type.ofType, pools, depth)).filter(
      (v): v is string => v !== null,
    );
    return `[${items.join(", ")}]`;
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).name;
  if (isInputObjectType(type)) {
    if (depth > 3) return null;
    const parts: string[] = [];
    for (const f of Object.values(type.getFields())) {
      if (!isNonNullType(f.type) && !rng.chance(0.35)) continue;
      const v = literal(rng, f.type, pools, depth + 1);
      if (v !== null) parts.push(`${f.name}: ${v}`);
    }
    return `{ ${parts.join(", ")} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        return JSON.stringify(rng.chance(0.9) ? rng.pick(pools.ids) : "not-an-id");
      case "String":
        return JSON.stringify(rng.pick(pools.strings));
      case "Int":
        return String(rng.pick([0, 1, 2, 5, 50, 201, -1]));
      case "Float":
        return String(rng.pick([0, 33.45, -112.07, 1e9]));
      case "Boolean":
        return rng.chance(0.5) ? "true" : "false";
      case "DateTimeISO":
      case "DateTime":
        return JSON.stringify(new Date(Date.now() + rng.int(-30, 30) * 86_400_000).toISOString());
      default:
        return null;
    }
  }
  return null;
}

function fallback(type: GraphQLInputType): string {
  if (isListType(type)) return "[]";
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isScalarType(type) && ["Int", "Float"].includes(type.name)) return "1";
  if (isScalarType(type) && type.name === "Boolean") return "true";
  if (isInputObjectType(type)) return "{}";
  return '""';
}

function args(rng: Rng, field: GraphQLField<unknown, unknown>, pools: ValuePools): string {
  const parts: string[] = [];
  for (const a of field.args) {
    if (!isNonNullType(a.type) && !rng.chance(0.5)) continue;
    const v = literal(rng, a.type, pools, 0);
    if (v !== null) parts.push(`${a.name}: ${v}`);
  }
  return parts.length ? `(${parts.join(", ")})` : "";
}

function selection(rng: Rng, type: GraphQLObjectType, pools: ValuePools, depth: number): string {
  const fields = Object.values(type.getFields());
  // Every object names its type and id, so a checker can tell whose data it is.
  const chosen: string[] = type.getFields().id ? ["__typename", "id"] : ["__typename"];
  for (const f of fields) {
    if (f.name === "id") continue;
    const named = getNamedType(f.type);
    const leaf = isScalarType(named) || isEnumType(named);
    if (!leaf && !isObjectType(named)) continue;
    // Scalars are cheap and often what leaks: take most of them; go deeper into some objects.
    if (leaf ? !rng.chance(0.7) : depth >= 4 || !rng.chance(0.4)) continue;
    const a = args(rng, f, pools);
    chosen.push(
      isObjectType(named) ? `${f.name}${a} { ${selection(rng, named, pools, depth + 1)} }` : `${f.name}${a}`,
    );
  }
  return chosen.join(" ");
}

/** One random operation over the schema: a few root fields of Query or Mutation, random args and depth. */
export function randomOperation(
  schema: GraphQLSchema,
  seed: number,
  kind: "query" | "mutation",
  pools: ValuePools,
  favoured: readonly string[] = [],
): string {
  const rng = seededRandom(seed);
  const root = kind === "query" ? schema.getQueryType()! : schema.getMutationType()!;
  const all = Object.values(root.getFields());
  const preferred = all.filter((f) => favoured.includes(f.name));
  // Half of the time a root field that leads to contacts and people, where the interesting data is.
  const count = kind === "query" ? rng.int(1, 3) : 1;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = rng.pick(preferred.length && rng.chance(0.5) ? preferred : all);
    const named = getNamedType(f.type);
    const sel = isObjectType(named) ? ` { ${selection(rng, named, pools, 1)} }` : "";
    parts.push(`f${i}: ${f.name}${args(rng, f, pools)}${sel}`);
  }
  return `${kind} { ${parts.join(" ")} }`;
}

/** A random selection set of one object type, to put under a root field chosen by the test. */
export function randomSelection(
  schema: GraphQLSchema,
  typeName: string,
  seed: number,
  pools: ValuePools,
): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return selection(seededRandom(seed), type, pools, 1);
}
