import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/**
 * The field names selected at `path` below the current field (fragments and inline fragments followed,
 * aliases ignored), so that a root resolver can load what its children will ask for.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[]): Set<string> {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  for (const name of path) {
    level = fieldsOf(info, level)
      .filter((f) => f.name.value === name)
      .flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  }
  return new Set(fieldsOf(info, level).map((f) => f.name.value));
}

function fieldsOf(info: GraphQLResolveInfo, sets: SelectionSetNode[]) {
  const out = [];
  const seen = new Set<string>();
  const stack = [...sets];
  while (stack.length) {
    for (const s of stack.pop()!.selections) {
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) stack.push(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = info.fragments[s.name.value];
        if (fragment) stack.push(fragment.selectionSet);
      }
    }
  }
  return out;
}
