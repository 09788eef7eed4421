import type { DataSource } from "typeorm";
import { writerOf } from "../db/data-source";
import { ViewLog } from "./audit.service";

const logs = new WeakMap<DataSource, ViewLog>();

/** The view log of a DataSource: one per process and database; an analyst pool logs to its primary. */
export function viewLog(reads: DataSource): ViewLog {
  const ds = writerOf(reads);
  let log = logs.get(ds);
  if (!log) {
    log = new ViewLog(async (rows) => {
      if (!ds.isInitialized) return;
      await ds.query(
        `INSERT INTO audit_event (at, actor_id, action, entity_type, entity_id)
         SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[])`,
        [
          rows.map((r) => r.at),
          rows.map((r) => r.actorId),
          rows.map(() => "constituent.viewed"),
          rows.map(() => "constituent"),
          rows.map((r) => r.constituentId),
        ],
      );
    });
    logs.set(ds, log);
  }
  return log;
}
