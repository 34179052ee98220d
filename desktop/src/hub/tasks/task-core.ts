import type { Logger } from "pino";
import type { ApprovalTimers } from "./approval-timers";
import type { AuditRepo, RememberedRepo, SandboxSpec, TaskRecord, TaskRepo } from "./ports";
import type { TaskServiceSettings } from "./settings";
import type { JudgeDeps } from "./task-judge";

/**
 * What the task service shares with its parts (task-requests.ts, approval-decisions.ts): its stores, timers and
 * settings, the same objects, not copies.
 */
export interface TaskCore {
  tasks: TaskRepo;
  audit: AuditRepo;
  remembered: RememberedRepo | undefined;
  judge: JudgeDeps;
  timers: ApprovalTimers;
  /** Size asked for by terminal requests still awaiting approval. */
  termSizes: Map<string, { cols: number; rows: number }>;
  /** The settings in force now (the approval mode can change while the hub runs). */
  settings(): TaskServiceSettings;
  now(): number;
  log: Logger;
  /** Announces a changed task (`task.updated`). */
  emit(task: TaskRecord): void;
  /** Starts a command task that is "running" in the store. */
  start(task: TaskRecord, sandbox: SandboxSpec | null): void;
}
