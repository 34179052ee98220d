import type { Task } from "../../hub/api";

/** A task's state in words, as the list and the detail show it. */
export const STATE_LABELS: Record<Task["state"], string> = {
  awaiting_approval: "waiting for approval",
  running: "running",
  done: "done",
  failed: "failed",
  rejected: "rejected",
  timed_out: "timed out",
};

/** Who did it, by name when the hub sent one. */
function who(task: Task): string {
  if (task.ended_by_name) return task.ended_by_name;
  if (task.ended_by === "desktop") return "this desktop";
  return task.ended_by ? `device ${task.ended_by.slice(0, 8)}` : "someone";
}

/**
 * Why a finished task ended, in a sentence (docs/protocol.md section 11,
 * `end_reason`); null while it has not ended or when the state says enough.
 * An unknown reason from a newer hub is shown as it came.
 */
export function endReasonText(task: Task): string | null {
  const reason = task.end_reason;
  if (reason === undefined) return null;
  switch (reason) {
    case "exit":
      // "done" already says it finished well.
      return task.exit_code === 0 || task.exit_code === undefined ? null : `exited with code ${task.exit_code}`;
    case "timeout":
      return "stopped: it ran longer than its time limit";
    case "rejected":
      return `rejected by ${who(task)}`;
    case "forbidden":
      return "never run: the risk policy forbids it";
    case "approval_expired":
      return "approval expired: nobody answered in time";
    case "cancelled":
      return `cancelled by ${who(task)}`;
    case "hub_stopped":
    case "hub_interrupted":
      return "interrupted by a hub stop";
    case "spawn_failed":
      return "could not be started";
    default:
      return reason.replaceAll("_", " ");
  }
}

export type SandboxBadge = { text: string; kind: "sandboxed" | "workspace" | "full" };

/**
 * How the task ran: in the sandbox (read-only or with granted folders
 * writable) or with the user's full rights. Null when it has not run (yet).
 */
export function sandboxBadge(task: Task): SandboxBadge | null {
  if (task.sandbox) {
    return task.sandbox.mode === "workspace"
      ? { text: "sandboxed, workspace", kind: "workspace" }
      : { text: "sandboxed, read-only", kind: "sandboxed" };
  }
  if (task.started_at === undefined || task.state === "awaiting_approval") return null;
  // An older hub sends no `sandbox` at all; only an explicit null means full access.
  return task.sandbox === null ? { text: "full access", kind: "full" } : null;
}

/** What the sandbox stopped, when it did: the task may be run again without it. */
export function blockedText(task: Task): string | null {
  const blocked = task.sandbox?.blocked;
  if (!blocked) return null;
  return `The sandbox stopped it (${blocked}).`;
}

/** True when the task can be re-run without the sandbox (a new high-risk request). */
export function canEscalate(task: Task): boolean {
  return Boolean(task.sandbox?.blocked) && task.state !== "running" && task.state !== "awaiting_approval";
}

export function canCancel(task: Task): boolean {
  return task.state === "running" || task.state === "awaiting_approval";
}

/** "850 ms", "12 s", "3 min 4 s", "2 h 5 min". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Start time and how long it ran (or has been running, against `now`). */
export function timingText(task: Task, now: number): string | null {
  if (task.started_at === undefined) return null;
  const started = new Date(task.started_at).toLocaleTimeString();
  const end = task.ended_at ?? (task.state === "running" ? now : undefined);
  return end === undefined
    ? `started ${started}`
    : `started ${started} · ${task.ended_at === undefined ? "running for" : "took"} ${durationText(end - task.started_at)}`;
}

/** "29:41" until an approval expires; "0:00" once it has. */
export function countdownText(expiresAt: number, now: number): string {
  const left = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
}
