/** The desktop UI's shared notes pad (docs/documents.md): mount `NotesPad` with `useHubDoc`. */
export { docLinkFromBridge, type HubDocBridge } from "./doc-bridge";
export { type EditableDoc, NOTES_PAD_TEST_IDS, NotesPad } from "./NotesPad";
export { useHubDoc } from "./use-hub-doc";
