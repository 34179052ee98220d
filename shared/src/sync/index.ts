// Yjs documents over end-to-end application messages (docs/notes.md).
// Pure: no sockets, no storage; each app wires `DocSyncSession.send` and
// `receive` to its own link.
export {
  colourFor,
  decodeCursor,
  EDITOR_COLOURS,
  type Editor,
  type EditorState,
  editorStateSchema,
  encodeCursor,
  listEditors,
  setLocalCursor,
} from "./awareness-state";
export { type Chunk, ChunkAssembler, splitIntoChunks } from "./chunking";
export { decodeSyncMessage, encodeStep1, encodeStep2, encodeUpdateMessage, type SyncMessage } from "./codec";
export { addDraft, type Draft, draftSchema, draftsArray, notesText, readDrafts } from "./drafts";
export { DocSyncError, type DocSyncErrorCode } from "./errors";
export {
  chunkInfoSchema,
  NOTES_ERROR_CODES,
  DOC_NAMES,
  type NotesAwarenessData,
  type NotesErrorData,
  type NotesMessageData,
  DocName,
  notesAwarenessSchema,
  notesErrorSchema,
  docNameSchema,
  type NotesSend,
  type NotesSyncData,
  notesSyncSchema,
  NotesType,
  isNotesType,
} from "./messages";
export { DocSyncSession, type DocSyncSessionOptions } from "./session";
export { ENVELOPE_HEADROOM_BYTES, maxChunkBytesFor, SYNC_DEFAULTS, type SyncSettings } from "./settings";
export { applyTextValue, diffText, type TextChange } from "./text-binding";
export { applyCheckedUpdate, checkUpdate } from "./update-check";
export { MemoryChannel, type QueuedMessage } from "./memory-channel";
export { type DocLink, DocReplica, type DocReplicaOptions, REPLICA_ORIGIN, type ReplicaState } from "./doc-replica";
