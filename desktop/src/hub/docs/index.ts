/** The hub's shared documents (Yjs), synced with paired devices (docs/documents.md). */
export { DocService, type DocSendTo, type DocServiceOptions } from "./doc-service";
export { DocStore, type DocsTables } from "./doc-store";
export { DOCS_DEFAULTS, type DocsSettings } from "./docs-settings";
export { LOCAL_ORIGIN, LocalPad, type PadChange } from "./local-pad";
export { type HubDocsDeps, startHubDocs } from "./hub-docs";
