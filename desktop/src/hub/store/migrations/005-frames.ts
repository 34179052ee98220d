import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/** The outbox of unacknowledged frames and the remembered ids of accepted frames (docs/protocol.md section 8). */
export const migration005: Migration = {
  version: 5,
  name: "frames",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        to_device TEXT NOT NULL,
        body TEXT NOT NULL,
        qos INTEGER NOT NULL CHECK (qos IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE TABLE seen_frames (
        from_device TEXT NOT NULL,
        frame_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (from_device, frame_id)
      ) STRICT, WITHOUT ROWID`,
      sql`CREATE INDEX seen_frames_by_expiry ON seen_frames (expires_at)`,
    ]),
};
