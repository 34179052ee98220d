import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * Workspace grants (docs/risk-policy.md, "Workspace grants"): folders the
 * desktop user made writable inside one device's sandboxed tasks. One row per
 * device and folder; revoking a grant deletes its row (the audit log keeps
 * the history), and so does revoking the device.
 */
export const migration007: Migration = {
  version: 7,
  name: "workspace-grants",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE workspace_grants (
        device_id TEXT NOT NULL,
        path TEXT NOT NULL CHECK (length(path) > 1 AND substr(path, 1, 1) = '/'),
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, path)
      ) STRICT, WITHOUT ROWID`,
    ]),
};
