import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { AwarenessLink } from "./awareness-link";
import { ChunkAssembler, splitIntoChunks } from "./chunking";
import { decodeSyncMessage, encodeStep1, encodeStep2, encodeUpdateMessage, type SyncMessage } from "./codec";
import { DocSyncError } from "./errors";
import {
  type NotesErrorData,
  notesAwarenessSchema,
  notesErrorSchema,
  type NotesSend,
  notesSyncSchema,
  NotesType,
} from "./messages";
import { SYNC_DEFAULTS, type SyncSettings } from "./settings";
import { applyCheckedUpdate } from "./update-check";

export interface DocSyncSessionOptions {
  /** The document's wire name (`notes`, `drafts`). */
  name: string;
  doc: Y.Doc;
  /** Shared presence of this document's editors; omit to sync content only. */
  awareness?: Awareness;
  send: NotesSend;
  /**
   * `client` (a phone) opens with sync step 1. `server` (the hub) waits, and
   * answers every step 1 with step 2 followed by its own step 1, so that a
   * returning phone both catches up and hands over what it wrote offline.
   */
  role: "client" | "server";
  settings?: Partial<SyncSettings>;
  now?: () => number;
  /**
   * Applies a peer's update. Defaults to `applyCheckedUpdate`; the hub passes
   * its own, which also persists the update or rolls the document back.
   */
  apply?: (update: Uint8Array, origin: unknown) => void;
}

type SyncedListener = () => void;
type PeerErrorListener = (error: NotesErrorData) => void;

/**
 * The Yjs sync protocol between this side's copy of one document and one
 * peer, over an abstract `send` port (no I/O here). Peer updates are applied
 * with this session as transaction origin, so they are not echoed back, while
 * every other update of the document (local edits, other peers' updates) is
 * forwarded to this peer as qos 1. Awareness travels as qos 0.
 *
 * @example
 * const s = new DocSyncSession({ name: "notes", doc, awareness, role: "client", send: (t, d, qos) => link.send(t, d,
 * qos) });
 * s.start(); // then feed every notes.* message from the peer: s.receive(t, d)
 */
export class DocSyncSession {
  readonly name: string;
  private readonly settings: SyncSettings;
  private readonly assembler: ChunkAssembler;
  private readonly apply: (update: Uint8Array, origin: unknown) => void;
  private readonly awareness: AwarenessLink | null;
  private readonly syncedListeners = new Set<SyncedListener>();
  private readonly peerErrorListeners = new Set<PeerErrorListener>();
  private started = false;
  private closed = false;
  private syncedOnce = false;

  constructor(private readonly options: DocSyncSessionOptions) {
    this.name = options.name;
    this.settings = { ...SYNC_DEFAULTS, ...options.settings };
    this.assembler = new ChunkAssembler(this.settings, options.now ?? Date.now);
    this.apply = options.apply ?? ((update, origin) => applyCheckedUpdate(options.doc, update, origin));
    this.awareness = options.awareness
      ? new AwarenessLink(
          options.awareness,
          this,
          (update) => this.options.send(NotesType.AWARENESS, { doc: this.name, data: b64uEncode(update) }, 0),
          this.settings.maxAwarenessBytes,
        )
      : null;
  }

  /** True once the peer's step 2 has been applied: this side has everything the peer had. */
  get synced(): boolean {
    return this.syncedOnce;
  }

  /** Starts forwarding updates and awareness; a client also opens with step 1. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.options.doc.on("update", this.onDocUpdate);
    if (this.options.role === "client") this.requestSync();
    this.awareness?.start();
  }

  /** Sends step 1: asks the peer for whatever this side lacks (the peer answers with step 2). */
  requestSync(): void {
    this.sendSync(encodeStep1(this.options.doc));
  }

  /**
   * Handles one message from the peer. Throws `DocSyncError` for a message
   * that is refused; the document is unchanged by a refused update.
   */
  receive(t: NotesType, d: unknown): void {
    if (this.closed) return;
    switch (t) {
      case NotesType.SYNC:
        return this.receiveSync(d);
      case NotesType.AWARENESS:
        return this.receiveAwareness(d);
      case NotesType.ERROR:
        return this.receiveError(d);
      default: {
        const never: never = t;
        throw new DocSyncError("bad_message", `not a document message type: ${String(never)}`);
      }
    }
  }

