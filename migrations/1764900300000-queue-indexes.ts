import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Department queues read only open and in-progress assignments, a small share of a department's rows:
 * partial keyset indexes give a page in index order, and statistics on (department, status) stop the
 * planner from assuming the two are independent (it then took a city-wide due-date scan for a page).
 */
export class QueueIndexes1764900300000 implements MigrationInterface {
  name = "QueueIndexes1764900300000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX assignment_active_department_due_idx ON assignment (department_id, due_at, id)
        WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(
      `CREATE INDEX assignment_active_department_assigned_idx ON assignment (department_id, assigned_at, id)
        WHERE status IN ('OPEN', 'IN_PROGRESS')`,
    );
    await q.query(
      `CREATE STATISTICS assignment_department_status_stats (mcv) ON department_id, status FROM assignment`,
    );
    await q.query(`ANALYZE assignment`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS assignment_department_status_stats`);
    await q.query(`DROP INDEX assignment_active_department_assigned_idx`);
    await q.query(`DROP INDEX assignment_active_department_due_idx`);
  }
}
