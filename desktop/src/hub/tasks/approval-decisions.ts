import {
  ApprovalError,
  approvalExpired,
  checkVote,
  commandDigest,
  endOfLocalDay,
  outcome,
  rememberAgreed,
  type ApprovalMode,
} from "./approvals";
import { TaskError } from "./errors";
import type { TaskRecord } from "./ports";
import type { TaskCore } from "./task-core";
import { digestNow } from "./task-judge";
import type { TaskRuns } from "./task-runs";

export interface ApproveRequest {
  task: string;
  approve: boolean;
  /** A device id, or "desktop". */
  by: string;
  /** sha256 (hex) of the command text the approver saw; it must match the task's. */
  digest?: string;
  /** "today": remember this exact digest for the requesting device until local midnight. */
  remember?: "once" | "today";
}

/** What the decisions need of the task service: its shared parts, and the runs that start an approved task. */
export interface DecisionContext extends TaskCore {
  runs: TaskRuns;
}

/**
 * How a waiting task is decided (docs/risk-policy.md, "Approvals"): a vote is checked against the
 * approval mode and the command digest the approver saw, recorded and audited; once every vote the
 * mode needs is in, the digest is computed again (a changed folder or environment refuses the task),
 * an approval "for today" is remembered, and the task starts with full rights; a rejection, an expiry
 * or an approver who is gone ends it. The task service runs each call after every earlier decision on
 * the same task (its per-task lock).
 */
export class ApprovalDecisions {
  constructor(private readonly c: DecisionContext) {}

  private async task(id: string): Promise<TaskRecord> {
    const task = await this.c.tasks.get(id);
    if (!task) throw new TaskError("not_found", `no task ${id}`);
    return task;
  }

  /** A vote on a waiting task (`tasks.approve`): refused, recorded, and the task rejected, started or left waiting. */
  async decide(req: ApproveRequest): Promise<TaskRecord> {
    const task = await this.task(req.task);
    const mode = this.c.settings().approvals;
    try {
      if (task.state === "awaiting_approval" && approvalExpired(task, this.c.now(), this.c.settings().approvalTtlMs)) {
        await this.endWaiting(task.id, "approval_expired", "task.approval_expired");
        throw new ApprovalError(
          "expired",
          "this approval request expired, so the task was not run; send the command again",
        );
      }
      if (this.c.settings().requireDigest && req.approve && req.digest === undefined)
        throw new ApprovalError("digest_required", "this hub requires approvals to carry the command digest");
      checkVote(mode, task, { by: req.by, approve: req.approve, digest: req.digest });
    } catch (err) {
      if (err instanceof ApprovalError)
        await this.c.audit.append({
          actor: req.by,
          action: "task.approval_refused",
          subject: task.id,
          detail: { code: err.code, approve: req.approve },
        });
      throw err;
    }
    const remember = req.approve && req.remember === "today" && task.kind === "command";
    await this.c.tasks.addApproval(task.id, {
      by: req.by,
      approve: req.approve,
      at: this.c.now(),
      ...(remember ? { remember } : {}),
    });
    await this.c.audit.append({
      actor: req.by,
      action: req.approve ? "task.approved" : "task.rejected",
      subject: task.id,
      detail: {
        digest: task.digest ?? commandDigest(task.command),
        mode,
        kind: task.kind,
        remember: req.remember ?? "once",
      },
    });
    const fresh = await this.task(task.id);
    const result = outcome(mode, fresh);
    switch (result) {
      case "rejected": {
        this.c.timers.disarm(task.id);
        this.c.termSizes.delete(task.id);
        const rejected = await this.c.tasks.setState(task.id, "rejected", {
          endedAt: this.c.now(),
          endReason: "rejected",
          endedBy: req.by,
        });
        this.c.emit(rejected);
        return rejected;
      }
      case "approved":
        return this.startApproved(fresh, mode);
      case "pending":
        this.c.emit(fresh);
        return fresh;
      default: {
        const never: never = result;
        throw new Error(`unexpected approval outcome ${String(never)}`);
      }
    }
  }

  /**
   * Every approval is in: checks the digest still holds, remembers it if asked, and starts the task with full rights.
   */
  private async startApproved(task: TaskRecord, mode: ApprovalMode): Promise<TaskRecord> {
    this.c.timers.disarm(task.id);
    const digest = await digestNow(this.c.judge, task.command, task.cwd);
    if (task.digest !== null && digest !== task.digest) {
      this.c.termSizes.delete(task.id);
      await this.c.tasks.appendOutput(
        task.id,
        "[neural-link: the working directory or environment changed after this was asked; it was not started]\n",
      );
      const refused = await this.c.tasks.setState(task.id, "rejected", {
        endedAt: this.c.now(),
        endReason: "context_changed",
        endedBy: "hub",
      });
      await this.c.audit.append({
        actor: "hub",
        action: "task.context_changed",
        subject: task.id,
        detail: { approved: task.digest, now: digest },
      });
      this.c.emit(refused);
      return refused;
    }
    if (task.kind === "command" && this.c.remembered && rememberAgreed(mode, task)) {
      const until = endOfLocalDay(this.c.now());
      await this.c.remembered.remember({
        device: task.requestedBy,
        digest,
        command: task.command,
        cwd: task.cwd,
        taskId: task.id,
        createdAt: this.c.now(),
        expiresAt: until,
      });
      await this.c.audit.append({
        actor: "hub",
        action: "approval.remembered",
        subject: task.id,
        detail: { device: task.requestedBy, digest, until },
      });
    }
    if (task.kind === "terminal") {
      const size = this.c.termSizes.get(task.id) ?? { cols: 80, rows: 24 };
      this.c.termSizes.delete(task.id);
      return this.c.runs.startTerminal(task, size);
    }
    const running = await this.c.tasks.setState(task.id, "running", { startedAt: this.c.now(), sandboxMode: null });
    this.c.emit(running);
    this.c.start(running, null);
    return running;
  }

  /** The approval timer fired: a task still waiting is rejected. */
  async expireIfWaiting(id: string): Promise<void> {
    const task = await this.c.tasks.get(id);
    if (task?.state === "awaiting_approval") await this.endWaiting(id, "approval_expired", "task.approval_expired");
  }

  /** Rejects a waiting task nobody may approve any more (expired, or its approver is gone). */
  async endWaiting(id: string, endReason: string, action: string): Promise<TaskRecord> {
    this.c.timers.disarm(id);
    this.c.termSizes.delete(id);
    const rejected = await this.c.tasks.setState(id, "rejected", { endedAt: this.c.now(), endReason, endedBy: "hub" });
    await this.c.audit.append({ actor: "hub", action, subject: id, detail: { endReason } });
    this.c.log.info({ task: id, endReason }, "waiting task rejected");
    this.c.emit(rejected);
    return rejected;
  }
}
