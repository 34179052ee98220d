/**
 * Record types the store hands out, and the task interfaces other hub modules
 * consume structurally (the task service defines the same shapes as its ports).
 * Wire-level unions (task state, risk, card, device kind) come from shared, so
 * the store and the protocol cannot drift apart.
 */
import type { ChatMessage, Risk, TaskState } from "@neural-link/shared/app";
import type { Card, DeviceKind } from "@neural-link/shared/crypto";
import type { RiskPolicy } from "@neural-link/shared/policy";

export type { Card, DeviceKind, Risk, TaskState };

export interface TaskApproval {
  by: string;
  approve: boolean;
  at: number;
  /** The approver chose "this exact command for this device, for the rest of the day". */
  remember?: boolean;
}

/** "command": a shell command; "terminal": a request to open an interactive terminal (docs/protocol.md section 11). */
export type TaskKind = "command" | "terminal";

export interface TaskRecord {
  id: string;
  command: string;
  cwd: string | null;
  risk: Risk;
  reasons: string[];
  state: TaskState;
  requestedBy: string;
  timeoutMs: number;
  exitCode: number | null;
  output: string;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
  approvals: TaskApproval[];
  kind: TaskKind;
  /** For a terminal task: the terminal id that opens once approved. */
  term: string | null;
  /** Why a final task ended (docs/protocol.md section 11), e.g. "exit", "rejected", "approval_expired". */
  endReason: string | null;
  /** Who rejected or cancelled it: a device id, "desktop" or "hub". */
  endedBy: string | null;
  /** The sandbox it ran in ("read-only", "workspace"), or null when it ran with full rights. */
  sandboxMode: string | null;
  /** What the sandbox stopped: "write" or "network". */
  sandboxBlocked: string | null;
  escalatedFrom: string | null;
  approvalExpiresAt: number | null;
  /** sha256 binding an approval to the command, cwd and environment (tasks/approvals.ts). */
  digest: string | null;
}

export interface NewTask {
  command: string;
  cwd: string | null;
  risk: Risk;
  reasons: string[];
  state: TaskState;
  requestedBy: string;
  timeoutMs: number;
  /** When a task created already "running" started; absent (null) for any other. */
  startedAt?: number;
  kind?: TaskKind;
  term?: string | null;
  sandboxMode?: string | null;
  escalatedFrom?: string | null;
  approvalExpiresAt?: number | null;
  digest?: string | null;
  /** For a task created already final (forbidden). */
  endReason?: string | null;
  endedAt?: number;
}

export interface TaskStatePatch {
  exitCode?: number | null;
  startedAt?: number;
  endedAt?: number;
  endReason?: string | null;
  endedBy?: string | null;
  sandboxMode?: string | null;
  sandboxBlocked?: string | null;
}

/** An approval remembered for one device and one exact digest until `expiresAt`. */
export interface RememberedApproval {
  device: string;
  digest: string;
  command: string;
  cwd: string | null;
  /** The task whose approval is remembered. */
  taskId: string;
  createdAt: number;
  expiresAt: number;
}

export interface TaskRepo {
  create(t: NewTask): Promise<TaskRecord>;
  get(id: string): Promise<TaskRecord | undefined>;
  /** Newest first; `before` is a task id (exclusive cursor). */
  list(opts: { limit: number; before?: string }): Promise<TaskRecord[]>;
  /** Also appends a state-history row. */
  setState(id: string, state: TaskState, patch?: TaskStatePatch): Promise<TaskRecord>;
  /** Keeps at least the last `taskOutputCap` code units of output. */
  appendOutput(id: string, chunk: string): Promise<void>;
  addApproval(id: string, a: TaskApproval): Promise<void>;
  history(id: string): Promise<{ state: TaskState; at: number }[]>;
  /** The terminal task that owns terminal id `term`, if any. */
  byTerm(term: string): Promise<TaskRecord | undefined>;
}

/** A message as the protocol carries it (docs/protocol.md section 11). */
export type MessageRecord = ChatMessage;

export interface ConversationSummary {
  id: string;
  createdAt: number;
  lastMessage: MessageRecord | null;
  /** How many messages the conversation holds. */
  messageCount: number;
}

/** Per-device overrides of the risk policy: program names or command prefixes (the policy's own type). */
export type { RiskPolicy };

export interface DeviceRecord {
  id: string;
  name: string;
  kind: DeviceKind;
  /** b64u of the device's X25519 box public key. */
  boxPublicKey: string;
  /** The identity card the device presented when it paired (docs/protocol.md section 9). */
  card: Card;
  caps: string[];
  policy: RiskPolicy;
  pairedAt: number;
  lastSeen: number | null;
  revokedAt: number | null;
}

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, unknown> | null;
}

export interface OutboxFrame {
  id: string;
  to: string;
  /** b64u of the sealed envelope, as SEND carries it. */
  body: string;
  qos: 0 | 1;
  createdAt: number;
}
