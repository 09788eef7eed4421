import fs from "node:fs";
import path from "node:path";
import { buildSchema, validate, type DocumentNode } from "graphql";

// The portal's operations are checked against the committed schema, so an API change that breaks a page
// fails here rather than in a browser.
const schema = buildSchema(fs.readFileSync(path.join(__dirname, "../../graphql/schema.graphql"), "utf8"));
const dir = path.join(__dirname, "../../src/client/operations");

const operations: [string, DocumentNode][] = fs.readdirSync(dir).flatMap((file) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- every module in the folder, by name
  Object.entries(require(path.join(dir, file)) as Record<string, unknown>)
    .filter(([, v]) => (v as DocumentNode)?.kind === "Document")
    .filter(([, v]) => (v as DocumentNode).definitions.some((d) => d.kind === "OperationDefinition"))
    .map(([name, v]) => [`${file} ${name}`, v as DocumentNode] as [string, DocumentNode]),
);

describe("the portal's GraphQL operations", () => {
  it("are there to check", () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it.each(operations)("%s is valid against graphql/schema.graphql", (_name, doc) => {
    expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
  });
});
