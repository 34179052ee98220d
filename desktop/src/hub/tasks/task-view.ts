import type { Task } from "@neural-link/shared/app";
import { awaitedApprovers, type ApprovalMode } from "./approvals";
import type { TaskRecord } from "./ports";

/** A task record as the protocol carries it (PROTOCOL.md section 11, shared/app `taskSchema`). */
export function toWireTask(t: TaskRecord, mode: ApprovalMode): Task {
  return {
    id: t.id,
    command: t.command,
    risk: t.risk,
    state: t.state,
    exit_code: t.exitCode,
    output: t.output,
    started_at: t.startedAt,
    ended_at: t.endedAt,
    reasons: t.reasons,
    created_at: t.createdAt,
    requested_by: t.requestedBy,
    awaiting: awaitedApprovers(mode, t),
    cwd: t.cwd,
  };
}
