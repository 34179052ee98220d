import type { Kysely, RawBuilder } from "kysely";

/**
 * One schema step. `version` is the number in the file name (001-049: the store
 * core; 050+: the Yjs documents feature). A landed migration is never edited:
 * change the schema by adding the next file and one line in `index.ts`.
 */
export interface Migration {
  version: number;
  name: string;
  /** Runs inside the migrator's transaction; it must not commit or roll back itself. */
  up(db: Kysely<unknown>): Promise<void>;
}

/** Runs statements one by one: SQLite prepares one statement at a time. */
export async function runStatements(db: Kysely<unknown>, statements: RawBuilder<unknown>[]): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
