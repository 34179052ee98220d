import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { colourFor, type Editor, listEditors, setLocalCursor } from "./awareness-state";
import { notesText } from "./drafts";
import { DocSyncError } from "./errors";
import type { DocName, NotesType } from "./messages";
import { DocSyncSession } from "./session";
import type { SyncSettings } from "./settings";
import { applyTextValue } from "./text-binding";

/**
 * What a replica needs from the link to the hub. `online` means that messages
 * can reach the hub now; `epoch` changes on every fresh connection, so that
 * the replica re-runs the sync after a gap.
 */
export interface DocLink {
  send(t: NotesType, d: unknown, qos: 0 | 1): void;
  onMessage(listener: (t: NotesType, d: unknown) => void): () => void;
  state(): { online: boolean; epoch: number };
  onState(listener: (state: { online: boolean; epoch: number }) => void): () => void;
}

/** What an editor view shows; a new object on every change (for React's useSyncExternalStore). */
export interface ReplicaState {
  text: string;
  editors: Editor[];
  /** Messages reach the hub now: edits go out live. */
  online: boolean;
  /** The hub's copy has arrived since the last (re)connection. */
  synced: boolean;
  /** The last problem, in words. */
  error: string | null;
}

export interface DocReplicaOptions {
  name: DocName;
  link: DocLink;
  /** How this editor appears to the others. */
  user: { name: string; device: string; colour?: string };
  settings?: Partial<SyncSettings>;
}

/** Transaction origin of edits made through `setText`. */
export const REPLICA_ORIGIN = Symbol("replica");

/**
 * A device's copy of one hub document (a phone's, or the desktop UI's): a
 * Y.Doc that can be edited at any time, synced with the hub whenever the
 * link is online. Each (re)connection runs a fresh client `DocSyncSession`,
 * whose step 1 / step 2 exchange hands over what either side wrote meanwhile.
 * Load any saved state into `doc` before `start()`.
 */
export class DocReplica {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  private session: DocSyncSession | null = null;
  private sessionEpoch = -1;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private state: ReplicaState = { text: "", editors: [], online: false, synced: false, error: null };

  constructor(private readonly options: DocReplicaOptions) {}

  get text(): Y.Text {
    return notesText(this.doc);
  }

  getState = (): ReplicaState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Takes an editor's new value (one input event) as Y.Text ops. */
  setText(value: string): void {
    applyTextValue(this.text, value, REPLICA_ORIGIN);
  }

  /** Publishes where this editor's cursor is (`null` on blur). */
  setCursor(sel: { anchor: number; head: number } | null): void {
    setLocalCursor(this.awareness, this.text, sel);
  }

  /** Reports a problem found outside the sync (a cache that could not be read). */
  reportError(error: string): void {
    this.update({ error });
  }

  start(): void {
    const { user, link } = this.options;
    this.awareness.setLocalState({
      user: { name: user.name, colour: user.colour ?? colourFor(user.device), device: user.device },
      cursor: null,
    });
    // Editors' cursors are resolved to indexes, which move when the text changes.
    const onText = () => this.update({ text: this.text.toString(), editors: listEditors(this.awareness, this.text) });
    const onAwareness = () => this.update({ editors: listEditors(this.awareness, this.text) });
    this.text.observe(onText);
    this.awareness.on("change", onAwareness);
    this.offs.push(
      () => this.text.unobserve(onText),
      () => this.awareness.off("change", onAwareness),
      link.onMessage((t, d) => this.receive(t, d)),
      link.onState((s) => this.follow(s)),
    );
    this.update({ text: this.text.toString(), editors: listEditors(this.awareness, this.text) });
    this.follow(link.state());
  }

  /** Says goodbye to the other editors and stops syncing. The Y.Doc stays readable until `destroy()`. */
  close(): void {
    this.awareness.setLocalState(null);
    for (const off of this.offs.splice(0)) off();
    this.stopSession();
  }

  destroy(): void {
    this.close();
    this.awareness.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  /** Online with a new epoch: a fresh session. Offline: none (edits wait in the document). */
  private follow(s: { online: boolean; epoch: number }): void {
    if (!s.online) {
      this.stopSession();
      this.update({ online: false, synced: false });
      return;
    }
    if (this.session && this.sessionEpoch === s.epoch) return;
    this.stopSession();
    this.sessionEpoch = s.epoch;
    const session = new DocSyncSession({
      name: this.options.name,
      doc: this.doc,
      awareness: this.awareness,
      role: "client",
      send: this.options.link.send,
      ...(this.options.settings ? { settings: this.options.settings } : {}),
    });
    session.onSynced(() => this.update({ synced: true, error: null }));
    session.onPeerError((e) =>
      this.update({
        error:
          e.code === "forbidden"
            ? "This device may not edit shared documents."
            : `The desktop refused a change (${e.code}).`,
      }),
    );
    this.session = session;
    this.update({ online: true, synced: false });
    session.start();
  }

  private receive(t: NotesType, d: unknown): void {
    // Other documents of the same hub share the link; each replica takes its own.
    if (typeof d !== "object" || d === null || (d as { doc?: unknown }).doc !== this.options.name) return;
    try {
      this.session?.receive(t, d);
    } catch (err) {
      this.update({
        error:
          err instanceof DocSyncError ? `A document message was refused (${err.code}).` : "A document message failed.",
      });
    }
  }

  private stopSession(): void {
    this.session?.close();
    this.session = null;
    this.sessionEpoch = -1;
  }

  private update(patch: Partial<ReplicaState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
