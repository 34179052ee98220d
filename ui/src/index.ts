// React pieces shown by both apps (desktop renderer and phone). They import
// `@neural-link/shared` and React only; `shared` never imports this package.
export {
  type EditableDoc,
  NOTES_PAD_TEST_IDS,
  NotesPad,
  type NotesPadWords,
  type NotesSource,
  useNotesDoc,
} from "./notes";
export { browserLog, logFailure } from "./log";
export { ReasonsInline, ReasonText, reasonParts, type ReasonPart } from "./reason-text";
