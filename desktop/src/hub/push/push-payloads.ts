import {
  clip,
  PUSH_COMMAND_MAX,
  PUSH_TEXT_MAX,
  type PushPayload,
  pushPayloadSchema,
  type Task,
} from "@neural-link/shared/app";
import type { MessageRecord } from "../store";
import type { TaskRecord } from "../tasks/ports";

/** Who sends: the hub's device id (so a phone paired with several knows which) and its name. */
export interface HubRef {
  hub: string;
  hub_name: string;
}

const NAME_MAX = 64;
const name = (s: string) => clip(s, NAME_MAX);

/**
 * An approval waiting for this phone: the command (cut to PUSH_COMMAND_MAX; then `full: false`), who asked, the risk.
 */
export function approvalPayload(hub: HubRef, task: Task): PushPayload {
  return {
    ...hub,
    k: "approval",
    task: task.id,
    command: clip(task.command, PUSH_COMMAND_MAX),
    full: task.command.length <= PUSH_COMMAND_MAX,
    risk: task.risk,
    asker: name(task.requested_by_name ?? task.requested_by ?? ""),
    ...(task.kind === "terminal" ? { terminal: true } : {}),
    ...(task.approval_expires_at !== undefined ? { expires_at: task.approval_expires_at } : {}),
  };
}

/**
 * What became of an approval this phone was asked for: "voted" means its part is done and another approver is awaited.
 */
export type AnswerOutcome = "approved" | "voted" | "rejected" | "expired" | "cancelled";

/** The outcome and the id of who decided (a device id, "desktop" or "hub"), from the task record. */
export function answerOf(task: TaskRecord): { outcome: AnswerOutcome; by: string } {
  const lastVote = task.approvals[task.approvals.length - 1];
  if (task.state === "awaiting_approval") return { outcome: "voted", by: lastVote?.by ?? task.requestedBy };
  if (task.state !== "rejected")
    return { outcome: "approved", by: [...task.approvals].reverse().find((v) => v.approve)?.by ?? "hub" };
  if (task.endReason === "approval_expired" || task.endReason === "approval_unanswerable")
    return { outcome: "expired", by: "hub" };
  if (task.endReason === "cancelled") return { outcome: "cancelled", by: task.endedBy ?? task.requestedBy };
  return { outcome: "rejected", by: task.endedBy ?? lastVote?.by ?? "hub" };
}

export function answeredPayload(hub: HubRef, task: string, outcome: AnswerOutcome, byName: string): PushPayload {
  return { ...hub, k: "answered", task, outcome, by: name(byName) };
}

/** A task of this phone's that ended by itself: done, failed or timed out. */
export function taskPayload(hub: HubRef, task: Task): PushPayload {
  return {
    ...hub,
    k: "task",
    task: task.id,
    command: clip(task.command, PUSH_TEXT_MAX),
    state: task.state,
    exit_code: task.exit_code ?? null,
  };
}

export function messagePayload(hub: HubRef, m: MessageRecord & { sender_name?: string }): PushPayload {
  return {
    ...hub,
    k: "message",
    message: m.id,
    conversation: clip(m.conversation, 64),
    sender: name(m.sender_name ?? m.sender.slice(0, 8)),
    text: clip(m.text, PUSH_TEXT_MAX),
  };
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * The payload as sent: JSON of at most `maxBytes` (a push carries about 4 KB). Texts are
 * cut further until it fits; a cut command turns `full` off, so the phone offers no
 * approval without showing the whole command first.
 */
export function encodePayload(p: PushPayload, maxBytes: number): string {
  let out = pushPayloadSchema.parse(p);
  let json = JSON.stringify(out);
  while (bytes(json) > maxBytes) {
    if (out.k === "approval" && out.command.length > 16)
      out = { ...out, command: clip(out.command, Math.floor(out.command.length / 2)), full: false };
    else if ((out.k === "message" || out.k === "task") && (out.k === "message" ? out.text : out.command).length > 16) {
      out =
        out.k === "message"
          ? { ...out, text: clip(out.text, Math.floor(out.text.length / 2)) }
          : { ...out, command: clip(out.command, Math.floor(out.command.length / 2)) };
    } else throw new Error(`a push payload does not fit ${maxBytes} bytes`);
    json = JSON.stringify(out);
  }
  return json;
}
