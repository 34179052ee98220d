import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * Approvals pushed to a phone and not yet answered (docs/hub.md, "Push notifications"):
 * one row per task, naming the device that was asked. Kept on disk so that the
 * "answered" follow-up, which replaces the question on the phone's lock screen,
 * is sent also when the approval is decided after a hub restart.
 */
export const migration011: Migration = {
  version: 11,
  name: "push-asked",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE push_asked (
        task_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        asked_at INTEGER NOT NULL
      ) STRICT`,
    ]),
};
