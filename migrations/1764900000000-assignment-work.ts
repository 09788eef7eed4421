import type { MigrationInterface, QueryRunner } from "typeorm";

/** Department queues (keyset indexes) and the acknowledgement of an earlier final answer. */
export class AssignmentWork1764900000000 implements MigrationInterface {
  name = "AssignmentWork1764900000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE response ADD COLUMN acknowledged_response_id uuid REFERENCES response(id) ON DELETE SET NULL`,
    );
    // Queues sort by (due_at, id) or (assigned_at, id), per department or city-wide for the reviewers.
    await q.query(
      `CREATE INDEX assignment_department_assigned_idx ON assignment (department_id, assigned_at, id)`,
    );
    await q.query(`CREATE INDEX assignment_due_at_idx ON assignment (due_at, id)`);
    await q.query(`CREATE INDEX assignment_assigned_at_idx ON assignment (assigned_at, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX assignment_assigned_at_idx`);
    await q.query(`DROP INDEX assignment_due_at_idx`);
    await q.query(`DROP INDEX assignment_department_assigned_idx`);
    await q.query(`ALTER TABLE response DROP COLUMN acknowledged_response_id`);
  }
}
