import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/** Tasks, their state history and approvals. */
export const migration003: Migration = {
  version: 3,
  name: "tasks",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE tasks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        command TEXT NOT NULL,
        cwd TEXT,
        risk TEXT NOT NULL CHECK (risk IN ('low', 'high', 'forbidden')),
        reasons TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
        state TEXT NOT NULL CHECK (state IN ('awaiting_approval', 'running', 'done', 'failed', 'rejected', 'timed_out')),
        requested_by TEXT NOT NULL,
        timeout_ms INTEGER NOT NULL CHECK (timeout_ms > 0),
        exit_code INTEGER,
        output TEXT NOT NULL DEFAULT '',
        started_at INTEGER,
        ended_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE INDEX tasks_by_state ON tasks (state)`,
      sql`CREATE TABLE task_states (
        seq INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id),
        state TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE INDEX task_states_by_task ON task_states (task_id, seq)`,
      sql`CREATE TABLE task_approvals (
        seq INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id),
        "by" TEXT NOT NULL,
        approve INTEGER NOT NULL CHECK (approve IN (0, 1)),
        at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE INDEX task_approvals_by_task ON task_approvals (task_id, seq)`,
    ]),
};
