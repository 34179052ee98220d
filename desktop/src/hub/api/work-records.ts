/**
 * What the person and their devices do through the hub, as the desktop UI sees
 * it: messages, tasks and their approvals, terminals, and notes messages.
 * Field names of `Task` and `Message` follow docs/protocol.md section 11
 * (snake_case) so the hub can hand the same objects to a phone and to this UI.
 */
import type { Risk, TaskState, Task as WireTask } from "@neural-link/shared/app";

/** A task's risk and state: the wire's own unions. */
export type { Risk, TaskState };

/** `"desktop"` as a requester or actor means the person at this desktop. */
export const DESKTOP_ACTOR = "desktop";

/**
 * A task id short enough to read out (the CLI's lines, the UI's notes): its last 8 hex digits. Task ids are
 * UUIDv7 (store/ids.ts), whose first 8 digits are the time to about a minute, the same for every task of that minute; the last are random.
 */
export function shortTaskId(id: string): string {
  return id.slice(-8);
}

export interface Conversation {
  id: string;
  title: string;
  lastTs: number | null;
  lastText: string | null;
  messageCount: number;
}

export interface Message {
  id: string;
  conversation: string;
  /** Device id of the author, or `"desktop"`. */
  sender: string;
  ts: number;
  text: string;
}

/**
 * The protocol's optional task fields the desktop shows as they are
 * (docs/protocol.md section 11): kind, how it ended and by whom, the sandbox
 * it ran in, its approval's deadline and who is still awaited.
 */
export type TaskExtras = Pick<
  WireTask,
  | "kind"
  | "term"
  | "end_reason"
  | "ended_by"
  | "ended_by_name"
  | "sandbox"
  | "escalated_from"
  | "approval_expires_at"
  | "digest"
  | "awaiting"
>;

export interface Task extends TaskExtras {
  id: string;
  command: string;
  cwd?: string;
  risk: Risk;
  /** Human-readable reasons the risk policy gave for `risk`. */
  risk_reasons: string[];
  state: TaskState;
  /** Device id of the requester, or `"desktop"`. */
  requested_by: string;
  requester_name: string;
  created_at: number;
  exit_code?: number;
  output?: string;
  started_at?: number;
  ended_at?: number;
}

/**
 * An approval remembered "for today": this exact command (digest of command, cwd, environment) runs for this device
 * without asking until `expiresAt`.
 */
export interface RememberedApprovalInfo {
  device: string;
  digest: string;
  command: string;
  cwd: string | null;
  /** The task whose approval was remembered. */
  taskId: string;
  createdAt: number;
  expiresAt: number;
}

/** How the desktop answers an approval: this once, or this exact command for this device until midnight. */
export type ApprovalRemember = "once" | "today";

export interface TerminalInfo {
  id: string;
  title: string;
  cols: number;
  rows: number;
  /** Device id of whoever opened it, or `"desktop"`. */
  owner: string;
  alive: boolean;
}

export interface TerminalSnapshot {
  id: string;
  /** The retained scrollback, ready to write into a fresh xterm. */
  data: string;
  /** Sequence number of the last output chunk included in `data`. */
  seq: number;
  /**
   * The pty's size and the viewer holding it (a device id or "desktop"): docs/protocol.md section 11, "Terminal size".
   */
  size?: { cols: number; rows: number; by: string };
}

/**
 * One shared-document message between the UI's notes pad and the hub
 * (docs/notes.md): `t` is `notes.sync`, `notes.awareness` or `notes.error`,
 * `d` its data, exactly as a phone's envelope would carry them.
 */
export interface NotesMessage {
  t: string;
  d: unknown;
}
