/**
 * Numbered migrations. Once landed a migration is never edited: a change to
 * the schema is a new number. The same SQL runs on PGlite and PostgreSQL.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { StorageError } from "../errors";

export const MIGRATIONS: Record<string, Migration> = {
  "0001_frames_and_grants": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("frames")
        .addColumn("seq", "bigserial", (c) => c.primaryKey())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("sender", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("ts", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();
      // Delivery reads one recipient's frames in accept order; the unique key makes retries idempotent.
      await db.schema.createIndex("frames_recipient_seq").on("frames").columns(["recipient", "seq"]).execute();
      await db.schema
        .createIndex("frames_recipient_sender_id")
        .on("frames")
        .columns(["recipient", "sender", "id"])
        .unique()
        .execute();
      await db.schema.createIndex("frames_expires_at").on("frames").column("expires_at").execute();
      await db.schema
        .createTable("grants")
        .addColumn("granter", "text", (c) => c.notNull())
        .addColumn("grantee", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("grants_pk", ["granter", "grantee"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("grants").execute();
      await db.schema.dropTable("frames").execute();
    },
  },
  "0002_cluster_rendezvous": {
    // Pairing rendezvous shared by the nodes of a cluster (a single relay keeps them in memory).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("rendezvous")
        .addColumn("rendezvous", "text", (c) => c.primaryKey())
        .addColumn("opener", "text", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("requests", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex("rendezvous_opener").on("rendezvous").column("opener").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("rendezvous").execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema to the latest migration; throws StorageError naming the one that failed. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  // Naming the schema matters: Kysely otherwise finds another schema's migration tables and skips creating its own.
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = current.rows[0]?.schema ?? "public";
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined || failed) {
    const why = error instanceof Error ? error.message : String(error ?? "unknown");
    throw new StorageError(`migration ${failed?.migrationName ?? "?"} failed: ${why}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Used by tests to prove the schema is there. */
export async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db);
  return rows.rows.map((r) => r.name).sort();
}
