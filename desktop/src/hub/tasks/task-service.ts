import { pino, type Logger } from "pino";
import { ExecutorError } from "../executor/errors";
import { classify, CompiledPolicy, type Classification, type RiskPolicy } from "../executor/policy";
import { runTask, type TaskRun } from "../executor/run-task";
import { resolveExecutorSettings, type ExecutorSettings } from "../executor/settings";
import { APPROVAL_MODES, ApprovalError, checkVote, commandDigest, outcome, type ApprovalMode } from "./approvals";
import { TaskError } from "./errors";
import { validateRunRequest, type RunRequest } from "./run-request";
import { OutputFlusher } from "./output-flusher";
import type { AuditRepo, TaskRecord, TaskRepo, TaskState } from "./ports";
import { recoverInterruptedTasks } from "./recover";
import { defaultTaskServiceSettings, type TaskServiceSettings } from "./settings";
import { toWireTask } from "./task-view";
import { WorkGate } from "./work-gate";
import type { Task } from "@neural-link/shared/app";

export type { RunRequest };

export interface TaskServiceDeps {
  tasks: TaskRepo;
  audit: AuditRepo;
  /** The requesting device's policy overrides (the desktop's own for "desktop"). */
  policyFor(device: string): RiskPolicy | undefined | Promise<RiskPolicy | undefined>;
  settings?: Partial<TaskServiceSettings>;
  executor?: Partial<ExecutorSettings>;
  log?: Logger;
  now?: () => number;
}

export interface ApproveRequest {
  task: string;
  approve: boolean;
  /** A device id, or "desktop". */
  by: string;
  /** sha256 (hex) of the command text the approver saw. */
  digest?: string;
}

interface ActiveTask {
  run: TaskRun | null;
  /** Set by shutdown before the process may even have started. */
  cancelled: boolean;
  settled: Promise<TaskRecord>;
}

export interface TaskUpdatedEvent {
  task: TaskRecord;
  requestedBy: string;
}

/**
 * Runs commands for devices: classifies them with the requester's policy, records them,
 * holds high-risk ones for approval, never starts forbidden ones, runs the rest in a pty,
 * stores their output in batches and their final state, and writes an audit trail.
 * Emits a `task.updated` event on every change.
 *
 * @example const task = await service.run({ command: "git status", requestedBy: deviceId });
 */
export class TaskService {
  private readonly settings: TaskServiceSettings;
  private readonly executor: ExecutorSettings;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly listeners = new Set<(e: TaskUpdatedEvent) => void>();
  private readonly active = new Map<string, ActiveTask>();
  /** Serialises approvals per task, so two votes cannot both start it. */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Every request and running task, so shutdown can wait for their last store write. */
  private readonly gate = new WorkGate(() => new TaskError("stopped", "the hub is stopping; tasks are not accepted"));

  constructor(private readonly deps: TaskServiceDeps) {
    this.settings = { ...defaultTaskServiceSettings(), ...deps.settings };
    this.executor = resolveExecutorSettings(deps.executor);
    this.log = (deps.log ?? pino()).child({ mod: "hub/tasks" });
    this.now = deps.now ?? Date.now;
    this.setApprovals(this.settings.approvals);
  }

  /** Changes who approves high-risk tasks (the `approvals` setting); applies to votes from now on. */
  setApprovals(mode: ApprovalMode): void {
    if (!APPROVAL_MODES.includes(mode)) throw new TaskError("bad_request", `approvals must be one of ${APPROVAL_MODES.join(", ")}`);
    this.settings.approvals = mode;
  }

