/** The phone's shared notes (docs/notes.md): mount `NotesPad` (from @neural-link/ui) with `usePhoneNotes`. */
export { NotesCache } from "./notes-cache";
export { type DocLink, notesLinkFrom } from "./notes-link";
export { PHONE_NOTES_SETTINGS } from "./notes-settings";
export { PHONE_PAD_WORDS } from "./pad-words";
export { PhoneNotes, type PhoneNotesOptions, type PhoneNotesState } from "./phone-notes";
export { usePhoneNotes } from "./use-phone-notes";
