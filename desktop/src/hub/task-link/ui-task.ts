import type { Task as UiTask } from "../bridge/api-contract";
import type { TaskRecord } from "../store";

/** A task record as the desktop UI shows it (preload/api-types.ts `Task`). */
export function toUiTask(t: TaskRecord, requesterName: string): UiTask {
  return {
    id: t.id,
    command: t.command,
    ...(t.cwd !== null ? { cwd: t.cwd } : {}),
    risk: t.risk,
    risk_reasons: t.reasons,
    state: t.state,
    requested_by: t.requestedBy,
    requester_name: requesterName,
    created_at: t.createdAt,
    ...(t.exitCode !== null ? { exit_code: t.exitCode } : {}),
    output: t.output,
    ...(t.startedAt !== null ? { started_at: t.startedAt } : {}),
    ...(t.endedAt !== null ? { ended_at: t.endedAt } : {}),
  };
}
