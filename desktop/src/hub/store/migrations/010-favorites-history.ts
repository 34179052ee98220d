import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * Saved commands and the history of commands run (docs/protocol.md section
 * 11, "Saved commands and history"). Both belong to the hub, not to a phone:
 * every device of the user sees the same ones. One row per distinct command
 * text and folder; `cwd` is '' for "the desktop's default folder" so that the
 * UNIQUE constraint holds (NULLs never collide in SQLite).
 */
export const migration010: Migration = {
  version: 10,
  name: "favorites-history",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE favorites (
        id TEXT PRIMARY KEY,
        command TEXT NOT NULL CHECK (length(command) > 0),
        cwd TEXT NOT NULL DEFAULT '',
        label TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (command, cwd)
      ) STRICT`,
      sql`CREATE TABLE command_history (
        id TEXT PRIMARY KEY,
        command TEXT NOT NULL CHECK (length(command) > 0),
        cwd TEXT NOT NULL DEFAULT '',
        runs INTEGER NOT NULL CHECK (runs > 0),
        last_run_at INTEGER NOT NULL,
        last_task TEXT,
        last_by TEXT NOT NULL,
        UNIQUE (command, cwd)
      ) STRICT`,
      sql`CREATE INDEX command_history_by_last_run ON command_history (last_run_at DESC, id DESC)`,
    ]),
};
