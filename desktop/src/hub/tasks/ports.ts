/**
 * What the task service needs from the store, the executor and the terminals. The
 * shapes match store/types.ts so the store satisfies them structurally; the service
 * depends on these, not on SQLite or node-pty.
 */
import type { Risk } from "@neural-link/shared/policy";

export type { Risk };
export type TaskState = "awaiting_approval" | "running" | "done" | "failed" | "rejected" | "timed_out";
export type TaskKind = "command" | "terminal";

export interface TaskApproval {
  by: string;
  approve: boolean;
  at: number;
  remember?: boolean;
}

export interface TaskRecord {
  id: string;
  command: string;
  cwd: string | null;
  risk: Risk;
  reasons: string[];
  state: TaskState;
  requestedBy: string;
  timeoutMs: number;
  exitCode: number | null;
  output: string;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
  approvals: TaskApproval[];
  kind: TaskKind;
  term: string | null;
  endReason: string | null;
  endedBy: string | null;
  sandboxMode: string | null;
  sandboxBlocked: string | null;
  escalatedFrom: string | null;
  approvalExpiresAt: number | null;
  digest: string | null;
}

export interface NewTaskRecord {
  command: string;
  cwd: string | null;
  risk: Risk;
  reasons: string[];
  state: TaskState;
  requestedBy: string;
  timeoutMs: number;
  /** Given for a task created already "running". */
  startedAt?: number;
  kind?: TaskKind;
  term?: string | null;
  sandboxMode?: string | null;
  escalatedFrom?: string | null;
  approvalExpiresAt?: number | null;
  digest?: string | null;
  endReason?: string | null;
  endedAt?: number;
}

export interface TaskStatePatch {
  exitCode?: number | null;
  startedAt?: number;
  endedAt?: number;
  endReason?: string | null;
  endedBy?: string | null;
  sandboxMode?: string | null;
  sandboxBlocked?: string | null;
}

export interface TaskRepo {
  create(t: NewTaskRecord): Promise<TaskRecord>;
  get(id: string): Promise<TaskRecord | undefined>;
  list(opts: { limit: number; before?: string }): Promise<TaskRecord[]>;
  setState(id: string, state: TaskState, patch?: TaskStatePatch): Promise<TaskRecord>;
  appendOutput(id: string, chunk: string): Promise<void>;
  addApproval(id: string, a: TaskApproval): Promise<void>;
  history(id: string): Promise<{ state: TaskState; at: number }[]>;
  byTerm(term: string): Promise<TaskRecord | undefined>;
}

export interface AuditRepo {
  /** Resolves once stored; the result is unused (`unknown`, so the store may return the entry it made). */
  append(e: { actor: string; action: string; subject?: string; detail?: Record<string, unknown> }): Promise<unknown>;
}

/** An approval remembered for one device and one digest (store/remembered-approvals-repo.ts). */
export interface RememberedApproval {
  device: string;
  digest: string;
  command: string;
  cwd: string | null;
  taskId: string;
  createdAt: number;
  expiresAt: number;
}

export interface RememberedRepo {
  remember(a: RememberedApproval): Promise<void>;
  find(device: string, digest: string, now: number): Promise<RememberedApproval | undefined>;
  list(now: number): Promise<RememberedApproval[]>;
  forget(device: string, digest?: string): Promise<number>;
  /** Drops approvals past their time. */
  sweep?(now: number): Promise<number>;
}

/** The OS sandbox in force (sandbox/ `detectSandbox()`). */
export interface SandboxStatus {
  kind: string;
  available: boolean;
  reason: string;
}

/** What a sandboxed run may touch: everything read-only except `writable`; `hidden` is not visible at all. */
export interface SandboxSpec {
  mode: "read-only" | "workspace";
  writable: string[];
  hidden: string[];
}

/** What the sandbox stopped, when a sandboxed run failed because of it. */
export type SandboxBlocked = "write" | "network";

export interface CommandRunResult {
  state: "done" | "failed" | "timed_out";
  exitCode: number;
  sandboxBlocked?: SandboxBlocked | null;
}

export interface CommandRun {
  readonly done: Promise<CommandRunResult>;
  cancel(): void;
}

/** Starts one command (tasks/task-process.ts `runTask`, with or without the sandbox). */
export type CommandRunner = (opts: {
  command: string;
  cwd: string | null;
  timeoutMs: number;
  onOutput: (text: string) => void;
  sandbox: { status: SandboxStatus; spec: SandboxSpec } | null;
}) => Promise<CommandRun>;

/** Opens the pty of an approved terminal task (terminals/terminal-service.ts). */
export interface TerminalOpener {
  open(req: {
    term: string;
    owner: string;
    cols: number;
    rows: number;
    cwd: string | null;
  }): Promise<{ done: Promise<{ exitCode: number }>; cancel(): void }>;
}
