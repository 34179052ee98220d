import type { NotesPadWords } from "@neural-link/ui/notes";

/** The notes pad's status line in the desktop UI: the hub on this machine is the home copy. */
export const HUB_PAD_WORDS: NotesPadWords = {
  offline: "Not connected to the hub: your edits are kept in this window and merged when it is back.",
  synced: "Saved on this desktop; phones get changes as they connect.",
  syncing: "Loading…",
};
