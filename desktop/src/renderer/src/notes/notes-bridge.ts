import { type DocLink, isNotesType } from "@neural-link/shared/sync";
import { logFailure } from "@neural-link/ui/log";

/**
 * How the desktop UI reaches the hub's documents: the UI transport (Electron
 * IPC or the loopback bridge) carries `notes.*` messages both ways, plain JSON.
 * The hub side is `NotesService.connectLocal` (docs/notes.md, wiring);
 * with window.hub that is a `notesMessage({t, d})` call and a `notes.message` event.
 */
export interface HubNotesBridge {
  send(message: { t: string; d: unknown }): unknown;
  onMessage(listener: (message: { t: string; d: unknown }) => void): () => void;
  /** Whether the transport is up, if it can drop (the web bridge); assumed up otherwise. */
  connected?(): boolean;
  onConnected?(listener: (connected: boolean) => void): () => void;
}

/**
 * A DocLink over the UI transport. The hub is in the same machine, so "online"
 * is the transport being up; each reconnection is a new epoch (a fresh sync).
 */
export function notesLinkFromBridge(bridge: HubNotesBridge): DocLink {
  let epoch = 1;
  let up = bridge.connected?.() ?? true;
  const state = () => ({ online: up, epoch });
  return {
    send(t, d) {
      // A send lost while the transport is down is repaired by the next sync after it is back: debug only.
      const lost = logFailure("notes message not sent to the hub", { t }, "debug");
      try {
        const r = bridge.send({ t, d });
        if (r instanceof Promise) r.catch(lost);
      } catch (err) {
        lost(err);
      }
    },
    onMessage: (listener) =>
      bridge.onMessage((m) => {
        if (isNotesType(m.t)) listener(m.t, m.d);
      }),
    state,
    onState: (listener) =>
      bridge.onConnected?.((c) => {
        if (c && !up) epoch++;
        up = c;
        listener(state());
      }) ?? (() => {}),
  };
}
