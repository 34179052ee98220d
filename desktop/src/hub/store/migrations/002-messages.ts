import { sql } from "kysely";
import { runStatements, type Migration } from "./migration";

/**
 * Conversations and messages with an FTS5 index. The index is an external-content
 * table over `messages` keyed by `seq`, kept in step by triggers, so the text is
 * stored once. `seq` grows with arrival, which lets a search walk the index
 * newest-first (ORDER BY rowid DESC) and stop at the limit instead of ranking
 * every hit. The prefix indexes (2 and 3 characters) let a prefix search stream
 * too (see fts-query.ts).
 */
export const migration002: Migration = {
  version: 2,
  name: "messages",
  up: (db) =>
    runStatements(db, [
      sql`CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
      ) STRICT`,
      sql`CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation TEXT NOT NULL REFERENCES conversations(id),
        sender TEXT NOT NULL,
        ts INTEGER NOT NULL,
        text TEXT NOT NULL
      ) STRICT`,
      sql`CREATE INDEX messages_by_conversation ON messages (conversation, seq)`,
      sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
        text,
        content = 'messages',
        content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      )`,
      sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
      END`,
      sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END`,
      sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
      END`,
    ]),
};
