import type { Generated } from "kysely";

/**
 * Row types of every table, as Kysely sees them. Columns hold SQLite's own types:
 * JSON as TEXT, booleans as 0/1, times as integer milliseconds. Each repository
 * maps these rows to the records it hands out.
 */
export interface Database {
  schema_migrations: SchemaMigrationsTable;
  settings: SettingsTable;
  devices: DevicesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  tasks: TasksTable;
  task_states: TaskStatesTable;
  task_approvals: TaskApprovalsTable;
  remembered_approvals: RememberedApprovalsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  seen_frames: SeenFramesTable;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface DevicesTable {
  device_id: string;
  name: string;
  kind: string;
  box_public_key: string;
  card: string;
  caps: string;
  policy: string;
  paired_at: number;
  last_seen: number | null;
  revoked_at: number | null;
}

export interface ConversationsTable {
  id: string;
  created_at: number;
}

export interface MessagesTable {
  /** Integer key shared with the FTS index (content_rowid); grows with arrival. */
  seq: Generated<number>;
  id: string;
  conversation: string;
  sender: string;
  ts: number;
  text: string;
}

export interface TasksTable {
  seq: Generated<number>;
  id: string;
  command: string;
  cwd: string | null;
  risk: string;
  reasons: string;
  state: string;
  requested_by: string;
  timeout_ms: number;
  exit_code: number | null;
  output: Generated<string>;
  started_at: number | null;
  ended_at: number | null;
  created_at: number;
  /** Migration 006: "command" or "terminal". */
  kind: Generated<string>;
  term: string | null;
  end_reason: string | null;
  ended_by: string | null;
  sandbox_mode: string | null;
  sandbox_blocked: string | null;
  escalated_from: string | null;
  approval_expires_at: number | null;
  digest: string | null;
}

export interface TaskStatesTable {
  seq: Generated<number>;
  task_id: string;
  state: string;
  at: number;
}

export interface TaskApprovalsTable {
  seq: Generated<number>;
  task_id: string;
  by: string;
  approve: number;
  at: number;
  /** Migration 006: 1 when the approver chose "approve for the rest of the day". */
  remember: Generated<number>;
}

/** Migration 006: an approval remembered for one device and one digest until `expires_at`. */
export interface RememberedApprovalsTable {
  device: string;
  digest: string;
  command: string;
  cwd: string | null;
  task_id: string;
  created_at: number;
  expires_at: number;
}

export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  to_device: string;
  body: string;
  qos: number;
  created_at: number;
}

export interface SeenFramesTable {
  from_device: string;
  frame_id: string;
  expires_at: number;
}
