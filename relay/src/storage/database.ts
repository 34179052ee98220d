/**
 * Opens the relay database. Two backends run the same SQL through Kysely:
 * PGlite (embedded Postgres in WASM; in memory or in a data directory) for a
 * personal relay, and a real PostgreSQL server by URL for production.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import { StorageError } from "../errors";
import { migrateToLatest } from "./migrations";
import { pgliteDialect } from "./pglite-dialect";
import type { RelayDatabase } from "./schema";

export type DatabaseSpec = { kind: "memory" } | { kind: "directory"; path: string } | { kind: "postgres"; url: string };

export interface OpenDatabase {
  db: Kysely<RelayDatabase>;
  spec: DatabaseSpec;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `memory`, a postgres:// URL, or else a directory path for PGlite. */
export function parseDatabaseSpec(text: string): DatabaseSpec {
  if (text === "memory") return { kind: "memory" };
  if (/^postgres(ql)?:\/\//.test(text)) return { kind: "postgres", url: text };
  if (text.trim() === "") throw new StorageError("database: empty value");
  return { kind: "directory", path: resolve(text) };
}

/** Where a spec points, without credentials, for logs. */
export function describeSpec(spec: DatabaseSpec): string {
  switch (spec.kind) {
    case "memory":
      return "pglite (memory)";
    case "directory":
      return `pglite (${spec.path})`;
    case "postgres": {
      try {
        const u = new URL(spec.url);
        return `postgres (${u.hostname}:${u.port || "5432"}${u.pathname})`;
      } catch {
        return "postgres";
      }
    }
    default: {
      const never: never = spec;
      return never;
    }
  }
}

async function openPglite(spec: DatabaseSpec & { kind: "memory" | "directory" }): Promise<{ db: Kysely<RelayDatabase>; close: () => Promise<void> }> {
  if (spec.kind === "directory") mkdirSync(spec.path, { recursive: true });
  const client = spec.kind === "directory" ? await PGlite.create({ dataDir: spec.path }) : await PGlite.create();
  const db = new Kysely<RelayDatabase>({ dialect: pgliteDialect(client) });
  return { db, close: () => db.destroy() };
}

async function openPostgres(url: string, schema: string | undefined, log: Logger): Promise<{ db: Kysely<RelayDatabase>; close: () => Promise<void> }> {
  if (schema !== undefined) {
    // A separate schema keeps test runs (and several relays on one server) apart.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client that loses its server must not crash the relay; the next query reports it.
  pool.on("error", (err) => log.warn({ err: err.message }, "postgres pool client error"));
  const db = new Kysely<RelayDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/**
 * Opens and migrates the database.
 *
 * @example const store = await openDatabase(parseDatabaseSpec("memory"), { log });
 */
export async function openDatabase(spec: DatabaseSpec, options: { log: Logger; schema?: string }): Promise<OpenDatabase> {
  const log = options.log.child({ mod: "relay/database" });
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) throw new StorageError(`database schema name not allowed: ${options.schema}`);
  let opened: { db: Kysely<RelayDatabase>; close: () => Promise<void> };
  try {
    opened = spec.kind === "postgres" ? await openPostgres(spec.url, options.schema, log) : await openPglite(spec);
    await sql`select 1`.execute(opened.db);
  } catch (err) {
    throw new StorageError(`cannot open ${describeSpec(spec)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const applied = await migrateToLatest(opened.db as Kysely<unknown>);
    log.info({ db: describeSpec(spec), applied }, "database ready");
  } catch (err) {
    await opened.close().catch(() => undefined);
    throw err;
  }
  return { db: opened.db, spec, close: opened.close };
}
