/**
 * The hub's own records as the desktop UI sees them: status and setup,
 * settings, pairing, paired devices with their capabilities and risk
 * overrides, workspace grants and the audit log. Plain JSON, types only
 * (plus one constant list), no Node code: the renderer includes this folder.
 */
import type { Capability, SandboxInfo } from "@neural-link/shared/app";
import type { RiskPolicy } from "@neural-link/shared/policy";

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
 * Empty object: the built-in table alone. The risk policy's own type
 * (shared/src/policy), imported as a type only: this folder loads no policy code.
 */
export type DeviceRiskPolicy = RiskPolicy;

/**
 * What a paired device may do through the hub: the wire capabilities of
 * docs/protocol.md section 11 (`chat`, `tasks`, `approve`, `terminal`, `doc`),
 * defined once in shared. A type-only import, erased at build time, so this
 * file still loads no code at run time (the preload bundle stays small).
 */
export type { Capability };
/** The OS sandbox in force on the hub (`hub.info`): kind, whether it works, and why in words. */
export type { SandboxInfo };

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
  /** The `nlink://pair?...` URI (docs/protocol.md section 10), shown as QR code and as text. */
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

/** A folder made writable inside one device's sandboxed tasks (docs/risk-policy.md, "Workspace grants"). */
export interface WorkspaceGrant {
  device: string;
  /** Absolute, with symlinks resolved. */
  path: string;
  grantedAt: number;
}

/** A device's Web Push state (docs/hub.md, "Push notifications"): a subscription, and the kinds it gets. */
export interface PushSettingsInfo {
  subscribed: boolean;
  events: { approval: boolean; task: boolean; message: boolean };
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

/** Files both ways, the desktop's settings (docs/hub.md, "Files"). */
export interface FileSettingsView {
  /** Where files sent from phones land (default `~/Downloads/Neural Link`). */
  landingDir: string;
  /** Largest file a phone may send or fetch, bytes (default 2 GiB). */
  maxFileBytes: number;
}
