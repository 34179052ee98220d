import { randomUUID } from "node:crypto";
import type { ExecutorSettings } from "../executor/settings";
import { admit, escalationReasons, TERMINAL_REASON, type Admission } from "./admission";
import { DESKTOP } from "./approvals";
import { TaskError } from "./errors";
import type { RememberedApproval, SandboxStatus, TaskRecord } from "./ports";
import type { TaskCore } from "./task-core";
import { validateRunRequest, type RunRequest } from "./run-request";
import { digestNow, judge } from "./task-judge";

/** A task about to be created: what was asked, by whom, and how it was judged. */
interface NewTask {
  command: string;
  cwd: string | null;
  timeoutMs: number;
  requestedBy: string;
  digest: string;
  risk: TaskRecord["risk"];
  reasons: string[];
}

/** What the requests need of the task service: its shared parts, and what judging and admitting a command read. */
export interface RequestContext extends TaskCore {
  /** Folders the desktop user granted a device write access to (workspace grants). */
  workspaceFor: ((device: string) => Promise<string[]>) | undefined;
  /** Paths a sandboxed command must not even see (the hub's data directory). */
  hidden: readonly string[];
  sandbox(): SandboxStatus;
  executor: ExecutorSettings;
  get(id: string): Promise<TaskRecord>;
}

/**
 * How a task comes to be (docs/risk-policy.md): a command is judged with the requester's policy and
 * admitted (run at once in the sandbox, held for approval, run by an approval remembered for today,
 * or refused); a sandbox-stopped task is asked again with full rights (`escalate`); a device's
 * terminal is asked for like a high-risk command. Every request is audited; a held one's approval
 * expires (ApprovalTimers). The task service runs these inside its work gate.
 */
export class TaskRequests {
  constructor(private readonly c: RequestContext) {}

  /**
   * Re-runs a final sandboxed task with full rights: a new high-risk task with the same
   * command and cwd, `escalatedFrom` set, awaiting approval under the mode in force.
   * Only the device that asked, or the desktop, may escalate.
   */
  async escalate(req: { task: string; by: string }): Promise<TaskRecord> {
    const original = await this.c.get(req.task);
    if (req.by !== DESKTOP && req.by !== original.requestedBy) throw new TaskError("not_found", `no task ${req.task}`);
    if (original.kind !== "command" || original.sandboxMode === null)
      throw new TaskError("conflict", "only a task that ran in the sandbox can be re-run without it");
    if (original.state === "running" || original.state === "awaiting_approval")
      throw new TaskError("conflict", `the task is ${original.state}; it can be re-run once it has ended`);
    const digest = await digestNow(this.c.judge, original.command, original.cwd);
    const reasons = escalationReasons(original.sandboxBlocked, original.reasons);
    const task = await this.hold({
      command: original.command,
      cwd: original.cwd,
      timeoutMs: original.timeoutMs,
      requestedBy: original.requestedBy,
      digest,
      escalatedFrom: original.id,
      risk: "high",
      reasons,
    });
    await this.c.audit.append({
      actor: req.by,
      action: "task.escalated",
      subject: task.id,
      detail: { from: original.id, blocked: original.sandboxBlocked, digest },
    });
    this.c.log.info({ task: task.id, from: original.id, by: req.by }, "sandboxed task escalated");
    this.c.emit(task);
    return task;
  }

  /**
   * A device asks for an interactive terminal: full access, so it is a "terminal" task,
   * high risk, awaiting approval like a high-risk command; its pty (id `task.term`)
   * opens once approved. The desktop's own terminals do not come through here.
   */
  async requestTerminal(req: {
    requestedBy: string;
    cols: number;
    rows: number;
    cwd?: string | null;
  }): Promise<TaskRecord> {
    const shell = [this.c.executor.terminalShell, ...this.c.executor.terminalShellArgs].join(" ");
    const { cwd, timeoutMs } = validateRunRequest(
      { command: shell, cwd: req.cwd ?? null, requestedBy: req.requestedBy },
      this.c.settings(),
      this.c.executor,
    );
    const digest = await digestNow(this.c.judge, shell, cwd);
    const task = await this.hold({
      command: shell,
      cwd,
      timeoutMs,
      requestedBy: req.requestedBy,
      digest,
      risk: "high",
      reasons: [TERMINAL_REASON],
      kind: "terminal",
      term: randomUUID(),
    });
    this.c.termSizes.set(task.id, { cols: req.cols, rows: req.rows });
    await this.c.audit.append({
      actor: req.requestedBy,
      action: "terminal.requested",
      subject: task.id,
      detail: { term: task.term, cwd, digest },
    });
    this.c.emit(task);
    return task;
  }