  onSynced(listener: SyncedListener): () => void {
    this.syncedListeners.add(listener);
    return () => this.syncedListeners.delete(listener);
  }

  /** The peer (the hub) refused one of our messages. */
  onPeerError(listener: PeerErrorListener): () => void {
    this.peerErrorListeners.add(listener);
    return () => this.peerErrorListeners.delete(listener);
  }

  /** Stops forwarding, forgets half-received chunks, and removes the peer's editors from awareness. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.doc.off("update", this.onDocUpdate);
    this.awareness?.stop();
    this.assembler.clear();
    this.syncedListeners.clear();
    this.peerErrorListeners.clear();
  }

  private receiveSync(d: unknown): void {
    const msg = notesSyncSchema.safeParse(d);
    if (!msg.success) throw new DocSyncError("bad_message", "notes.sync data does not fit its schema");
    this.checkDoc(msg.data.doc);
    let bytes: Uint8Array | null = decodeData(msg.data.data);
    if (msg.data.chunk) bytes = this.assembler.add({ ...msg.data.chunk, bytes });
    if (!bytes) return;
    if (bytes.length > this.settings.maxMessageBytes)
      throw new DocSyncError("too_large", "sync message over the size limit");
    this.handleSync(decodeSyncMessage(bytes));
  }

  private handleSync(msg: SyncMessage): void {
    switch (msg.kind) {
      case "step1": {
        // A step 1 opens a new session on the peer's side. Frames from one sender
        // arrive in order, so pieces of its earlier messages that were going to
        // arrive have arrived: what is still half-received never will be.
        this.assembler.clear();
        let reply: Uint8Array;
        try {
          reply = encodeStep2(this.options.doc, msg.stateVector);
        } catch (err) {
          throw new DocSyncError("bad_message", "step 1 holds a malformed state vector", { cause: err });
        }
        this.sendSync(reply);
        if (this.options.role === "server") this.requestSync();
        return;
      }
      case "step2":
        this.apply(msg.update, this);
        this.syncedOnce = true;
        for (const l of [...this.syncedListeners]) l();
        return;
      case "update":
        this.apply(msg.update, this);
        return;
      default: {
        const never: never = msg;
        throw new DocSyncError("bad_message", `unhandled sync message ${String(never)}`);
      }
    }
  }

  private receiveAwareness(d: unknown): void {
    const msg = notesAwarenessSchema.safeParse(d);
    if (!msg.success) throw new DocSyncError("bad_message", "notes.awareness data does not fit its schema");
    this.checkDoc(msg.data.doc);
    this.awareness?.receive(decodeData(msg.data.data));
  }

  private receiveError(d: unknown): void {
    const msg = notesErrorSchema.safeParse(d);
    if (!msg.success) throw new DocSyncError("bad_message", "notes.error data does not fit its schema");
    if (msg.data.doc !== this.name) return;
    for (const l of [...this.peerErrorListeners]) l(msg.data);
  }

  private checkDoc(doc: string): void {
    if (doc !== this.name)
      throw new DocSyncError("unknown_doc", `message for ${doc} reached the session of ${this.name}`);
  }

  private sendSync(bytes: Uint8Array): void {
    const chunks = splitIntoChunks(bytes, this.settings.chunkBytes);
    if (!chunks) {
      this.options.send(NotesType.SYNC, { doc: this.name, data: b64uEncode(bytes) }, 1);
      return;
    }
    for (const c of chunks)
      this.options.send(
        NotesType.SYNC,
        { doc: this.name, data: b64uEncode(c.bytes), chunk: { id: c.id, i: c.i, n: c.n } },
        1,
      );
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.closed) return;
    this.sendSync(encodeUpdateMessage(update));
  };
}

function decodeData(text: string): Uint8Array {
  try {
    return b64uDecode(text);
  } catch (err) {
    throw new DocSyncError("bad_message", "data is not canonical base64url", { cause: err });
  }
}
