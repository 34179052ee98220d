import { type DocLink, type DocName, DocReplica, type ReplicaState } from "@neural-link/shared/sync";
import type * as Y from "yjs";
import type { KeyValue } from "../storage/kv";
import { CACHE_ORIGIN, NotesCache } from "./notes-cache";
import { PHONE_NOTES_SETTINGS } from "./notes-settings";

export type PhoneNotesState = ReplicaState;

export interface PhoneNotesOptions {
  name: DocName;
  link: DocLink;
  kv: KeyValue;
  /** The paired hub's device id: the cache is kept per hub. */
  hubDevice: string;
  /** How this phone appears to the other editors. */
  user: { name: string; device: string; colour?: string };
  cacheWriteDelayMs?: number;
}

/**
 * A shared document on the phone: the shared `DocReplica` (edit any time,
 * sync whenever online) plus a copy in IndexedDB, so that the pad opens and
 * takes edits without a connection and nothing typed offline is lost when
 * the tab closes.
 */
export class PhoneNotes {
  private readonly replica: DocReplica;
  private readonly cache: NotesCache;
  private readonly offUpdate: () => void;

  private constructor(options: PhoneNotesOptions) {
    this.replica = new DocReplica({ name: options.name, link: options.link, user: options.user });
    this.cache = new NotesCache(
      options.kv,
      NotesCache.keyOf(options.hubDevice, options.name),
      options.cacheWriteDelayMs ?? PHONE_NOTES_SETTINGS.cacheWriteDelayMs,
    );
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      if (origin !== CACHE_ORIGIN) this.cache.schedule(this.replica.doc);
    };
    this.replica.doc.on("update", onUpdate);
    this.offUpdate = () => this.replica.doc.off("update", onUpdate);
  }

  /** Loads the cached copy, then follows the link. */
  static async open(options: PhoneNotesOptions): Promise<PhoneNotes> {
    const pd = new PhoneNotes(options);
    let loadFailed = false;
    try {
      await pd.cache.load(pd.replica.doc);
    } catch {
      loadFailed = true;
    }
    pd.replica.start();
    if (loadFailed)
      pd.replica.reportError("The saved copy of this document could not be read; it will be fetched from the desktop.");
    return pd;
  }

  get text(): Y.Text {
    return this.replica.text;
  }

  getState = (): PhoneNotesState => this.replica.getState();
  subscribe = (listener: () => void): (() => void) => this.replica.subscribe(listener);

  setText(value: string): void {
    this.replica.setText(value);
  }

  setCursor(sel: { anchor: number; head: number } | null): void {
    this.replica.setCursor(sel);
  }

  /** Writes the cache, says goodbye to the other editors, stops syncing. */
  async close(): Promise<void> {
    this.replica.close();
    await this.cache.flush(this.replica.doc);
    this.offUpdate();
    this.replica.destroy();
  }
}
