/** The desktop UI's shared notes pad (docs/notes.md): mount `NotesPad` (from @neural-link/ui) with `useHubNotes`. */
export { notesLinkFromBridge, type HubNotesBridge } from "./notes-bridge";
export { HUB_PAD_WORDS } from "./pad-words";
export { useHubNotes } from "./use-hub-notes";
