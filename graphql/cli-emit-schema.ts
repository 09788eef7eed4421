import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { getSchema } from "./schema";

// Writes graphql/schema.graphql, so that every API change shows in review.
void getSchema().then((schema) => {
  const file = path.join(__dirname, "schema.graphql");
  fs.writeFileSync(file, `${printSchema(schema)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
});
