import type { EntityManager } from "typeorm";
import { AuditEvent } from "../../../entities";
import { logger } from "../logging/logger";
import type { Viewer } from "../auth/viewer";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** Writes inside the caller's transaction, so the event exists exactly when the change does. */
export async function audit(em: EntityManager, viewer: Viewer | null, entry: AuditEntry): Promise<void> {
  await em.insert(AuditEvent, {
    actorId: viewer?.id ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: (entry.before ?? null) as never,
    after: (entry.after ?? null) as never,
    reason: entry.reason ?? null,
  });
}

interface PendingView {
  actorId: string;
  constituentId: string;
  at: Date;
}

/**
 * Who viewed a constituent's record. Views are buffered and written in one statement every second,
 * so reading the constituent screen costs no write on its own path; at most a second of view records
 * is lost if the process dies.
 */
export class ViewLog {
  private pending: PendingView[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (rows: PendingView[]) => Promise<void>,
    private readonly intervalMs = 1000,
  ) {}

  record(viewer: Viewer, constituentId: string): void {
    this.pending.push({ actorId: viewer.id, constituentId, at: new Date() });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending.splice(0);
    if (!rows.length) return;
    try {
      await this.write(rows);
    } catch (err) {
      logger.error({ err, count: rows.length }, "could not write constituent view audit events");
    }
  }
}
