import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * Web Push (docs/hub.md, "Push notifications"): the hub's VAPID key pair (one
 * row, made on first need; the private key never leaves this file), and one
 * row per paired device with its push subscription (NULL when it has none)
 * and which kinds of notification it wants. Settings outlive a subscription,
 * so turning notifications off and on again keeps them.
 */
export const migration008: Migration = {
  version: 8,
  name: "push",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE push_vapid (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        public_key TEXT NOT NULL,
        private_key TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE TABLE push_devices (
        device_id TEXT PRIMARY KEY,
        endpoint TEXT,
        p256dh TEXT,
        auth TEXT,
        approval INTEGER NOT NULL DEFAULT 1 CHECK (approval IN (0, 1)),
        task INTEGER NOT NULL DEFAULT 1 CHECK (task IN (0, 1)),
        message INTEGER NOT NULL DEFAULT 1 CHECK (message IN (0, 1)),
        updated_at INTEGER NOT NULL,
        CHECK ((endpoint IS NULL) = (p256dh IS NULL) AND (endpoint IS NULL) = (auth IS NULL))
      ) STRICT, WITHOUT ROWID`,
    ]),
};
