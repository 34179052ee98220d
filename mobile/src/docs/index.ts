/** The phone's shared documents (docs/documents.md): mount `NotesPad` with `usePhoneDoc`. */
export { DocCache } from "./doc-cache";
export { type DocLink, docLinkFrom } from "./doc-link";
export { PHONE_DOCS_SETTINGS } from "./docs-settings";
export { type EditableDoc, NOTES_PAD_TEST_IDS, NotesPad } from "./NotesPad";
export { PhoneDoc, type PhoneDocOptions, type PhoneDocState } from "./phone-doc";
export { usePhoneDoc } from "./use-phone-doc";
