import type { Task } from "@neural-link/shared/app";
import { awaitedApprovers, type ApprovalMode } from "./approvals";
import type { TaskRecord } from "./ports";

/**
 * A task record as the protocol carries it (docs/protocol.md section 11, shared/app
 * `taskSchema`). `names` maps device ids (and "desktop") to display names.
 */
export function toWireTask(t: TaskRecord, mode: ApprovalMode, names?: ReadonlyMap<string, string>): Task {
  const requesterName = names?.get(t.requestedBy);
  const enderName = t.endedBy !== null ? names?.get(t.endedBy) : undefined;
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
    kind: t.kind,
    ...(t.term !== null ? { term: t.term } : {}),
    ...(t.endReason !== null ? { end_reason: t.endReason } : {}),
    ...(t.endedBy !== null ? { ended_by: t.endedBy } : {}),
    ...(requesterName !== undefined ? { requested_by_name: requesterName } : {}),
    ...(enderName !== undefined ? { ended_by_name: enderName } : {}),
    // Only a task that started says how it ran: null means with full rights.
    ...(t.startedAt !== null
      ? {
          sandbox:
            t.sandboxMode !== null
              ? { mode: t.sandboxMode, ...(t.sandboxBlocked !== null ? { blocked: t.sandboxBlocked } : {}) }
              : null,
        }
      : {}),
    ...(t.escalatedFrom !== null ? { escalated_from: t.escalatedFrom } : {}),
    ...(t.state === "awaiting_approval" && t.approvalExpiresAt !== null
      ? { approval_expires_at: t.approvalExpiresAt }
      : {}),
    ...(t.digest !== null ? { digest: t.digest } : {}),
  };
}