  /** A command from a device or the desktop: judged, then held for approval, run (sandboxed or remembered) or refused. */
  async run(req: RunRequest): Promise<TaskRecord> {
    const { command, cwd, timeoutMs } = validateRunRequest(req, this.c.settings(), this.c.executor);
    const verdict = await judge(this.c.judge, command, cwd, req.requestedBy);
    const grants =
      verdict.risk === "low" && req.requestedBy !== DESKTOP && this.c.workspaceFor
        ? await this.c.workspaceFor(req.requestedBy)
        : [];
    const admission = admit(verdict, req.requestedBy, this.c.sandbox(), grants, this.c.hidden ?? []);
    const digest = await digestNow(this.c.judge, command, cwd);
    const base = {
      command,
      cwd,
      timeoutMs,
      requestedBy: req.requestedBy,
      digest,
      risk: admission.risk,
      reasons: admission.reasons,
    };
    if (admission.state === "awaiting_approval") {
      const remembered = await this.c.remembered?.find(req.requestedBy, digest, this.c.now());
      if (remembered) return this.runRemembered(base, remembered);
      const task = await this.hold(base);
      await this.auditRequest(task, admission);
      this.c.emit(task);
      return task;
    }
    const final = admission.state === "rejected";
    const task = await this.c.tasks.create({
      ...base,
      state: admission.state,
      ...(final
        ? { endReason: "forbidden", endedAt: this.c.now() }
        : { startedAt: this.c.now(), sandboxMode: admission.sandbox?.mode ?? null }),
    });
    await this.auditRequest(task, admission);
    this.c.emit(task);
    if (!final) this.c.start(task, admission.sandbox);
    return task;
  }

  private async runRemembered(base: NewTask, remembered: RememberedApproval): Promise<TaskRecord> {
    const task = await this.c.tasks.create({ ...base, state: "running", startedAt: this.c.now(), sandboxMode: null });
    await this.c.audit.append({
      actor: base.requestedBy,
      action: "task.requested",
      subject: task.id,
      detail: { risk: base.risk, reasons: base.reasons, digest: base.digest, state: "running" },
    });
    await this.c.audit.append({
      actor: "hub",
      action: "task.approved_remembered",
      subject: task.id,
      detail: {
        digest: base.digest,
        approvedIn: remembered.taskId,
        until: remembered.expiresAt,
        note: "approved by a remembered approval",
      },
    });
    this.c.log.info({ task: task.id, by: base.requestedBy }, "task approved by a remembered approval");
    this.c.emit(task);
    this.c.start(task, null);
    return task;
  }

  /** Creates a task awaiting approval and arms its expiry. */
  private async hold(t: NewTask & { escalatedFrom?: string; kind?: "terminal"; term?: string }): Promise<TaskRecord> {
    const expiresAt = this.c.now() + this.c.settings().approvalTtlMs;
    const task = await this.c.tasks.create({ ...t, state: "awaiting_approval", approvalExpiresAt: expiresAt });
    this.c.timers.arm(task.id, expiresAt);
    return task;
  }

  private async auditRequest(task: TaskRecord, a: Admission): Promise<void> {
    await this.c.audit.append({
      actor: task.requestedBy,
      action: "task.requested",
      subject: task.id,
      detail: {
        risk: a.risk,
        reasons: a.reasons,
        digest: task.digest,
        state: task.state,
        sandbox: a.sandbox?.mode ?? null,
      },
    });
    this.c.log.info(
      { task: task.id, by: task.requestedBy, risk: a.risk, state: task.state, sandbox: a.sandbox?.mode ?? null },
      "task requested",
    );
  }
}
