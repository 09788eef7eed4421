import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The queue's partial keyset indexes also carry what its filters and headline counts read (status,
 * assignee, contact): the counts and the filtered pages become index-only scans of the department's active
 * assignments, instead of a visit to the table for each of them. A category filter reads the category's
 * contact ids from an index alone and hashes them against those rows.
 */
export class QueueSpeed1765001000000 implements MigrationInterface {
  name = "QueueSpeed1765001000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX assignment_active_queue_due_idx ON assignment (department_id, due_at, id)
        INCLUDE (status, assignee_id, contact_id) WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(
      `CREATE INDEX assignment_active_queue_assigned_idx ON assignment (department_id, assigned_at, id)
        INCLUDE (status, assignee_id, contact_id) WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(`DROP INDEX assignment_active_department_due_idx`);
    await q.query(`DROP INDEX assignment_active_department_assigned_idx`);
    await q.query(`CREATE INDEX contact_category_contact_idx ON contact (category_id, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contact_category_contact_idx`);
    await q.query(
      `CREATE INDEX assignment_active_department_due_idx ON assignment (department_id, due_at, id)
        WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(
      `CREATE INDEX assignment_active_department_assigned_idx ON assignment (department_id, assigned_at, id)
        WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(`DROP INDEX assignment_active_queue_assigned_idx`);
    await q.query(`DROP INDEX assignment_active_queue_due_idx`);
  }
}
