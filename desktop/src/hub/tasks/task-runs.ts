import type { Logger } from "pino";
import { ExecutorError } from "../executor/errors";
import { OutputFlusher } from "./output-flusher";
import type {
  AuditRepo,
  CommandRunner,
  SandboxSpec,
  SandboxStatus,
  TaskRecord,
  TaskRepo,
  TaskState,
  TerminalOpener,
} from "./ports";
import type { WorkGate } from "./work-gate";

/** How a task ended from outside (hub stop, cancel) is recorded. */
export interface StopReason {
  endReason: string;
  endedBy: string | null;
}

interface ActiveTask {
  run: { cancel(): void } | null;
  /** Set when the task is ended from outside: how its end is recorded. */
  stop: StopReason | null;
  settled: Promise<TaskRecord>;
}

/** Read through a call, so the compiler does not assume it unchanged across an await. */
const stopOf = (entry: ActiveTask): ActiveTask["stop"] => entry.stop;

export interface TaskRunsDeps {
  tasks: TaskRepo;
  audit: AuditRepo;
  runner: CommandRunner;
  terminals?: TerminalOpener;
  sandbox(): SandboxStatus;
  gate: WorkGate;
  emit(task: TaskRecord): void;
  log: Logger;
  now(): number;
  outputFlushMs: number;
  outputFlushChars: number;
}

/**
 * The tasks this process runs: a command (in the sandbox or not) or an approved
 * terminal, each followed to its end, which is stored with its reason and emitted.
 * Used by the task service once a task is "running" in the store.
 */
export class TaskRuns {
  private readonly active = new Map<string, ActiveTask>();

  constructor(private readonly deps: TaskRunsDeps) {}

  has(id: string): boolean {
    return this.active.has(id);
  }

  /** The final record of a task started here, once it has ended; undefined for one not running here. */
  settled(id: string): Promise<TaskRecord> | undefined {
    return this.active.get(id)?.settled;
  }

  /** Ends a running task from outside; resolves with its final record, or undefined if it does not run here. */
  stop(id: string, why: StopReason): Promise<TaskRecord> | undefined {
    const entry = this.active.get(id);
    if (!entry) return undefined;
    entry.stop ??= why;
    entry.run?.cancel();
    return entry.settled;
  }

  stopAll(why: StopReason): void {
    for (const id of [...this.active.keys()]) void this.stop(id, why);
  }

  /** Starts a task that is "running" in the store; its end is recorded asynchronously. */
  /** Starts a command task that is "running" in the store; its end is recorded asynchronously. */
  start(task: TaskRecord, sandbox: SandboxSpec | null): void {
    this.track(task, (entry) => this.execute(task, entry, sandbox));
  }

  /**
   * Opens the pty of an approved terminal task, and only then marks it "running" (and
   * emits it): a phone that hears "running" can attach at once. Resolves with the
   * running record, or the failed one if it could not open; its end is recorded later.
   */
  startTerminal(task: TaskRecord, size: { cols: number; rows: number }): Promise<TaskRecord> {
    let opened!: (t: TaskRecord) => void;
    const ready = new Promise<TaskRecord>((resolve) => (opened = resolve));
    const settled = this.track(task, (entry) => this.executeTerminal(task, entry, size, opened));
    // Ended before it opened (refused, or the hub stopping): the final record answers.
    void settled.then(opened);
    return ready;
  }

  private track(task: TaskRecord, run: (entry: ActiveTask) => Promise<TaskRecord>): Promise<TaskRecord> {
    // Started by a request that was under way when shutdown began: never spawn it.
    const entry: ActiveTask = {
      run: null,
      stop: this.deps.gate.closing ? { endReason: "hub_stopped", endedBy: null } : null,
      settled: Promise.resolve(task),
    };
    entry.settled = run(entry).catch((err: unknown) => this.lastKnown(task, err));
    this.active.set(task.id, entry);
    this.deps.gate.hold(entry.settled);
    void entry.settled.then(() => this.active.delete(task.id));
    return entry.settled;
  }

  /** After a failed store write: the stored record if it can still be read, else the one at hand. Never rejects. */
  private async lastKnown(task: TaskRecord, err: unknown): Promise<TaskRecord> {
    this.deps.log.error({ err, task: task.id }, "task bookkeeping failed");
    try {
      return (await this.deps.tasks.get(task.id)) ?? task;
    } catch {
      return task;
    }
  }

