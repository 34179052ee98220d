import { sql, type Kysely } from "kysely";
import type { Logger } from "pino";
import type { Migration } from "./migrations";
import type { Database } from "./schema";
import { StoreError } from "./store-error";

/**
 * Brings the schema up to date. Each pending migration runs in its own
 * `BEGIN IMMEDIATE` transaction together with the row that records it, so a crash
 * leaves the database at a whole step, and two processes opening the same file at
 * once cannot both apply a step. Known migrations missing from the database are
 * applied in ascending order even when a higher number is present: number ranges
 * are reserved per feature (001-049 store core, 050+ Yjs documents), so steps of
 * different ranges are independent. A database holding a version this build does
 * not know was written by a newer build and is refused.
 *
 * @returns the versions applied by this call.
 */
export async function migrate(
  db: Kysely<Database>,
  migrations: readonly Migration[],
  ctx: { now: () => number; log: Logger },
): Promise<number[]> {
  checkList(migrations);
  const known = new Set(migrations.map((m) => m.version));
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`.execute(db);

  const appliedRows = await db.selectFrom("schema_migrations").select("version").orderBy("version").execute();
  const unknown = appliedRows.map((r) => r.version).filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new StoreError(
      "newer_version",
      `the database was written by a newer version of Neural Link (unknown migrations ${unknown.join(", ")}); update this app, or open another data directory`,
    );
  }

  const applied: number[] = [];
  for (const m of migrations) {
    if (await applyOne(db, m, ctx.now)) {
      applied.push(m.version);
      ctx.log.info({ version: m.version, name: m.name }, "migration applied");
    }
  }
  return applied;
}

async function applyOne(db: Kysely<Database>, m: Migration, now: () => number): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    // From here on every failure must roll back before the connection is released.
    try {
      // Checked inside the write lock: another process may have applied it meanwhile.
      const done = await conn
        .selectFrom("schema_migrations")
        .select("version")
        .where("version", "=", m.version)
        .executeTakeFirst();
      if (done) {
        await sql`ROLLBACK`.execute(conn);
        return false;
      }
      // Migrations are written against no particular schema: they create it.
      await m.up(conn as unknown as Kysely<unknown>);
      await conn
        .insertInto("schema_migrations")
        .values({ version: m.version, name: m.name, applied_at: now() })
        .execute();
      await sql`COMMIT`.execute(conn);
      return true;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn);
      if (err instanceof StoreError) throw err;
      throw new StoreError(
        "migration_failed",
        `migration ${m.version} (${m.name}) failed: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
  });
}

/** The list is code, so a mistake in it is a programming error caught by every test run. */
function checkList(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) {
      throw new StoreError("invalid", `migration list is not strictly ascending at version ${migrations[i]!.version}`);
    }
  }
}
