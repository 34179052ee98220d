/** The events the hub pushes to a desktop UI, and the names both transports accept. */
import type { FileTransfer } from "@neural-link/shared/app";
import type { AuditEntry, DeviceInfo, HubStatus, PairingDone, PairingRequest, WorkspaceGrant } from "./hub-records";
import type { NotesMessage, Message, Task } from "./work-records";

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
  /**
   * The pty's size changed; `by` holds it (the viewer that typed last: docs/protocol.md section 11, "Terminal size").
   */
  "terminal.resized": { id: string; cols: number; rows: number; by: string };
  audit: AuditEntry;
  /** A device's workspace grants after a grant or revoke. */
  workspace: { device: string; grants: WorkspaceGrant[] };
  /** A shared-document message from the hub to this UI's document replica. */
  "notes.message": NotesMessage;
  /** A file transfer began, ended or failed (progress is read with listFileTransfers). */
  "file.transfer": FileTransfer;
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
  "terminal.resized": true,
  audit: true,
  workspace: true,
  "notes.message": true,
  "file.transfer": true,
};
export const HUB_EVENTS = Object.keys(EVENT_SET) as readonly HubEventName[];

export type Unsubscribe = () => void;

export function isHubEvent(name: unknown): name is HubEventName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(EVENT_SET, name);
}
