import { sql, type Selectable, type Transaction } from "kysely";
import type { RepoContext } from "./repo-context";
import type { Database, TasksTable } from "./schema";
import { clampLimit } from "./store-options";
import { StoreError } from "./store-error";
import type { NewTask, Risk, TaskApproval, TaskKind, TaskRecord, TaskRepo, TaskState, TaskStatePatch } from "./types";

type TaskRow = Selectable<TasksTable>;

function toTask(row: TaskRow, approvals: TaskApproval[]): TaskRecord {
  return {
    id: row.id,
    command: row.command,
    cwd: row.cwd,
    // The CHECK constraints of migration 003 guarantee these two casts.
    risk: row.risk as Risk,
    reasons: JSON.parse(row.reasons) as string[],
    state: row.state as TaskState,
    requestedBy: row.requested_by,
    timeoutMs: row.timeout_ms,
    exitCode: row.exit_code,
    output: row.output,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    createdAt: row.created_at,
    approvals,
    // The CHECK constraint of migration 006 guarantees this cast.
    kind: row.kind as TaskKind,
    term: row.term,
    endReason: row.end_reason,
    endedBy: row.ended_by,
    sandboxMode: row.sandbox_mode,
    sandboxBlocked: row.sandbox_blocked,
    escalatedFrom: row.escalated_from,
    approvalExpiresAt: row.approval_expires_at,
    digest: row.digest,
  };
}

/** Tasks with their output tail, approvals and state history. */
export class TasksRepo implements TaskRepo {
  constructor(private readonly ctx: RepoContext) {}

  async create(t: NewTask): Promise<TaskRecord> {
    const id = this.ctx.newId();
    const at = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("tasks")
        .values({
          id,
          command: t.command,
          cwd: t.cwd,
          risk: t.risk,
          reasons: JSON.stringify(t.reasons),
          state: t.state,
          requested_by: t.requestedBy,
          timeout_ms: t.timeoutMs,
          exit_code: null,
          started_at: t.startedAt ?? null,
          ended_at: t.endedAt ?? null,
          created_at: at,
          kind: t.kind ?? "command",
          term: t.term ?? null,
          end_reason: t.endReason ?? null,
          sandbox_mode: t.sandboxMode ?? null,
          escalated_from: t.escalatedFrom ?? null,
          approval_expires_at: t.approvalExpiresAt ?? null,
          digest: t.digest ?? null,
        })
        .execute();
      await trx.insertInto("task_states").values({ task_id: id, state: t.state, at }).execute();
    });
    return this.mustGet(id);
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const row = await this.ctx.db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return undefined;
    return toTask(row, (await this.approvalsOf([id])).get(id) ?? []);
  }

  async list(opts: { limit: number; before?: string }): Promise<TaskRecord[]> {
    let q = this.ctx.db.selectFrom("tasks").selectAll();
    if (opts.before !== undefined) {
      const cursor = await this.ctx.db
        .selectFrom("tasks")
        .select("seq")
        .where("id", "=", opts.before)
        .executeTakeFirst();
      if (!cursor) throw new StoreError("not_found", "unknown task id used as a cursor");
      q = q.where("seq", "<", cursor.seq);
    }
    const rows = await q.orderBy("seq", "desc").limit(clampLimit(opts.limit, this.ctx.options.maxPageSize)).execute();
    const approvals = await this.approvalsOf(rows.map((r) => r.id));
    return rows.map((r) => toTask(r, approvals.get(r.id) ?? []));
  }

  async setState(id: string, state: TaskState, patch: TaskStatePatch = {}): Promise<TaskRecord> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("tasks")
        .set({
          state,
          ...(patch.exitCode !== undefined && { exit_code: patch.exitCode }),
          ...(patch.startedAt !== undefined && { started_at: patch.startedAt }),
          ...(patch.endedAt !== undefined && { ended_at: patch.endedAt }),
          ...(patch.endReason !== undefined && { end_reason: patch.endReason }),
          ...(patch.endedBy !== undefined && { ended_by: patch.endedBy }),
          ...(patch.sandboxMode !== undefined && { sandbox_mode: patch.sandboxMode }),
          ...(patch.sandboxBlocked !== undefined && { sandbox_blocked: patch.sandboxBlocked }),
        })
        .where("id", "=", id)
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw notFound();
      await trx.insertInto("task_states").values({ task_id: id, state, at: this.ctx.now() }).execute();
    });
    return this.mustGet(id);
  }

  /**
   * Appends to the output and cuts it to the last `taskOutputCap` code units in the
   * same statement, so the row never grows past the cap. Callers should batch
   * chunks (each call rewrites the stored tail).
   */
  async appendOutput(id: string, chunk: string): Promise<void> {
    if (chunk.length === 0) return;
    const cap = this.ctx.options.taskOutputCap;
    const res = await this.ctx.db
      .updateTable("tasks")
      .set({ output: sql<string>`substr(output || ${chunk}, -${cap})` })
      .where("id", "=", id)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw notFound();
  }

  async addApproval(id: string, a: TaskApproval): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.mustExist(trx, id);
      await trx
        .insertInto("task_approvals")
        .values({ task_id: id, by: a.by, approve: a.approve ? 1 : 0, at: a.at, remember: a.remember ? 1 : 0 })
        .execute();
    });
  }

  async history(id: string): Promise<{ state: TaskState; at: number }[]> {
    const rows = await this.ctx.db
      .selectFrom("task_states")
      .select(["state", "at"])
      .where("task_id", "=", id)
      .orderBy("seq")
      .execute();
    if (rows.length === 0) throw notFound(); // every task has its creation row
    return rows.map((r) => ({ state: r.state as TaskState, at: r.at }));
  }

  async byTerm(term: string): Promise<TaskRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom("tasks")
      .selectAll()
      .where("term", "=", term)
      .orderBy("seq", "desc")
      .executeTakeFirst();
    if (!row) return undefined;
    return toTask(row, (await this.approvalsOf([row.id])).get(row.id) ?? []);
  }

  private async mustGet(id: string): Promise<TaskRecord> {
    const task = await this.get(id);
    if (!task) throw notFound();
    return task;
  }

  private async mustExist(trx: Transaction<Database>, id: string): Promise<void> {
    const row = await trx.selectFrom("tasks").select("seq").where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound();
  }

  private async approvalsOf(ids: string[]): Promise<Map<string, TaskApproval[]>> {
    const out = new Map<string, TaskApproval[]>();
    if (ids.length === 0) return out;
    const rows = await this.ctx.db
      .selectFrom("task_approvals")
      .select(["task_id", "by", "approve", "at", "remember"])
      .where("task_id", "in", ids)
      .orderBy("seq")
      .execute();
    for (const r of rows) {
      const list = out.get(r.task_id) ?? [];
      list.push({ by: r.by, approve: r.approve === 1, at: r.at, ...(r.remember === 1 ? { remember: true } : {}) });
      out.set(r.task_id, list);
    }
    return out;
  }
}

function notFound(): StoreError {
  return new StoreError("not_found", "no such task");
}
