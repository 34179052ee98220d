import { createHash } from "node:crypto";
import type { TaskRecord } from "./ports";

/**
 * Who must approve a high-risk task, and whether a vote counts.
 *
 * - "both" (default): the device that asked AND the desktop user must approve.
 * - "phone": the requesting device alone decides.
 * - "desktop": the desktop user alone decides.
 *
 * Any counted reject rejects the task. The desktop may always reject (refusing to run
 * something on one's own machine is never unsafe), but it approves only where the mode
 * asks for it. Every approval is bound to the exact command text through its sha256
 * digest: a vote carrying another digest is refused.
 */
export type ApprovalMode = "both" | "phone" | "desktop";
export const APPROVAL_MODES: readonly ApprovalMode[] = ["both", "phone", "desktop"];

/** The approver id of the person at the desktop. */
export const DESKTOP = "desktop";

/** "expired": the approval's time ran out (the task is then rejected); "stale": the request was sent too long ago. */
export type ApprovalErrorCode =
  "not_awaiting" | "not_allowed" | "digest_mismatch" | "digest_required" | "already_voted" | "expired";

export class ApprovalError extends Error {
  override readonly name = "ApprovalError";
  constructor(
    readonly code: ApprovalErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** sha256 of the command text (UTF-8), hex: what an approval is bound to. */
export function commandDigest(command: string): string {
  return createHash("sha256").update(command, "utf8").digest("hex");
}

/** What an approval is bound to: the exact command, the directory it runs in and its environment. */
export interface DigestInput {
  command: string;
  /** The absolute working directory, symlinks resolved. */
  cwd: string;
  /** Every variable the process will get. */
  env: Readonly<Record<string, string>>;
}

/** The version tag that starts every digest's encoding. */
export const DIGEST_TAG = "neural-link/approval/v1";

const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

/**
 * The approval digest (docs/protocol.md section 11): sha256, hex, over netstrings
 * `<byte length>:<UTF-8 bytes>,` of, in order, DIGEST_TAG, the command, the cwd, the
 * number of variables (decimal), then each variable's name and value, names sorted by
 * their UTF-8 bytes. Length prefixes make the encoding unambiguous: no choice of
 * command, path or variable can produce another's bytes.
 *
 * @example approvalDigest({ command: "ls", cwd: "/home/me", env: { A: "1" } })
 */
export function approvalDigest(input: DigestInput): string {
  const h = createHash("sha256");
  const field = (s: string) => {
    const b = utf8(s);
    h.update(`${b.length}:`, "latin1");
    h.update(b);
    h.update(",", "latin1");
  };
  field(DIGEST_TAG);
  field(input.command);
  field(input.cwd);
  const names = Object.keys(input.env).sort((a, b) => Buffer.compare(utf8(a), utf8(b)));
  field(String(names.length));
  for (const name of names) {
    field(name);
    field(input.env[name]!);
  }
  return h.digest("hex");
}

/** When the approval awaited on this task expires; a task stored before expiry existed gets `createdAt + ttlMs`. */
export function approvalDeadline(task: Pick<TaskRecord, "approvalExpiresAt" | "createdAt">, ttlMs: number): number {
  return task.approvalExpiresAt ?? task.createdAt + ttlMs;
}

/** True when an approval awaited on this task can no longer be given. */
export function approvalExpired(
  task: Pick<TaskRecord, "approvalExpiresAt" | "createdAt">,
  now: number,
  ttlMs: number,
): boolean {
  return now >= approvalDeadline(task, ttlMs);
}

/** The next local midnight after `now`: how long "approve for today" lasts. */
export function endOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/** The approvers whose yes is needed, in the given mode. */
export function requiredApprovers(mode: ApprovalMode, requestedBy: string): string[] {
  switch (mode) {
    case "both":
      return requestedBy === DESKTOP ? [DESKTOP] : [requestedBy, DESKTOP];
    case "phone":
      return [requestedBy];
    case "desktop":
      return [DESKTOP];
    default: {
      const never: never = mode;
      throw new Error(`unknown approval mode ${String(never)}`);
    }
  }
}

export interface Vote {
  by: string;
  approve: boolean;
  /** sha256 of the command the approver saw; when given it must match the task's. */
  digest?: string;
}

/** Throws ApprovalError if this vote may not be counted for this task. */
export function checkVote(
  mode: ApprovalMode,
  task: Pick<TaskRecord, "state" | "command" | "requestedBy" | "approvals" | "endReason">,
  vote: Vote,
): void {
  if (task.state === "rejected" && task.endReason === "approval_expired")
    throw new ApprovalError(
      "expired",
      "this approval request expired, so the task was not run; send the command again",
    );
  if (task.state !== "awaiting_approval")
    throw new ApprovalError("not_awaiting", `the task is ${task.state}, not awaiting approval`);
  const required = requiredApprovers(mode, task.requestedBy);
  const mayReject = vote.by === DESKTOP || required.includes(vote.by);
  if (!required.includes(vote.by) && !(mayReject && !vote.approve)) {
    throw new ApprovalError(
      "not_allowed",
      mode === "phone" && vote.by !== DESKTOP
        ? "only the device that asked may approve this task"
        : `${vote.by === DESKTOP ? "the desktop" : "this device"} may not approve this task in "${mode}" mode`,
    );
  }
  if (vote.digest !== undefined && vote.digest !== commandDigest(task.command))
    throw new ApprovalError("digest_mismatch", "the approval is for a different command text");
  if (task.approvals.some((a) => a.by === vote.by))
    throw new ApprovalError("already_voted", "this approver has already decided");
}

/**
 * True when every approver whose yes was needed chose "approve for today": only then is
 * the approval remembered (a phone alone cannot remember what the desktop approved once).
 */
export function rememberAgreed(mode: ApprovalMode, task: Pick<TaskRecord, "requestedBy" | "approvals">): boolean {
  const today = new Set(task.approvals.filter((a) => a.approve && a.remember === true).map((a) => a.by));
  return requiredApprovers(mode, task.requestedBy).every((r) => today.has(r));
}

/** Where the votes so far leave the task. */
export function outcome(
  mode: ApprovalMode,
  task: Pick<TaskRecord, "requestedBy" | "approvals">,
): "approved" | "rejected" | "pending" {
  if (task.approvals.some((a) => !a.approve)) return "rejected";
  const yes = new Set(task.approvals.filter((a) => a.approve).map((a) => a.by));
  return requiredApprovers(mode, task.requestedBy).every((r) => yes.has(r)) ? "approved" : "pending";
}

/** The approvals still awaited, as the protocol's task object names them ("desktop" / "phone"). */
export function awaitedApprovers(
  mode: ApprovalMode,
  task: Pick<TaskRecord, "state" | "requestedBy" | "approvals">,
): ("desktop" | "phone")[] {
  if (task.state !== "awaiting_approval") return [];
  const yes = new Set(task.approvals.filter((a) => a.approve).map((a) => a.by));
  return requiredApprovers(mode, task.requestedBy)
    .filter((r) => !yes.has(r))
    .map((r) => (r === DESKTOP ? "desktop" : "phone"));
}
