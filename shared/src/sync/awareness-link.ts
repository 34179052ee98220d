import {
  applyAwarenessUpdate,
  type Awareness,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from "y-protocols/awareness";
import { DocSyncError } from "./errors";

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * The awareness half of a sync session: forwards every change of `awareness`
 * that did not come from this peer, applies the peer's updates with `origin`,
 * and remembers which editors the peer introduced so that they can be
 * removed (and the removal forwarded to everyone else) when the peer leaves.
 */
export class AwarenessLink {
  private readonly peerClients = new Set<number>();

  constructor(
    private readonly awareness: Awareness,
    /** The session: transaction origin of the peer's updates. */
    private readonly origin: object,
    private readonly send: (update: Uint8Array) => void,
    private readonly maxBytes: number,
  ) {}

  /** Starts forwarding, beginning with every state known now. */
  start(): void {
    this.awareness.on("update", this.onUpdate);
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0) this.send(encodeAwarenessUpdate(this.awareness, clients));
  }

  /** Applies the peer's update. Throws `DocSyncError` for one that is too large or malformed. */
  receive(update: Uint8Array): void {
    if (update.length > this.maxBytes) throw new DocSyncError("too_large", "awareness update over the size limit");
    try {
      applyAwarenessUpdate(this.awareness, update, this.origin);
    } catch (err) {
      throw new DocSyncError("bad_message", "awareness update is malformed", { cause: err });
    }
  }

  /** Stops forwarding and removes the peer's editors; the other peers' links forward the removal. */
  stop(): void {
    this.awareness.off("update", this.onUpdate);
    const gone = [...this.peerClients].filter((c) => c !== this.awareness.clientID && this.awareness.states.has(c));
    if (gone.length > 0) removeAwarenessStates(this.awareness, gone, this.origin);
    this.peerClients.clear();
  }

  private readonly onUpdate = (change: AwarenessChange, origin: unknown): void => {
    if (origin === this.origin) {
      for (const c of change.added) this.peerClients.add(c);
      for (const c of change.removed) this.peerClients.delete(c);
      return;
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    if (changed.length > 0) this.send(encodeAwarenessUpdate(this.awareness, changed));
  };
}
