import { pino, type Logger } from "pino";
import type { Task } from "@neural-link/shared/app";
import type { RiskPolicy } from "@neural-link/shared/policy";
import { resolveExecutorSettings, type ExecutorSettings } from "../executor/settings";
import { ApprovalDecisions, type ApproveRequest } from "./approval-decisions";
import { ApprovalTimers } from "./approval-timers";
import type { TaskCore } from "./task-core";
import { TaskRequests } from "./task-requests";
import { APPROVAL_MODES, approvalDeadline, DESKTOP, type ApprovalMode } from "./approvals";
import { defaultCommandRunner } from "./command-runner";
import { TaskError } from "./errors";
import type {
  AuditRepo,
  CommandRunner,
  RememberedApproval,
  RememberedRepo,
  SandboxSpec,
  SandboxStatus,
  TaskRecord,
  TaskRepo,
  TerminalOpener,
} from "./ports";
import { recoverInterruptedTasks } from "./recover";
import type { JudgeDeps } from "./task-judge";
import { TaskRuns } from "./task-runs";
import type { RunRequest } from "./run-request";
import { defaultTaskServiceSettings, type TaskServiceSettings } from "./settings";
import { fullRightsEnv } from "./task-env";
import { toWireTask } from "./task-view";
import { WorkGate } from "./work-gate";

export type { ApproveRequest, RunRequest };

/** When no sandbox status is given: nothing may run without approval. */
const NO_SANDBOX: SandboxStatus = { kind: "none", available: false, reason: "no sandbox was set up for this hub" };

export interface TaskServiceDeps {
  tasks: TaskRepo;
  audit: AuditRepo;
  /** The requesting device's policy overrides (the desktop's own for "desktop"). */
  policyFor(device: string): RiskPolicy | undefined | Promise<RiskPolicy | undefined>;
  /** The OS sandbox detected at hub start (sandbox/ `detectSandbox()`); default: none, so every device command asks. */
  sandbox?: SandboxStatus;
  /** Paths a sandboxed command must not even see (the hub's data directory). */
  hidden?: readonly string[];
  /** Folders the desktop user granted this device write access to (workspace grants); default none. */
  workspaceFor?(device: string): Promise<string[]>;
  /** Approvals remembered "for today" (store.rememberedApprovals); without it, "today" counts as "once". */
  remembered?: RememberedRepo;
  /** Opens approved terminal tasks (terminals/terminal-service.ts); without it, terminal requests fail. */
  terminals?: TerminalOpener;
  /** Display names of devices, in one lookup ("desktop" included), for the wire's *_name fields. */
  namesOf?(ids: string[]): Promise<Map<string, string>>;
  /** The environment a full-rights run gets (covered by the approval digest). */
  taskEnv?(): Record<string, string>;
  /** Starts commands; default: tasks/task-process.ts. */
  runner?: CommandRunner;
  settings?: Partial<TaskServiceSettings>;
  executor?: Partial<ExecutorSettings>;
  log?: Logger;
  now?: () => number;
}

export interface TaskUpdatedEvent {
  task: TaskRecord;
  requestedBy: string;
}

/**
 * Runs commands for devices (docs/risk-policy.md): classifies them with the requester's
 * policy; runs a device's low-risk command at once only inside the OS sandbox; holds
 * everything else for approvals bound to a digest of command, cwd and environment, which
 * expire; never starts forbidden ones; re-runs a sandbox-stopped task with full rights
 * after its own approval (`escalate`); opens terminals only once approved. Output is
 * stored in batches, every step audited, and a `task.updated` event emitted on each change.
 *
 * @example const task = await service.run({ command: "git status", requestedBy: deviceId });
 */
