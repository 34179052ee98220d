/** The hub's shared documents (Yjs), synced with paired devices (docs/notes.md). */
export { NotesService, type NotesSendTo, type NotesServiceOptions } from "./notes-service";
export { NotesStore, type NotesTables } from "./notes-store";
export { NOTES_DEFAULTS, type NotesSettings } from "./notes-settings";
export { LOCAL_ORIGIN, LocalPad, type PadChange } from "./local-pad";
export { type HubNotesDeps, startHubNotes } from "./hub-notes";