  onUpdated(listener: (e: TaskUpdatedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The protocol's view of a task, with the approvals still awaited. */
  toWire(task: TaskRecord): Task {
    return toWireTask(task, this.settings.approvals);
  }

  run(req: RunRequest): Promise<TaskRecord> {
    return this.gate.run(() => this.request(req));
  }

  private async request(req: RunRequest): Promise<TaskRecord> {
    const { command, cwd, timeoutMs } = validateRunRequest(req, this.settings, this.executor);
    const verdict = await this.judge(command, cwd, req.requestedBy);
    const state: TaskState = verdict.risk === "forbidden" ? "rejected" : verdict.risk === "high" ? "awaiting_approval" : "running";
    // A task that runs at once starts now; one held for approval starts when approved.
    const startedAt = state === "running" ? { startedAt: this.now() } : {};
    const task = await this.deps.tasks.create({ command, cwd, risk: verdict.risk, reasons: verdict.reasons, state, requestedBy: req.requestedBy, timeoutMs, ...startedAt });
    await this.deps.audit.append({ actor: req.requestedBy, action: "task.requested", subject: task.id, detail: { risk: verdict.risk, reasons: verdict.reasons, digest: commandDigest(command), state } });
    this.log.info({ task: task.id, by: req.requestedBy, risk: verdict.risk, state }, "task requested");
    this.emit(task);
    if (state === "running") this.start(task);
    return task;
  }

  approve(req: ApproveRequest): Promise<TaskRecord> {
    return this.gate.run(() => this.vote(req));
  }

  private async vote(req: ApproveRequest): Promise<TaskRecord> {
    const previous = this.locks.get(req.task) ?? Promise.resolve();
    const next = previous.then(
      () => this.decide(req),
      () => this.decide(req),
    );
    this.locks.set(req.task, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(req.task) === next) this.locks.delete(req.task);
    }
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
    return (await this.active.get(id)?.settled) ?? this.get(id);
  }

  /** Call once at hub start: settles tasks a previous process left running. */
  recover(): Promise<number> {
    return this.gate.run(() =>
      recoverInterruptedTasks({ tasks: this.deps.tasks, audit: this.deps.audit, now: this.now, log: this.log, pageSize: this.settings.recoveryPageSize }),
    );
  }

  /**
   * Ends every running task (they finish as "failed") and resolves once every store
   * write of this service has landed: requests already under way finish (a task they
   * would start is recorded as failed, never spawned), new ones are refused with
   * TaskError("stopped"). Call it before closing the store.
   */
  async shutdown(): Promise<void> {
    const closed = this.gate.close();
    for (const a of this.active.values()) {
      a.cancelled = true;
      a.run?.cancel();
    }
    await closed;
  }

  private async judge(command: string, cwd: string | null, device: string): Promise<Classification> {
    let policy = CompiledPolicy.EMPTY;
    let broken = false;
    try {
      policy = CompiledPolicy.from(await this.deps.policyFor(device));
    } catch (err) {
      // A policy we cannot read may hold "forbid" rules; never treat that as permission.
      this.log.warn({ err, device }, "unreadable device policy; using the built-in table and asking for approval");
      broken = true;
    }
    const verdict = classify(command, { policy, home: this.settings.home, cwd: cwd ?? this.executor.defaultCwd });
    if (broken && verdict.risk === "low") return { risk: "high", reasons: ["this device's policy could not be read, so approval is required"] };
    return verdict;
  }

  private async decide(req: ApproveRequest): Promise<TaskRecord> {
    const task = await this.get(req.task);
    const mode = this.settings.approvals;
    try {
      if (this.settings.requireDigest && req.approve && req.digest === undefined) throw new ApprovalError("digest_required", "this hub requires approvals to carry the command digest");
      checkVote(mode, task, { by: req.by, approve: req.approve, digest: req.digest });
    } catch (err) {
      if (err instanceof ApprovalError) await this.deps.audit.append({ actor: req.by, action: "task.approval_refused", subject: task.id, detail: { code: err.code, approve: req.approve } });
      throw err;
    }
    await this.deps.tasks.addApproval(task.id, { by: req.by, approve: req.approve, at: this.now() });
    await this.deps.audit.append({ actor: req.by, action: req.approve ? "task.approved" : "task.rejected", subject: task.id, detail: { digest: commandDigest(task.command), mode } });
    const fresh = await this.get(task.id);
    const result = outcome(mode, fresh);
    switch (result) {
      case "rejected": {
        const rejected = await this.deps.tasks.setState(task.id, "rejected", { endedAt: this.now() });
        this.emit(rejected);
        return rejected;
      }
      case "approved": {
        const running = await this.deps.tasks.setState(task.id, "running", { startedAt: this.now() });
        this.emit(running);
        this.start(running);
        return running;
      }
      case "pending":
        this.emit(fresh);
        return fresh;
      default: {
        const never: never = result;
        throw new Error(`unexpected approval outcome ${String(never)}`);
      }
    }
  }

  /** Starts a task that is "running" in the store; its end is recorded asynchronously. */
  private start(task: TaskRecord): void {
    // Started by a request that was under way when shutdown began: never spawn it.
    const entry: ActiveTask = { run: null, cancelled: this.gate.closing, settled: Promise.resolve(task) };
    entry.settled = this.execute(task, entry).catch((err: unknown) => this.lastKnown(task, err));
    this.active.set(task.id, entry);
    this.gate.hold(entry.settled);
    void entry.settled.then(() => this.active.delete(task.id));
  }

  /** After a failed store write: the stored record if it can still be read, else the one at hand. Never rejects. */
  private async lastKnown(task: TaskRecord, err: unknown): Promise<TaskRecord> {
    this.log.error({ err, task: task.id }, "task bookkeeping failed");
    try {
      return (await this.deps.tasks.get(task.id)) ?? task;
    } catch {
      return task;
    }
  }

  private async execute(task: TaskRecord, entry: ActiveTask): Promise<TaskRecord> {
    const startedAt = task.startedAt ?? this.now();
    if (entry.cancelled) return this.failUnstarted(task, startedAt, "the hub stopped before this task could start");
    const flusher = new OutputFlusher(this.deps.tasks, task.id, this.settings.outputFlushMs, this.settings.outputFlushChars, this.log);
    let run: TaskRun;
    try {
      run = await runTask({ command: task.command, cwd: task.cwd, timeoutMs: task.timeoutMs, onOutput: (t) => flusher.push(t), settings: this.executor, log: this.log });
    } catch (err) {
      await flusher.close();
      return this.failUnstarted(task, startedAt, err instanceof ExecutorError ? err.message : "the command could not be started");
    }
    entry.run = run;
    if (entry.cancelled) run.cancel();
    const result = await run.done;
    await flusher.close();
    const final = await this.deps.tasks.setState(task.id, result.state, { exitCode: result.exitCode, startedAt, endedAt: this.now() });
    await this.deps.audit.append({ actor: "hub", action: "task.finished", subject: task.id, detail: { state: result.state, exitCode: result.exitCode } });
    this.log.info({ task: task.id, state: result.state, exitCode: result.exitCode }, "task finished");
    this.emit(final);
    return final;
  }

  private async failUnstarted(task: TaskRecord, startedAt: number, why: string): Promise<TaskRecord> {
    await this.deps.tasks.appendOutput(task.id, `[neural-link: ${why}]\n`);
    const failed = await this.deps.tasks.setState(task.id, "failed", { exitCode: null, startedAt, endedAt: this.now() });
    await this.deps.audit.append({ actor: "hub", action: "task.finished", subject: task.id, detail: { state: "failed", exitCode: null, error: why } });
    this.emit(failed);
    return failed;
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
