import * as Y from "yjs";
import type { KeyValue } from "../storage/kv";
import { logFailure } from "@neural-link/ui/log";

/** Transaction origin of state read from the cache: it is not written back. */
export const CACHE_ORIGIN = Symbol("cache");

/**
 * Keeps a document in IndexedDB (y-indexeddb is not used: this is all it
 * would do for us). The whole encoded state is stored under one key per
 * (hub, document), written a moment after the last change.
 */
export class NotesCache {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly kv: KeyValue,
    private readonly key: string,
    private readonly delayMs: number,
  ) {}

  /** Key of a document of one paired hub. */
  static keyOf(hubDevice: string, doc: string): string {
    return `doc:${hubDevice}:${doc}`;
  }

  /** Applies the cached state, if any, to `doc`. A damaged entry is dropped rather than trusted. */
  async load(doc: Y.Doc): Promise<boolean> {
    const stored = await this.kv.get<Uint8Array>(this.key);
    if (!(stored instanceof Uint8Array)) return false;
    try {
      Y.applyUpdate(doc, stored, CACHE_ORIGIN);
      return true;
    } catch {
      await this.kv.del(this.key);
      return false;
    }
  }

  /** Schedules a write of `doc`'s state. */
  schedule(doc: Y.Doc): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write(doc);
    }, this.delayMs);
  }

  /** Writes now if a write is scheduled; resolves when written. */
  async flush(doc: Y.Doc): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.write(doc);
    }
    await this.writing;
  }

  private write(doc: Y.Doc): void {
    const state = Y.encodeStateAsUpdate(doc);
    // Storage full or denied: the document still lives in memory and at the hub; say so in the log.
    this.writing = this.writing
      .then(() => this.kv.set(this.key, state))
      .catch(logFailure("notes not cached on this phone", { key: this.key }));
  }
}
