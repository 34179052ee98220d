import { checkUpdate, DocSyncError } from "@neural-link/shared/sync";
import type { Logger } from "pino";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { NotesStore, PendingStats } from "./notes-store";
import type { NotesSettings } from "./notes-settings";

/** Transaction origin of updates read back from the store: they are not persisted again. */
const FROM_STORE = Symbol("from-store");

/**
 * One document held in memory by the hub, backed by its SQLite rows. Local
 * edits are appended as they happen (from Yjs `update` events); a peer's
 * update is checked, applied, and then appended as received, so that an
 * update Yjs keeps pending for missing dependencies is not lost on restart.
 * Writes are serialised in one promise chain; `flush()` waits for them.
 */
export class LiveDoc {
  doc: Y.Doc;
  awareness: Awareness;
  private writes: Promise<void> = Promise.resolve();
  private pending: PendingStats;
  private applyingRemote = false;
  private remoteChanged = false;
  private readonly replacedListeners = new Set<() => void>();
  /** Set when a peer's update broke the live document; the owner must `reload()`. */
  broken = false;

  private constructor(
    readonly name: string,
    private readonly store: NotesStore,
    private readonly settings: Pick<NotesSettings, "compactAfterRows" | "compactAfterBytes">,
    private readonly log: Logger,
    loaded: { doc: Y.Doc; pending: PendingStats },
  ) {
    this.doc = loaded.doc;
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null); // the desktop shows up as an editor only while its pad is open
    this.pending = loaded.pending;
    this.doc.on("update", this.onUpdate);
  }

  static async open(name: string, store: NotesStore, settings: NotesSettings, log: Logger): Promise<LiveDoc> {
    const live = new LiveDoc(name, store, settings, log, await LiveDoc.read(name, store, log));
    live.maybeCompact();
    await live.flush();
    return live;
  }

  /** Builds the document from its snapshot and rows. A row Yjs cannot read is skipped, not fatal. */
  private static async read(
    name: string,
    store: NotesStore,
    log: Logger,
  ): Promise<{ doc: Y.Doc; pending: PendingStats }> {
    const stored = await store.load(name);
    const doc = new Y.Doc();
    const parts = stored.snapshot
      ? [stored.snapshot, ...stored.updates.map((u) => u.data)]
      : stored.updates.map((u) => u.data);
    for (const part of parts) {
      try {
        Y.applyUpdate(doc, part, FROM_STORE);
      } catch (err) {
        log.error({ doc: name, err: String(err) }, "skipped a stored update that does not apply");
      }
    }
    return {
      doc,
      pending: { rows: stored.updates.length, bytes: stored.updates.reduce((n, u) => n + u.data.length, 0) },
    };
  }

  /**
   * Applies a peer's update: refused unless it applies cleanly to a scratch
   * document; then applied here and appended to the store. Throws
   * `DocSyncError("bad_update")`; if the live apply itself failed, the caller
   * must `reload()` (the document may hold part of the update, which is never stored).
   */
  applyRemote(update: Uint8Array, origin: unknown): void {
    checkUpdate(update);
    this.applyingRemote = true;
    this.remoteChanged = false;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (err) {
      this.broken = true;
      throw new DocSyncError("bad_update", "update failed to apply to the document", { cause: err });
    } finally {
      this.applyingRemote = false;
    }
    const { pendingStructs, pendingDs } = this.doc.store;
    // A repeat of what we have changes nothing and is not worth a row.
    if (this.remoteChanged || pendingStructs || pendingDs) this.persist(update);
  }

  /** Replaces the in-memory document with what the store holds (after a failed live apply). */
  async reload(): Promise<void> {
    await this.flush();
    const loaded = await LiveDoc.read(this.name, this.store, this.log);
    this.doc.off("update", this.onUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.doc = loaded.doc;
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.pending = loaded.pending;
    this.doc.on("update", this.onUpdate);
    this.broken = false;
    for (const l of [...this.replacedListeners]) l();
  }

  /** Called after `reload()` swapped `doc` and `awareness` for new objects, so that observers re-attach. */
  onReplaced(listener: () => void): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  /** Resolves when every update so far is in the store (and any compaction it caused is done). */
  flush(): Promise<void> {
    return this.writes;
  }

  async close(): Promise<void> {
    await this.flush();
    this.doc.off("update", this.onUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === FROM_STORE) return;
    if (this.applyingRemote) {
      this.remoteChanged = true;
      return;
    }
    this.persist(update);
  };

  private persist(update: Uint8Array): void {
    const copy = update.slice();
    this.pending = { rows: this.pending.rows + 1, bytes: this.pending.bytes + copy.length };
    this.enqueue("append", () => this.store.append(this.name, copy));
    this.maybeCompact();
  }

  private maybeCompact(): void {
    if (this.pending.rows < this.settings.compactAfterRows && this.pending.bytes < this.settings.compactAfterBytes)
      return;
    this.pending = { rows: 0, bytes: 0 };
    this.enqueue("compact", async () => {
      const res = await this.store.compact(this.name);
      this.log.debug({ doc: this.name, rows: res.rows, bytes: res.bytes }, "document compacted");
    });
  }

  private enqueue(what: string, job: () => Promise<void>): void {
    this.writes = this.writes.then(job).catch((err: unknown) => {
      // The document stays correct in memory; a lost append is re-sent by the next sync with a peer.
      this.log.error({ doc: this.name, err: String(err) }, `document ${what} failed`);
    });
  }
}
