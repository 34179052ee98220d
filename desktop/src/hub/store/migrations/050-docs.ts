import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * Yjs documents (docs/documents.md): each update is appended as a row of
 * `doc_updates`; compaction merges a document's rows into its one
 * `doc_snapshots` row and deletes them, in one transaction.
 */
export const migration050: Migration = {
  version: 50,
  name: "docs",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE doc_updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc TEXT NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE INDEX doc_updates_by_doc ON doc_updates (doc, id)`,
      sql`CREATE TABLE doc_snapshots (
        doc TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        merged_rows INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT`,
    ]),
};
