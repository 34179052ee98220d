import type { MethodName, MethodParams, MethodResult } from "@neural-link/shared/app";

/** Where the connection to the relay stands, as the status bar shows it. */
export type LinkState = "connecting" | "authenticating" | "online" | "offline" | "closed";

export interface LinkStatus {
  state: LinkState;
  /** Whether the chosen desktop is connected to the relay right now (PRESENCE). */
  peerOnline: boolean;
  /** The last problem, in words, if any. */
  error?: string;
  /**
   * Counts the times the link has come (back) online. Views that hold
   * server state which may have moved on meanwhile (the terminal) refetch
   * when it changes.
   */
  epoch: number;
}

/** An end-to-end application message pushed by the hub (task.updated, message.new, term.output, ...). */
export interface Push {
  t: string;
  d: unknown;
}

/** Calls RPC methods on the chosen hub; results are validated against shared `methods`. */
export interface HubCaller {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
}

/**
 * The phone's whole view of one paired desktop. The UI and stores depend on
 * this interface only, so that they are tested without sockets and do not
 * care how the link is built.
 */
export interface SendOptions {
  /**
   * qos 0 only. `false` writes the frame without a `ref` (docs/protocol.md section 9): the relay answers
   * nothing unless it refuses it, so a keystroke or an ack costs one message, not one each way plus a wake-up
   * of the phone for an answer it would not use. Resolves once written; the desktop being away is known from
   * presence instead. Default true.
   */
  confirm?: boolean;
}

export interface HubLink extends HubCaller {
  status(): LinkStatus;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  onPush(listener: (push: Push) => void): () => void;
  /**
   * Sends an application message that is not an RPC call (shared documents'
   * `notes.*` sync, terminal keystrokes and acks). Resolves once the relay took it
   * (qos 1: stored, or queued while offline); rejects if it cannot be sent.
   */
  send(t: string, d: unknown, qos: 0 | 1, opts?: SendOptions): Promise<void>;
  close(): void;
}
