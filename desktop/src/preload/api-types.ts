/**
 * The contract between the hub core and every user interface on the desktop.
 *
 * `HubApi` is implemented by `HubNode` (desktop/src/hub/hub-node.ts) and reached
 * by the renderer through one of two transports that carry exactly these calls:
 * Electron IPC (preload exposes `window.hub`) or the loopback WebSocket bridge
 * of web mode (desktop/src/hub/bridge/). Rules that keep both transports honest:
 *
 * - every method is async and takes at most one plain-JSON params object;
 * - every result and event payload is plain JSON (no Uint8Array, Date, Map);
 * - this file imports nothing at run time (only types from shared), so the
 *   web tsconfig (renderer) and the node tsconfig (hub, main, preload) both
 *   include it.
 *
 * Field names of `Task` and `Message` follow PROTOCOL.md section 11 (snake_case)
 * so the hub can hand the same objects to a phone and to this UI.
 */
import type { Capability, SandboxInfo, Task as WireTask } from "@neural-link/shared/app";

/** Where the hub's relay lives: started in-process, or a remote URL. */
export type RelayConfig = { mode: "embedded" } | { mode: "url"; url: string };

/**
 * Who must approve a high-risk command: `both` the device that asked and this
 * desktop, `phone` the device that asked, `desktop` this desktop alone.
 */
export type ApprovalsPolicy = "both" | "phone" | "desktop";

/**
 * A paired device's overrides of the built-in risk table (docs/risk-policy.md).
 * Each entry is a program name or a command prefix (`make`, `git push`):
 * `allow` makes a matching command low-risk (runs at once), `high` makes it
 * wait for approval, `forbid` makes it never run. The longest matching entry
 * wins. Entries never relax a built-in forbidden verdict (`rm -rf ~`).
 * Empty object: the built-in table alone.
 */
export interface DeviceRiskPolicy {
  allow?: string[];
  high?: string[];
  forbid?: string[];
}
/** The lists of a `DeviceRiskPolicy`, from the most to the least permissive. */
export const RISK_POLICY_LISTS = ["allow", "high", "forbid"] as const satisfies readonly (keyof DeviceRiskPolicy)[];

/**
 * What a paired device may do through the hub: the wire capabilities of
 * PROTOCOL.md section 11 (`chat`, `tasks`, `approve`, `terminal`, `doc`),
 * defined once in shared. A type-only import, erased at build time, so this
 * file still loads no code at run time (the preload bundle stays small).
 */
export type { Capability };
/** The OS sandbox in force on the hub (`hub.info`): kind, whether it works, and why in words. */
export type { SandboxInfo };

export type Risk = "low" | "high" | "forbidden";
export type TaskState = "awaiting_approval" | "running" | "done" | "failed" | "rejected" | "timed_out";

/** `"desktop"` as a requester or actor means the person at this desktop. */
export const DESKTOP_ACTOR = "desktop";

export interface HubStatus {
  /** False until `setup` has run once; the UI shows first-run setup. */
  setupDone: boolean;
  /** This hub's device id (43 chars), or null before setup. */
  device: string | null;
  name: string | null;
  version: string;
  relay: { mode: RelayConfig["mode"]; url: string | null; connected: boolean };
  devicesPaired: number;
  devicesOnline: number;
  approvalsWaiting: number;
  /** The sandbox low-risk commands run in; `available: false` means every command asks. */
  sandbox?: SandboxInfo;
  /** Where a phone opens the app (served by the embedded relay), when there is one. */
  phoneAppUrl?: string | null;
}

export interface SetupParams {
  name: string;
  relay: RelayConfig;
}

export interface PairingInvite {
  /** The `nlink://pair?...` URI (PROTOCOL.md section 8), shown as QR code and as text. */
  uri: string;
  rendezvous: string;
  /** Unix milliseconds after which the invite is void. */
  expiresAt: number;
}

/** Emitted when a phone's pair request opened and checked; waits for `answerPairing`. */
export interface PairingRequest {
  requestId: string;
  device: string;
  deviceName: string;
  kind: "phone" | "desktop";
  /** Six digits, leading zeros kept. */
  sas: string;
  expiresAt: number;
}

export interface PairingDone {
  requestId: string;
  accepted: boolean;
  device: DeviceInfo | null;
  /** Why it failed or was refused, for the person; absent on success. */
  reason?: string;
}

export interface DeviceInfo {
  id: string;
  name: string;
  kind: "phone" | "desktop";
  online: boolean;
  caps: Capability[];
  policy: DeviceRiskPolicy;
  pairedAt: number;
  lastSeen: number | null;
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
  "kind" | "term" | "end_reason" | "ended_by" | "ended_by_name" | "sandbox" | "escalated_from" | "approval_expires_at" | "digest" | "awaiting"
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

/** A folder made writable inside one device's sandboxed tasks (docs/risk-policy.md, "Workspace grants"). */
export interface WorkspaceGrant {
  device: string;
  /** Absolute, with symlinks resolved. */
  path: string;
  grantedAt: number;
}

/** An approval remembered "for today": this exact command (digest of command, cwd, environment) runs for this device without asking until `expiresAt`. */
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
}

