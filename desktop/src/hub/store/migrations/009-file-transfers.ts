import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * File transfers (docs/hub.md, "Files"): one row per upload (phone → desktop)
 * or download (desktop → phone). `received` is what the receiver held when the
 * row was last written; an upload's partial bytes are in `part_path`, a hidden
 * name in the landing folder, renamed to `path` once the sum matched.
 */
export const migration009: Migration = {
  version: 9,
  name: "file-transfers",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE file_transfers (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
        name TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
        state TEXT NOT NULL CHECK (state IN ('receiving', 'sending', 'done', 'failed', 'cancelled')),
        path TEXT,
        part_path TEXT,
        dest_dir TEXT,
        sha256 TEXT,
        error TEXT,
        task_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE INDEX file_transfers_by_time ON file_transfers (created_at DESC)`,
    ]),
};