export class TaskService {
  private readonly settings: TaskServiceSettings;
  private readonly executor: ExecutorSettings;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly runner: CommandRunner;
  private readonly listeners = new Set<(e: TaskUpdatedEvent) => void>();
  private readonly runs: TaskRuns;
  private readonly judgeDeps: JudgeDeps;
  /** Serialises votes, expiry and cancellation per task, so two cannot both decide it. */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Every request and running task, so shutdown can wait for their last store write. */
  private readonly gate = new WorkGate(() => new TaskError("stopped", "the hub is stopping; tasks are not accepted"));
  private readonly timers: ApprovalTimers;
  private readonly decisions: ApprovalDecisions;
  private readonly requests: TaskRequests;
  /** Size asked for by terminal requests still awaiting approval (a restart falls back to 80x24). */
  private readonly termSizes = new Map<string, { cols: number; rows: number }>();

  constructor(private readonly deps: TaskServiceDeps) {
    this.settings = { ...defaultTaskServiceSettings(), ...deps.settings };
    this.executor = resolveExecutorSettings(deps.executor);
    this.log = (deps.log ?? pino()).child({ mod: "hub/tasks" });
    this.now = deps.now ?? Date.now;
    this.runner = deps.runner ?? defaultCommandRunner(this.executor, this.log);
    this.timers = new ApprovalTimers(
      this.now,
      (id) =>
        void this.gate
          .run(() => this.serial(id, () => this.decisions.expireIfWaiting(id)))
          .catch((err: unknown) =>
            this.log.error({ task: id, err: String(err) }, "approval expiry failed; the task stays waiting"),
          ),
    );
    this.judgeDeps = {
      policyFor: deps.policyFor,
      env: deps.taskEnv ?? fullRightsEnv,
      home: this.settings.home,
      defaultCwd: this.executor.defaultCwd,
      log: this.log,
    };
    this.runs = new TaskRuns({
      tasks: deps.tasks,
      audit: deps.audit,
      runner: this.runner,
      ...(deps.terminals ? { terminals: deps.terminals } : {}),
      sandbox: () => this.sandbox,
      gate: this.gate,
      emit: (t) => this.emit(t),
      log: this.log,
      now: this.now,
      outputFlushMs: this.settings.outputFlushMs,
      outputFlushChars: this.settings.outputFlushChars,
    });
    // The parts share one view of the service (task-core.ts): the same stores, timers and settings.
    const core: TaskCore = {
      tasks: deps.tasks,
      audit: deps.audit,
      remembered: deps.remembered,
      judge: this.judgeDeps,
      timers: this.timers,
      termSizes: this.termSizes,
      settings: () => this.settings,
      now: this.now,
      log: this.log,
      emit: (t) => this.emit(t),
      start: (t, sandbox) => this.start(t, sandbox),
    };
    this.decisions = new ApprovalDecisions({ ...core, runs: this.runs });
    this.requests = new TaskRequests({
      ...core,
      workspaceFor: deps.workspaceFor,
      hidden: deps.hidden ?? [],
      sandbox: () => this.sandbox,
      executor: this.executor,
      get: (id) => this.get(id),
    });
    this.setApprovals(this.settings.approvals);
  }

  /** The sandbox in force, as `hub.info` reports it. */
  get sandbox(): SandboxStatus {
    return this.deps.sandbox ?? NO_SANDBOX;
  }

  /** Changes who approves high-risk tasks (the `approvals` setting); applies to votes from now on. */
  setApprovals(mode: ApprovalMode): void {
    if (!APPROVAL_MODES.includes(mode))
      throw new TaskError("bad_request", `approvals must be one of ${APPROVAL_MODES.join(", ")}`);
    this.settings.approvals = mode;
  }

