import type { Selectable } from "kysely";
import type { RepoContext } from "./repo-context";
import type { RememberedApprovalsTable } from "./schema";
import type { RememberedApproval } from "./types";

function toRecord(r: Selectable<RememberedApprovalsTable>): RememberedApproval {
  return {
    device: r.device,
    digest: r.digest,
    command: r.command,
    cwd: r.cwd,
    taskId: r.task_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

/**
 * Approvals a user chose to remember: one device may run one exact digest
 * (command, cwd, environment) without asking again until `expiresAt`
 * (docs/risk-policy.md, "Approve for today").
 */
export class RememberedApprovalsRepo {
  constructor(private readonly ctx: RepoContext) {}

  /** Stores or renews the approval of `digest` for `device`. */
  async remember(a: RememberedApproval): Promise<void> {
    const row = {
      device: a.device,
      digest: a.digest,
      command: a.command,
      cwd: a.cwd,
      task_id: a.taskId,
      created_at: a.createdAt,
      expires_at: a.expiresAt,
    };
    await this.ctx.db
      .insertInto("remembered_approvals")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["device", "digest"]).doUpdateSet({
          command: a.command,
          cwd: a.cwd,
          task_id: a.taskId,
          created_at: a.createdAt,
          expires_at: a.expiresAt,
        }),
      )
      .execute();
  }

  /** The approval still in force at `now` for this device and digest, if any. */
  async find(device: string, digest: string, now: number): Promise<RememberedApproval | undefined> {
    const row = await this.ctx.db
      .selectFrom("remembered_approvals")
      .selectAll()
      .where("device", "=", device)
      .where("digest", "=", digest)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Every approval in force at `now`, the most recent first. */
  async list(now: number): Promise<RememberedApproval[]> {
    const rows = await this.ctx.db
      .selectFrom("remembered_approvals")
      .selectAll()
      .where("expires_at", ">", now)
      .orderBy("created_at", "desc")
      .execute();
    return rows.map(toRecord);
  }

  /** Forgets one approval, or every approval of a device when `digest` is omitted. @returns how many were forgotten. */
  async forget(device: string, digest?: string): Promise<number> {
    let q = this.ctx.db.deleteFrom("remembered_approvals").where("device", "=", device);
    if (digest !== undefined) q = q.where("digest", "=", digest);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Drops approvals past their time. @returns how many. */
  async sweep(now: number): Promise<number> {
    const res = await this.ctx.db.deleteFrom("remembered_approvals").where("expires_at", "<=", now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
