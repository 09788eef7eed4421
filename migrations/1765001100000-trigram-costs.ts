import type { MigrationInterface, QueryRunner } from "typeorm";

// pg_trgm declares its similarity operators as cheap as an equality, so once the constituent table grew
// past 100k rows the planner preferred comparing every row (470 ms) to the trigram index (27 ms).
const OPERATOR_FUNCTIONS = [
  "similarity_op(text, text)",
  "word_similarity_op(text, text)",
  "word_similarity_commutator_op(text, text)",
];

function setCost(cost: number): string {
  // A database owner who is not the extension's owner cannot change it: the search still works, slower.
  return `DO $$
    BEGIN
      ${OPERATOR_FUNCTIONS.map((f) => `ALTER FUNCTION ${f} COST ${cost};`).join("\n      ")}
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'pg_trgm operator costs left unchanged: not the owner of the extension';
    END $$`;
}

export class TrigramCosts1765001100000 implements MigrationInterface {
  name = "TrigramCosts1765001100000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(setCost(100));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(setCost(1));
  }
}
