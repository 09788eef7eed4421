import fs from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { getSchema } from "../../graphql/schema";

const COMMITTED = path.join(__dirname, "../../graphql/schema.graphql");

describe("graphql/schema.graphql", () => {
  it("is the schema the code builds (run `npm run schema:emit` after an API change)", async () => {
    const built = `${printSchema(await getSchema())}\n`;
    expect(fs.readFileSync(COMMITTED, "utf8")).toBe(built);
  });

  it("keeps the names analysts, clients and tests rely on", async () => {
    const schema = await getSchema();
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    for (const name of ["me", "departments", "categories", "searchConstituents", "constituent", "contact"]) {
      expect(query[name]).toBeDefined();
    }
    for (const name of ["createConstituent", "updateConstituent", "mergeConstituents", "recordContact"]) {
      expect(mutation[name]).toBeDefined();
    }
    expect(String(query.searchConstituents.type)).toBe("[ConstituentMatch!]!");
    expect(query.searchConstituents.args.map((a) => `${a.name}: ${a.type}`).sort()).toEqual([
      "limit: Int",
      "query: String!",
    ]);
    expect(String(mutation.recordContact.type)).toBe("Contact!");
    expect(mutation.recordContact.args.map((a) => `${a.name}: ${a.type}`)).toEqual([
      "input: RecordContactInput!",
    ]);
  });
});
