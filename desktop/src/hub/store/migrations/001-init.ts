import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/** Settings and paired devices. STRICT tables so a wrong type is an error, not a silent cast. */
export const migration001: Migration = {
  version: 1,
  name: "init",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID`,
      sql`CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('desktop', 'phone')),
        box_public_key TEXT NOT NULL,
        card TEXT NOT NULL CHECK (json_valid(card)),
        caps TEXT NOT NULL CHECK (json_valid(caps) AND json_type(caps) = 'array'),
        policy TEXT NOT NULL CHECK (json_valid(policy) AND json_type(policy) = 'object'),
        paired_at INTEGER NOT NULL,
        last_seen INTEGER,
        revoked_at INTEGER
      ) STRICT`,
    ]),
};