export interface AuditEntry {
  id: string;
  ts: number;
  /** Device id, or `"desktop"`. */
  actor: string;
  actorName: string;
  action: string;
  /** The raw detail (ids, digests), for the curious; `text` says it in words. */
  detail: string;
  /** The entry in words: the decision, with device names instead of ids. */
  text?: string;
  /** The command the entry is about, when it is about a task. */
  command?: string;
}

export interface Settings {
  name: string;
  relay: RelayConfig;
  approvals: ApprovalsPolicy;
}

/**
 * One shared-document message between the UI's notes pad and the hub
 * (docs/documents.md): `t` is `doc.sync`, `doc.awareness` or `doc.error`,
 * `d` its data, exactly as a phone's envelope would carry them.
 */
export interface DocMessage {
  t: string;
  d: unknown;
}

/** Event payloads pushed by the hub, by event name. */
export interface HubEvents {
  status: HubStatus;
  "pairing.request": PairingRequest;
  "pairing.done": PairingDone;
  /** The full device list after any change (pair, revoke, rename, presence). */
  devices: DeviceInfo[];
  message: Message;
  task: Task;
  /** A task that waits for approval on this desktop. */
  "approval.request": Task;
  "terminal.output": { id: string; seq: number; data: string };
  "terminal.exit": { id: string; exitCode: number | null };
  audit: AuditEntry;
  /** A device's workspace grants after a grant or revoke. */
  workspace: { device: string; grants: WorkspaceGrant[] };
  /** A shared-document message from the hub to this UI's document replica. */
  "doc.message": DocMessage;
}
export type HubEventName = keyof HubEvents;
const EVENT_SET: Record<HubEventName, true> = {
  status: true,
  "pairing.request": true,
  "pairing.done": true,
  devices: true,
  message: true,
  task: true,
  "approval.request": true,
  "terminal.output": true,
  "terminal.exit": true,
  audit: true,
  workspace: true,
  "doc.message": true,
};
export const HUB_EVENTS = Object.keys(EVENT_SET) as readonly HubEventName[];

export type Unsubscribe = () => void;

export interface HubApi {
  getStatus(): Promise<HubStatus>;
  setup(p: SetupParams): Promise<HubStatus>;

  startPairing(): Promise<PairingInvite>;
  cancelPairing(): Promise<void>;
  answerPairing(p: { requestId: string; accept: boolean }): Promise<void>;

  listDevices(): Promise<DeviceInfo[]>;
  renameDevice(p: { device: string; name: string }): Promise<DeviceInfo>;
  revokeDevice(p: { device: string }): Promise<void>;
  setDeviceCaps(p: { device: string; caps: Capability[] }): Promise<DeviceInfo>;
  setDevicePolicy(p: { device: string; policy: DeviceRiskPolicy }): Promise<DeviceInfo>;

  listConversations(): Promise<Conversation[]>;
  /** Newest first. */
  listMessages(p: { conversation: string; before?: number; limit?: number }): Promise<Message[]>;
  sendMessage(p: { text: string; conversation?: string }): Promise<Message>;
  searchMessages(p: { query: string; limit?: number }): Promise<Message[]>;

  /** Newest first. */
  listTasks(p: { limit?: number }): Promise<Task[]>;
  runTask(p: { command: string; cwd?: string; timeout_ms?: number }): Promise<Task>;
  approveTask(p: { task: string; approve: boolean; remember?: ApprovalRemember }): Promise<Task>;
  getTask(p: { task: string }): Promise<Task>;
  /** Stops a running task, or withdraws one awaiting approval. */
  cancelTask(p: { task: string }): Promise<Task>;
  /** Re-runs a task the sandbox stopped, with full rights: a new high-risk task awaiting approval. */
  escalateTask(p: { task: string }): Promise<Task>;

  /** Folders writable in a device's sandboxed tasks; every device's when `device` is omitted. */
  listWorkspaceGrants(p: { device?: string }): Promise<WorkspaceGrant[]>;
  /** Desktop only (phones cannot): an absolute, existing folder, not /, home, a system folder or the hub's data. */
  grantWorkspace(p: { device: string; path: string }): Promise<WorkspaceGrant>;
  revokeWorkspace(p: { device: string; path: string }): Promise<void>;

  /** Approvals remembered "for today" and still in force, every device's. */
  listRememberedApprovals(): Promise<RememberedApprovalInfo[]>;
  /** Forgets one remembered approval, or every one of the device when `digest` is omitted. */
  forgetRememberedApproval(p: { device: string; digest?: string }): Promise<void>;

