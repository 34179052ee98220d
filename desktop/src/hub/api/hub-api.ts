/**
 * `HubApi`: every call a desktop UI makes to the hub core, and the whitelist
 * (`HUB_METHODS`) both transports dispatch from. Implemented by `HubNode`
 * (desktop/src/hub/hub-node.ts).
 */
import type { Capability, Favorite, FileTransfer, HistoryEntry } from "@neural-link/shared/app";
import type { HubEventName, HubEvents, Unsubscribe } from "./events";
import type {
  DeviceInfo,
  DeviceRiskPolicy,
  FileSettingsView,
  AuditEntry,
  HubStatus,
  PairingInvite,
  Settings,
  SetupParams,
  WorkspaceGrant,
  PushSettingsInfo,
} from "./hub-records";
import type {
  ApprovalRemember,
  Conversation,
  NotesMessage,
  Message,
  RememberedApprovalInfo,
  Task,
  TerminalInfo,
  TerminalSnapshot,
} from "./work-records";

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

  /** A device's notifications: whether its phone subscribed, and which kinds it gets. */
  getPushSettings(p: { device: string }): Promise<PushSettingsInfo>;
  /** Turns kinds of notification on or off for a device (its phone shows the same switches). */
  setPushSettings(p: { device: string; events: Partial<PushSettingsInfo["events"]> }): Promise<PushSettingsInfo>;

  /** Approvals remembered "for today" and still in force, every device's. */
  listRememberedApprovals(): Promise<RememberedApprovalInfo[]>;
  /** Forgets one remembered approval, or every one of the device when `digest` is omitted. */
  forgetRememberedApproval(p: { device: string; digest?: string }): Promise<void>;

  /** The hub's saved commands, shared with the phones (docs/protocol.md section 11, "Saved commands and history"). */
  listFavorites(): Promise<Favorite[]>;
  saveFavorite(p: { command: string; cwd?: string; label?: string }): Promise<Favorite>;
  removeFavorite(p: { id: string }): Promise<void>;
  /** Distinct commands run on the hub, the last run first. */
  listCommandHistory(p: { limit?: number }): Promise<HistoryEntry[]>;
  forgetCommandHistory(p: { id: string }): Promise<void>;

  listTerminals(): Promise<TerminalInfo[]>;
  /**
   * `screen`, here and below: an id of the calling window, made once per window. Each window is then its own
   * viewer for the size policy: the pty takes the size of the window that typed last, and two windows at
   * different sizes do not resize it back and forth. Without it all windows count as one.
   */
  openTerminal(p: { cols: number; rows: number; cwd?: string; screen?: string }): Promise<TerminalInfo>;
  terminalInput(p: { id: string; data: string; screen?: string }): Promise<void>;
  /**
   * The size this UI's screen fits; the pty takes it only while this window holds the size, or with `claim`
   * (docs/protocol.md section 11, "Terminal size"). "terminal.resized" and the snapshot's `size.by` name the
   * holder: a device id, "desktop:<screen>" for a window, or "desktop".
   */
  resizeTerminal(p: { id: string; cols: number; rows: number; claim?: boolean; screen?: string }): Promise<void>;
  closeTerminal(p: { id: string }): Promise<void>;
  terminalSnapshot(p: { id: string }): Promise<TerminalSnapshot>;

  /** Newest first. */
  listAudit(p: { before?: number; limit?: number }): Promise<AuditEntry[]>;

  getSettings(): Promise<Settings>;
  updateSettings(p: Partial<Settings>): Promise<Settings>;

  /** Files sent from phones land in `landingDir`; neither direction passes `maxFileBytes`. */
  getFileSettings(): Promise<FileSettingsView>;
  /** An absolute folder (created at the first upload), never in or around the hub's data folder. */
  updateFileSettings(p: Partial<FileSettingsView>): Promise<FileSettingsView>;
  /** Recent transfers of every device, newest first, with live progress. */
  listFileTransfers(): Promise<FileTransfer[]>;

  /** Hands one shared-document message of this UI's replica to the hub; answers come as `notes.message` events. */
  notesMessage(p: NotesMessage): Promise<void>;

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
  getPushSettings: true,
  setPushSettings: true,
  listRememberedApprovals: true,
  forgetRememberedApproval: true,
  listFavorites: true,
  saveFavorite: true,
  removeFavorite: true,
  listCommandHistory: true,
  forgetCommandHistory: true,
  listTerminals: true,
  openTerminal: true,
  terminalInput: true,
  resizeTerminal: true,
  closeTerminal: true,
  terminalSnapshot: true,
  listAudit: true,
  getSettings: true,
  updateSettings: true,
  getFileSettings: true,
  updateFileSettings: true,
  listFileTransfers: true,
  notesMessage: true,
};
export const HUB_METHODS = Object.keys(METHOD_SET) as readonly HubMethod[];

export function isHubMethod(name: unknown): name is HubMethod {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(METHOD_SET, name);
}
