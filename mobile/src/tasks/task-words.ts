import type { Task, TaskState } from "@neural-link/shared/app";

/**
 * The words a task card shows, from the task alone (no DOM, no clock of its
 * own: `now` is passed in), so each is unit-tested. The `end_reason` values
 * are those of docs/protocol.md section 11; an unknown one (a newer hub)
 * falls back to the plain state.
 */

const STATE_WORDS: Record<TaskState, string> = {
  awaiting_approval: "Waiting for approval",
  running: "Running",
  done: "Done",
  failed: "Failed",
  rejected: "Rejected",
  timed_out: "Timed out",
};

/** Who a device id is, as this phone says it: "you", "the desktop", or the hub's name for it. */
export function whoIs(id: string | undefined, name: string | undefined, me: string): string {
  if (id === undefined) return name ?? "someone";
  if (id === me) return "you";
  if (id === "desktop") return "the desktop";
  return name ?? "another device";
}

/** The one-line state: "Done", "Rejected by the desktop", "Interrupted: the desktop hub stopped", ... */
export function stateWords(task: Task, me: string): string {
  const by = whoIs(task.ended_by, task.ended_by_name, me);
  switch (task.end_reason) {
    case "cancelled":
      return task.state === "rejected" ? `Withdrawn by ${by} before approval` : `Stopped by ${by}`;
    case "rejected":
      return task.ended_by ? `Rejected by ${by}` : "Rejected";
    case "hub_stopped":
    case "hub_interrupted":
      // Never worded like a person's decision: nobody rejected it.
      return "Interrupted: the desktop hub stopped";
    case "approval_expired":
      return "Not run: nobody approved it in time";
    case "forbidden":
      return "Forbidden: this command never runs from a phone";
    case "exit":
      // A terminal's end is its shell ending (typed `exit`, or closed): not a command's success or failure.
      return task.kind === "terminal" ? "Shell ended" : STATE_WORDS[task.state];
    case "timeout":
      return "Timed out";
    case "spawn_failed":
      return "Could not start";
    default:
      if (task.state === "rejected" && task.risk === "forbidden")
        return "Forbidden: this command never runs from a phone";
      return STATE_WORDS[task.state];
  }
}

/** Whether the task was interrupted by the hub stopping, so the card is styled apart from a rejection. */
export function interruptedByHub(task: Task): boolean {
  return task.end_reason === "hub_stopped" || task.end_reason === "hub_interrupted";
}

/** How it runs or ran: in the sandbox, with a workspace grant, or with full rights. Null when the hub does not say. */
export function sandboxWords(task: Task): { label: string; kind: "sandboxed" | "workspace" | "full" } | null {
  if (task.kind === "terminal") return { label: "Full access (terminal)", kind: "full" };
  if (task.sandbox === undefined) return null;
  if (task.sandbox === null) return { label: "Full access", kind: "full" };
  if (task.sandbox.mode === "workspace") return { label: "Workspace", kind: "workspace" };
  return { label: "Sandboxed (read-only)", kind: "sandboxed" };
}

/** Who still has to approve a waiting task, in words; null when it is not waiting. */
export function awaitingWords(task: Task): string | null {
  if (task.state !== "awaiting_approval") return null;
  const a = task.awaiting;
  if (a === undefined) return "Waiting for approval";
  const desktop = a.includes("desktop");
  const phone = a.includes("phone");
  if (desktop && phone) return "Waiting for approval on the desktop and here";
  if (desktop) return "Waiting for approval on the desktop";
  if (phone) return "Waiting for your approval here";
  return "Waiting for approval";
}

/** Whether this phone may approve or reject it now. */
export function waitsForPhone(task: Task): boolean {
  return task.state === "awaiting_approval" && (task.awaiting === undefined || task.awaiting.includes("phone"));
}

/** Whether the Cancel button applies: a running task, or one still waiting for approval. */
export function cancellable(task: Task): boolean {
  return task.state === "running" || task.state === "awaiting_approval";
}

/** What the sandbox stopped (`sandbox.blocked`: "write" or "network"), in words. */
export function blockedWords(blocked: string): string {
  if (blocked === "write") return "it tried to change a file, and the sandbox keeps every file read-only.";
  if (blocked === "network") return "it tried to reach the network, and the sandbox has none.";
  return `${blocked}.`;
}

/** Whether "Run without sandbox" applies: the sandbox blocked a write or a network call, and the task has ended. */
export function escalatable(task: Task): boolean {
  return Boolean(task.sandbox?.blocked) && task.state !== "running" && task.state !== "awaiting_approval";
}

/** "3 s", "2 min 5 s", "1 h 4 min". */
export function durationWords(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/**
 * When it started and how long it ran (or has been running), e.g. "started 14:02:07 · ran 3 s". Null before it started.
 */
export function timingWords(task: Task, now: number, formatTime: (ms: number) => string): string | null {
  if (task.started_at === undefined || task.started_at === null) return null;
  const started = `started ${formatTime(task.started_at)}`;
  if (task.state === "running") return `${started} · running for ${durationWords(now - task.started_at)}`;
  if (task.ended_at !== undefined && task.ended_at !== null)
    return `${started} · ran ${durationWords(task.ended_at - task.started_at)}`;
  return started;
}

/** Time left before an awaited approval expires, or "expired"; null when the hub sets no expiry. */
export function expiryWords(task: Task, now: number): { text: string; expired: boolean } | null {
  if (task.state !== "awaiting_approval" || task.approval_expires_at === undefined) return null;
  const left = task.approval_expires_at - now;
  if (left <= 0) return { text: "This request has expired: it will not run.", expired: true };
  // Floored: a request never shows more time than the hub gave it.
  const s = Math.floor(left / 1000);
  const mm = Math.floor(s / 60);
  const ss = String(s % 60).padStart(2, "0");
  return { text: `Expires in ${mm}:${ss}`, expired: false };
}