  listTerminals(): Promise<TerminalInfo[]>;
  openTerminal(p: { cols: number; rows: number; cwd?: string }): Promise<TerminalInfo>;
  terminalInput(p: { id: string; data: string }): Promise<void>;
  resizeTerminal(p: { id: string; cols: number; rows: number }): Promise<void>;
  closeTerminal(p: { id: string }): Promise<void>;
  terminalSnapshot(p: { id: string }): Promise<TerminalSnapshot>;

  /** Newest first. */
  listAudit(p: { before?: number; limit?: number }): Promise<AuditEntry[]>;

  getSettings(): Promise<Settings>;
  updateSettings(p: Partial<Settings>): Promise<Settings>;

  /** Hands one shared-document message of this UI's replica to the hub; answers come as `doc.message` events. */
  docMessage(p: DocMessage): Promise<void>;

  /** Subscribe to a hub event; returns the unsubscribe function. Not a remote call. */
  on<K extends HubEventName>(event: K, listener: (payload: HubEvents[K]) => void): Unsubscribe;
}

/** Names of the remote calls: everything in HubApi except `on`. */
export type HubMethod = Exclude<keyof HubApi, "on">;
export type HubParams<M extends HubMethod> = Parameters<HubApi[M]> extends [infer P] ? P : undefined;
export type HubResult<M extends HubMethod> = Awaited<ReturnType<HubApi[M]>>;

/**
 * The whitelist both transports dispatch from. The record type makes the
 * compiler refuse a missing or extra name, so it cannot drift from HubApi.
 */
const METHOD_SET: Record<HubMethod, true> = {
  getStatus: true,
  setup: true,
  startPairing: true,
  cancelPairing: true,
  answerPairing: true,
  listDevices: true,
  renameDevice: true,
  revokeDevice: true,
  setDeviceCaps: true,
  setDevicePolicy: true,
  listConversations: true,
  listMessages: true,
  sendMessage: true,
  searchMessages: true,
  listTasks: true,
  runTask: true,
  approveTask: true,
  getTask: true,
  cancelTask: true,
  escalateTask: true,
  listWorkspaceGrants: true,
  grantWorkspace: true,
  revokeWorkspace: true,
  listRememberedApprovals: true,
  forgetRememberedApproval: true,
  listTerminals: true,
  openTerminal: true,
  terminalInput: true,
  resizeTerminal: true,
  closeTerminal: true,
  terminalSnapshot: true,
  listAudit: true,
  getSettings: true,
  updateSettings: true,
  docMessage: true,
};
export const HUB_METHODS = Object.keys(METHOD_SET) as readonly HubMethod[];

export function isHubMethod(name: unknown): name is HubMethod {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(METHOD_SET, name);
}

export function isHubEvent(name: unknown): name is HubEventName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(EVENT_SET, name);
}

/** Error codes a call can fail with, on either transport. */
export type HubErrorCode = "unknown_method" | "bad_params" | "not_found" | "forbidden" | "conflict" | "not_ready" | "internal";
export const HUB_ERROR_CODES = [
  "unknown_method",
  "bad_params",
  "not_found",
  "forbidden",
  "conflict",
  "not_ready",
  "internal",
] as const satisfies readonly HubErrorCode[];

/** The outcome of one call as it crosses a transport (IPC or bridge). */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; code: HubErrorCode; message: string };

/**
 * Web-mode bridge wire format (one JSON object per WebSocket text message).
 * The first client message MUST be `auth`; calls before it close the socket.
 */
export type BridgeClientMessage =
  | { type: "auth"; token: string }
  | { type: "call"; id: number; method: HubMethod; params?: unknown };
export type BridgeServerMessage =
  | { type: "ready" }
  | ({ type: "reply"; id: number } & CallOutcome)
  | { type: "event"; event: HubEventName; payload: unknown };

/** Close codes of the web-mode bridge socket. */
export const BridgeClose = {
  /** Missing, malformed or wrong session token. */
  BAD_TOKEN: 4401,
  /** No auth message in time. */
  AUTH_TIMEOUT: 4408,
  /** A message that is not valid bridge JSON, or a call before auth. */
  PROTOCOL_ERROR: 4400,
  /** The hub is shutting down. */
  GOING_AWAY: 1001,
} as const;

/**
 * What a failed call rejects with on the renderer side. Over Electron's
 * contextBridge only `message` survives, so the UI must not rely on `code`.
 */
export class HubRequestError extends Error {
  override readonly name = "HubRequestError";
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a transport's `CallOutcome` back into a result or a thrown HubRequestError. */
export function unwrapOutcome(outcome: CallOutcome): unknown {
  if (outcome.ok) return outcome.result;
  throw new HubRequestError(outcome.code, outcome.message);
}
