import type { NotesPadWords } from "@neural-link/ui/notes";

/** The notes pad's status line on the phone: edits wait here while the desktop is away. */
export const PHONE_PAD_WORDS: NotesPadWords = {
  offline: "Offline: your edits are kept on this phone and merged when the desktop is back.",
  synced: "Up to date with the desktop.",
  syncing: "Syncing with the desktop…",
};
