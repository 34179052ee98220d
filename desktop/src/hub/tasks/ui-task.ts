import type { Task as WireTask } from "@neural-link/shared/app";
import type { Task as UiTask, TaskExtras } from "../api";
import type { TaskRecord } from "../store";

/** The protocol's optional fields the desktop shows as they are (hub/api `TaskExtras`). */
const EXTRA_KEYS = [
  "kind",
  "term",
  "end_reason",
  "ended_by",
  "ended_by_name",
  "sandbox",
  "escalated_from",
  "approval_expires_at",
  "digest",
  "awaiting",
] as const satisfies readonly (keyof TaskExtras)[];

/**
 * A task record as the desktop UI shows it (hub/api `Task`).
 * `wire` is the same task as a phone gets it (TaskService.wire): how it
 * ended, by whom, in which sandbox, who is still awaited are copied from it,
 * so the desktop and the phone always tell the same story.
 */
export function toUiTask(t: TaskRecord, requesterName: string, wire?: WireTask): UiTask {
  const extras: TaskExtras = {};
  if (wire) for (const k of EXTRA_KEYS) if (wire[k] !== undefined) Object.assign(extras, { [k]: wire[k] });
  return {
    ...extras,
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
