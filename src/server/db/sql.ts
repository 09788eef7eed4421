import type { DataSource, EntityManager } from "typeorm";

/** TypeORM answers an UPDATE or DELETE on PostgreSQL with [rows, count]; this returns the rows. */
export async function updateReturning<T>(
  db: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const [rows] = (await db.query(sql, params)) as [T[], number];
  return rows;
}
