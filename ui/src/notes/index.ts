/** The shared notes pad (docs/notes.md): `NotesPad` over a document opened with `useNotesDoc`. */
export { type EditableDoc, NOTES_PAD_TEST_IDS, NotesPad, type NotesPadWords } from "./NotesPad";
export { type NotesSource, useNotesDoc } from "./use-notes-doc";