  private async execute(task: TaskRecord, entry: ActiveTask, sandbox: SandboxSpec | null): Promise<TaskRecord> {
    const startedAt = task.startedAt ?? this.deps.now();
    if (entry.stop)
      return this.failUnstarted(task, startedAt, entry.stop.endReason, "the hub stopped before this task could start");
    const flusher = new OutputFlusher(
      this.deps.tasks,
      task.id,
      this.deps.outputFlushMs,
      this.deps.outputFlushChars,
      this.deps.log,
    );
    let run;
    try {
      run = await this.deps.runner({
        command: task.command,
        cwd: task.cwd,
        timeoutMs: task.timeoutMs,
        onOutput: (t) => flusher.push(t),
        sandbox: sandbox ? { status: this.deps.sandbox(), spec: sandbox } : null,
      });
    } catch (err) {
      await flusher.close();
      return this.failUnstarted(
        task,
        startedAt,
        "spawn_failed",
        err instanceof ExecutorError ? err.message : "the command could not be started",
      );
    }
    entry.run = run;
    if (entry.stop) run.cancel();
    const result = await run.done;
    await flusher.close();
    // Read after the await: shutdown or a cancel may have set it meanwhile.
    const stop = stopOf(entry);
    const blocked = sandbox ? (result.sandboxBlocked ?? null) : null;
    const endReason = stop?.endReason ?? (result.state === "timed_out" ? "timeout" : "exit");
    const final = await this.deps.tasks.setState(task.id, result.state, {
      exitCode: result.exitCode,
      startedAt,
      endedAt: this.deps.now(),
      endReason,
      ...(stop?.endedBy ? { endedBy: stop.endedBy } : {}),
      ...(blocked ? { sandboxBlocked: blocked } : {}),
    });
    await this.deps.audit.append({
      actor: "hub",
      action: "task.finished",
      subject: task.id,
      detail: { state: result.state, exitCode: result.exitCode, endReason, sandbox: sandbox?.mode ?? null, blocked },
    });
    this.deps.log.info({ task: task.id, state: result.state, exitCode: result.exitCode, blocked }, "task finished");
    this.deps.emit(final);
    return final;
  }

  /**
   * An approved terminal task: its pty opens under the task's terminal id and the task ends when the terminal exits.
   */
  private async executeTerminal(
    task: TaskRecord,
    entry: ActiveTask,
    size: { cols: number; rows: number },
    opened: (running: TaskRecord) => void,
  ): Promise<TaskRecord> {
    const startedAt = this.deps.now();
    if (entry.stop)
      return this.failUnstarted(
        task,
        startedAt,
        entry.stop.endReason,
        "the hub stopped before this terminal could open",
      );
    if (!this.deps.terminals || task.term === null)
      return this.failUnstarted(task, startedAt, "spawn_failed", "terminals are not available on this hub");
    let term;
    try {
      term = await this.deps.terminals.open({
        term: task.term,
        owner: task.requestedBy,
        cols: size.cols,
        rows: size.rows,
        cwd: task.cwd,
      });
    } catch (err) {
      return this.failUnstarted(
        task,
        startedAt,
        "spawn_failed",
        err instanceof Error ? err.message : "the terminal could not be opened",
      );
    }
    entry.run = term;
    if (entry.stop) term.cancel();
    const running = await this.deps.tasks.setState(task.id, "running", { startedAt, sandboxMode: null });
    this.deps.emit(running);
    opened(running);
    const { exitCode } = await term.done;
    const stop = stopOf(entry);
    const state: TaskState = stop ? "failed" : "done";
    const endReason = stop?.endReason ?? "exit";
    const final = await this.deps.tasks.setState(task.id, state, {
      exitCode,
      startedAt,
      endedAt: this.deps.now(),
      endReason,
      ...(stop?.endedBy ? { endedBy: stop.endedBy } : {}),
    });
    await this.deps.audit.append({
      actor: "hub",
      action: "task.finished",
      subject: task.id,
      detail: { kind: "terminal", term: task.term, state, exitCode, endReason },
    });
    this.deps.emit(final);
    return final;
  }

  private async failUnstarted(
    task: TaskRecord,
    startedAt: number,
    endReason: string,
    why: string,
  ): Promise<TaskRecord> {
    await this.deps.tasks.appendOutput(task.id, `[neural-link: ${why}]\n`);
    const failed = await this.deps.tasks.setState(task.id, "failed", {
      exitCode: null,
      startedAt,
      endedAt: this.deps.now(),
      endReason,
    });
    await this.deps.audit.append({
      actor: "hub",
      action: "task.finished",
      subject: task.id,
      detail: { state: "failed", exitCode: null, endReason, error: why },
    });
    this.deps.emit(failed);
    return failed;
  }
}
