import type { Selectable } from "kysely";
import type { RepoContext } from "./repo-context";
import type { AuditLogTable } from "./schema";
import { clampLimit } from "./store-options";
import { StoreError } from "./store-error";
import type { AuditEntry } from "./types";

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

/**
 * The append-only audit log: who asked for what, what the policy said, who
 * approved, how it ended. The database refuses UPDATE and DELETE (migration 004).
 */
export class AuditRepo {
  constructor(private readonly ctx: RepoContext) {}

  /**
   * @example await store.audit.append({ actor: deviceId, action: "task.requested", subject: task.id, detail: { command
   * } })
   */
  async append(e: {
    actor: string;
    action: string;
    subject?: string;
    detail?: Record<string, unknown>;
  }): Promise<AuditEntry> {
    const entry: AuditEntry = {
      id: this.ctx.newId(),
      at: this.ctx.now(),
      actor: e.actor,
      action: e.action,
      subject: e.subject ?? null,
      detail: e.detail ?? null,
    };
    await this.ctx.db
      .insertInto("audit_log")
      .values({ ...entry, detail: entry.detail === null ? null : JSON.stringify(entry.detail) })
      .execute();
    return entry;
  }

  /** Newest first; `before` is an entry id (exclusive cursor). */
  async list(opts: { limit: number; before?: string }): Promise<AuditEntry[]> {
    let q = this.ctx.db.selectFrom("audit_log").selectAll();
    if (opts.before !== undefined) {
      const cursor = await this.ctx.db
        .selectFrom("audit_log")
        .select("seq")
        .where("id", "=", opts.before)
        .executeTakeFirst();
      if (!cursor) throw new StoreError("not_found", "unknown audit entry id used as a cursor");
      q = q.where("seq", "<", cursor.seq);
    }
    const rows = await q.orderBy("seq", "desc").limit(clampLimit(opts.limit, this.ctx.options.maxPageSize)).execute();
    return rows.map(toEntry);
  }
}
