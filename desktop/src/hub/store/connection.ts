import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Logger } from "pino";
import { storeErrorFromSqlite } from "./store-error";

/**
 * Opens the SQLite file and sets the pragmas, refusing a file that is not a
 * database or is locked before anything is written to it: the first statement is
 * a read of the schema, which checks the header and takes only a shared lock, so
 * a corrupt or foreign file is never modified (no WAL switch, no journal).
 */
export function openConnection(file: string, busyTimeoutMs: number, log: Logger): BetterSqlite3.Database {
  let db: BetterSqlite3.Database;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    db = new BetterSqlite3(file, { timeout: busyTimeoutMs });
  } catch (err) {
    throw storeErrorFromSqlite(err, file);
  }
  try {
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    // WAL can be refused (e.g. on some network file systems); the store still works, slower.
    if (mode !== "wal") log.warn({ mode }, "WAL journal mode not available");
    db.pragma("synchronous = NORMAL"); // durable across app crashes in WAL mode; an OS crash may lose the last commits
    db.pragma("foreign_keys = ON");
    return db;
  } catch (err) {
    db.close();
    throw storeErrorFromSqlite(err, file);
  }
}
