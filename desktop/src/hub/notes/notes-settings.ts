import { DOC_NAMES, type DocName, SYNC_DEFAULTS, type SyncSettings } from "@neural-link/shared/sync";

/** Tuning of the hub's documents; every value is a named setting with its default (docs/notes.md). */
export interface NotesSettings {
  /** The documents this hub serves. */
  documents: readonly DocName[];
  /**
   * Compact a document (merge its update rows into its snapshot) once this many
   * rows wait. Bounds the work of opening a document: one snapshot plus at
   * most this many small updates. 500 keystrokes are about 15-30 KiB.
   */
  compactAfterRows: number;
  /** ... or once the waiting rows hold this many bytes (a paste, a phone's offline edits). */
  compactAfterBytes: number;
  /** Sync tuning shared with the phones (chunk size, buffer bounds). */
  sync: SyncSettings;
}

export const NOTES_DEFAULTS: Readonly<NotesSettings> = Object.freeze({
  documents: DOC_NAMES,
  compactAfterRows: 500,
  compactAfterBytes: 1024 * 1024,
  sync: SYNC_DEFAULTS,
});
