/**
 * What the task service needs from the store. The shapes match store/types.ts so the
 * store satisfies them structurally; the service depends on these, not on SQLite.
 */
import type { Risk } from "../executor/policy/types";

export type { Risk };
export type TaskState = "awaiting_approval" | "running" | "done" | "failed" | "rejected" | "timed_out";

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
  approvals: { by: string; approve: boolean; at: number }[];
}

export interface TaskRepo {
  /** `startedAt` is given for a task created already "running". */
  create(t: { command: string; cwd: string | null; risk: Risk; reasons: string[]; state: TaskState; requestedBy: string; timeoutMs: number; startedAt?: number }): Promise<TaskRecord>;
  get(id: string): Promise<TaskRecord | undefined>;
  list(opts: { limit: number; before?: string }): Promise<TaskRecord[]>;
  setState(id: string, state: TaskState, patch?: { exitCode?: number | null; startedAt?: number; endedAt?: number }): Promise<TaskRecord>;
  appendOutput(id: string, chunk: string): Promise<void>;
  addApproval(id: string, a: { by: string; approve: boolean; at: number }): Promise<void>;
  history(id: string): Promise<{ state: TaskState; at: number }[]>;
}

export interface AuditRepo {
  /** Resolves once stored; the result is unused (`unknown`, so the store may return the entry it made). */
  append(e: { actor: string; action: string; subject?: string; detail?: Record<string, unknown> }): Promise<unknown>;
}
