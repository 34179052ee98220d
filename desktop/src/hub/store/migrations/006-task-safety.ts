import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * What makes a task safe to approve and honest about how it ended (docs/risk-policy.md):
 * its kind (a command, or a terminal session awaiting approval), how it ran (sandbox
 * mode, and what the sandbox blocked), why it ended and who ended it, the task it
 * escalates, when its approval expires, and the digest an approval is bound to. Plus
 * the approvals a user chose to remember for the rest of the day.
 */
export const migration006: Migration = {
  version: 6,
  name: "task-safety",
  up: (db) =>
    runStatements(db, [
      sql`ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'command' CHECK (kind IN ('command', 'terminal'))`,
      sql`ALTER TABLE tasks ADD COLUMN term TEXT`,
      sql`ALTER TABLE tasks ADD COLUMN end_reason TEXT`,
      sql`ALTER TABLE tasks ADD COLUMN ended_by TEXT`,
      sql`ALTER TABLE tasks ADD COLUMN sandbox_mode TEXT`,
      sql`ALTER TABLE tasks ADD COLUMN sandbox_blocked TEXT`,
      sql`ALTER TABLE tasks ADD COLUMN escalated_from TEXT`,
      sql`ALTER TABLE tasks ADD COLUMN approval_expires_at INTEGER`,
      sql`ALTER TABLE tasks ADD COLUMN digest TEXT`,
      sql`CREATE INDEX tasks_by_term ON tasks (term) WHERE term IS NOT NULL`,
      sql`ALTER TABLE task_approvals ADD COLUMN remember INTEGER NOT NULL DEFAULT 0 CHECK (remember IN (0, 1))`,
      sql`CREATE TABLE remembered_approvals (
        device TEXT NOT NULL,
        digest TEXT NOT NULL,
        command TEXT NOT NULL,
        cwd TEXT,
        task_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (device, digest)
      ) STRICT, WITHOUT ROWID`,
      sql`CREATE INDEX remembered_approvals_by_expiry ON remembered_approvals (expires_at)`,
    ]),
};
