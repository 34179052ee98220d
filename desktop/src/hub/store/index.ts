/** The hub's local store: one SQLite file, opened with `openStore`. */
export { openStore, type OpenStoreArgs, type Store } from "./open-store";
export { StoreError, type StoreErrorCode } from "./store-error";
export { STORE_DEFAULTS, type StoreOptions } from "./store-options";
export { DEFAULT_CONVERSATION, MESSAGE_ROWS_PER_INSERT, type NewMessage } from "./messages-repo";
export type { NewDevice } from "./devices-repo";
export { APPROVALS_MODES, type ApprovalsMode, type SettingKey, type Settings } from "./settings-schema";
export { buildFtsQuery } from "./fts-query";
export { createIdGenerator, type IdGenerator } from "./ids";
export type { Migration } from "./migrations";
export * from "./types";
export type { AuditRepo } from "./audit-repo";
export type { DevicesRepo } from "./devices-repo";
export type { MessagesRepo } from "./messages-repo";
export type { OutboxRepo } from "./outbox-repo";
export type { RememberedApprovalsRepo } from "./remembered-approvals-repo";
export type { SeenFramesRepo } from "./seen-frames-repo";
export type { SettingsRepo } from "./settings-repo";
export type { TasksRepo } from "./tasks-repo";