  onUpdated(listener: (e: TaskUpdatedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The protocol's view of a task; `names` fills the *_name fields (see `wireAll`). */
  toWire(task: TaskRecord, names?: ReadonlyMap<string, string>): Task {
    return toWireTask(task, this.settings.approvals, names);
  }

  /** The protocol's view of tasks, device names looked up once for the whole list. */
  async wireAll(tasks: TaskRecord[]): Promise<Task[]> {
    const ids = new Set<string>();
    for (const t of tasks) {
      ids.add(t.requestedBy);
      if (t.endedBy !== null) ids.add(t.endedBy);
    }
    const names =
      this.deps.namesOf && ids.size > 0
        ? await this.deps.namesOf([...ids]).catch(() => new Map<string, string>())
        : new Map<string, string>();
    return tasks.map((t) => this.toWire(t, names));
  }

  async wire(task: TaskRecord): Promise<Task> {
    return (await this.wireAll([task]))[0]!;
  }

  run(req: RunRequest): Promise<TaskRecord> {
    return this.gate.run(() => this.requests.run(req));
  }

  approve(req: ApproveRequest): Promise<TaskRecord> {
    return this.gate.run(() => this.serial(req.task, () => this.decisions.decide(req)));
  }

  /**
   * Re-runs a final sandboxed task with full rights: a new high-risk task with the same
   * command and cwd, `escalatedFrom` set, awaiting approval under the mode in force.
   * Only the device that asked, or the desktop, may escalate.
   */
  escalate(req: { task: string; by: string }): Promise<TaskRecord> {
    return this.gate.run(() => this.requests.escalate(req));
  }

  /**
   * `tasks.cancel` (docs/protocol.md section 11): stops a running task, which is killed
   * (its whole process group) and ends "failed" with end_reason "cancelled"; or withdraws
   * one awaiting approval, which ends "rejected" with end_reason "cancelled". `ended_by`
   * is `by`. Only the device that asked, or the desktop. Resolves with the final record.
   */
  cancel(req: { task: string; by: string }): Promise<TaskRecord> {
    return this.gate.run(async () => {
      const waited = await this.serial(req.task, async () => {
        const task = await this.get(req.task);
        if (req.by !== DESKTOP && req.by !== task.requestedBy) throw new TaskError("not_found", `no task ${req.task}`);
        if (task.state === "awaiting_approval") {
          this.timers.disarm(task.id);
          this.termSizes.delete(task.id);
          const withdrawn = await this.deps.tasks.setState(task.id, "rejected", {
            endedAt: this.now(),
            endReason: "cancelled",
            endedBy: req.by,
          });
          await this.deps.audit.append({
            actor: req.by,
            action: "task.cancelled",
            subject: task.id,
            detail: { state: "awaiting_approval" },
          });
          this.emit(withdrawn);
          return withdrawn;
        }
        const settled =
          task.state === "running" ? this.runs.stop(task.id, { endReason: "cancelled", endedBy: req.by }) : undefined;
        if (!settled) throw new TaskError("conflict", `the task has already ended (${task.state})`);
        await this.deps.audit.append({
          actor: req.by,
          action: "task.cancelled",
          subject: task.id,
          detail: { state: "running" },
        });
        this.log.info({ task: task.id, by: req.by }, "task cancelled");
        return { settled };
      });
      // A running task: its end (after the kill grace) is recorded by execute(); wait for it outside the lock.
      return "settled" in waited ? await waited.settled : waited;
    });
  }

  /**
   * A device asks for an interactive terminal: full access, so it is a "terminal" task,
   * high risk, awaiting approval like a high-risk command; its pty (id `task.term`)
   * opens once approved. The desktop's own terminals do not come through here.
   */
  requestTerminal(req: { requestedBy: string; cols: number; rows: number; cwd?: string | null }): Promise<TaskRecord> {
    return this.gate.run(() => this.requests.requestTerminal(req));
  }

  /** The terminal task of terminal id `term`, if that terminal came from a request. */
  terminalTask(term: string): Promise<TaskRecord | undefined> {
    return this.deps.tasks.byTerm(term);
  }

  async get(id: string): Promise<TaskRecord> {
    const task = await this.deps.tasks.get(id);
    if (!task) throw new TaskError("not_found", `no task ${id}`);
    return task;
  }

  list(opts: { limit: number; before?: string }): Promise<TaskRecord[]> {
    return this.deps.tasks.list(opts);
  }

  /** Resolves with the final record once a task started by this process has ended. */
  async settled(id: string): Promise<TaskRecord> {
    return (await this.runs.settled(id)) ?? this.get(id);
  }

  /** Approvals remembered "for today" and still in force, for the desktop to show. */
  listRemembered(): Promise<RememberedApproval[]> {
    return this.deps.remembered?.list(this.now()) ?? Promise.resolve([]);
  }

  /** Forgets a remembered approval (or all of a device's); audited. @returns how many. */
  async forgetRemembered(req: { device: string; digest?: string; by: string }): Promise<number> {
    const n = (await this.deps.remembered?.forget(req.device, req.digest)) ?? 0;
    await this.deps.audit.append({
      actor: req.by,
      action: "approval.forgotten",
      subject: req.device,
      detail: { digest: req.digest ?? "all", count: n },
    });
    return n;
  }

  /** A revoked device can no longer answer: its waiting tasks are rejected and its remembered approvals forgotten. */
  deviceRevoked(device: string): Promise<number> {
    return this.gate.run(async () => {
      let rejected = 0;
      let before: string | undefined;
      for (;;) {
        const page = await this.deps.tasks.list({ limit: this.settings.recoveryPageSize, before });
        for (const t of page) {
          if (t.requestedBy !== device || t.state !== "awaiting_approval") continue;
          await this.serial(t.id, () =>
            this.decisions.endWaiting(t.id, "approval_unanswerable", "task.approval_unanswerable"),
          );
          rejected++;
        }
        if (page.length === 0) break;
        before = page[page.length - 1]!.id;
      }
      await this.deps.remembered?.forget(device);
      return rejected;
    });
  }

  /**
   * Call once at hub start, after the link is up: settles tasks a previous process left
   * (interrupted ones fail, expired approvals are rejected), emitting `task.updated` for
   * each, and arms the expiry of approvals still awaited.
   */
  recover(): Promise<number> {
    return this.gate.run(async () => {
      // Yesterday's "approve for today" rows are dead weight: drop them once per start.
      await this.deps.remembered?.sweep?.(this.now());
      return recoverInterruptedTasks({
        tasks: this.deps.tasks,
        audit: this.deps.audit,
        now: this.now,
        log: this.log,
        pageSize: this.settings.recoveryPageSize,
        approvalTtlMs: this.settings.approvalTtlMs,
        ownedHere: (id) => this.runs.has(id) || this.locks.has(id),
        settled: (t) => this.emit(t),
        waiting: (t) => this.timers.arm(t.id, approvalDeadline(t, this.settings.approvalTtlMs)),
      });
    });
  }

  /**
   * Ends every running task (they finish as "failed", end_reason "hub_stopped") and
   * resolves once every store write of this service has landed: requests already under
   * way finish (a task they would start is recorded as failed, never spawned), new ones
   * are refused with TaskError("stopped"). Tasks awaiting approval keep waiting. Call it
   * before closing the store.
   */
  async shutdown(): Promise<void> {
    const closed = this.gate.close();
    this.timers.stop();
    this.runs.stopAll({ endReason: "hub_stopped", endedBy: null });
    await closed;
  }

  /** Starts a command task that is "running" in the store (task-runs.ts). */
  private start(task: TaskRecord, sandbox: SandboxSpec | null): void {
    this.runs.start(task, sandbox);
  }

  /** Runs `fn` after every earlier decision on the same task. */
  private async serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.locks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(id) === next) this.locks.delete(id);
    }
  }

  private emit(task: TaskRecord): void {
    for (const l of this.listeners) {
      try {
        l({ task, requestedBy: task.requestedBy });
      } catch (err) {
        this.log.error({ err }, "task.updated listener threw");
      }
    }
  }
}
