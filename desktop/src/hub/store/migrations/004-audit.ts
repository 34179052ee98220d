import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * The audit log. Append-only is enforced by the database itself: triggers abort
 * every UPDATE and DELETE, so no code path (ours or a future one) can rewrite history.
 */
export const migration004: Migration = {
  version: 4,
  name: "audit",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail))
      ) STRICT`,
      sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END`,
      sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END`,
    ]),
};
