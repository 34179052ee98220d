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

/** Used when the caller passes no connect timeout (the relay passes its `dbConnectTimeoutMs` setting). */
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

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

async function openPglite(
  spec: DatabaseSpec & { kind: "memory" | "directory" },
): Promise<{ db: Kysely<RelayDatabase>; close: () => Promise<void> }> {
  if (spec.kind === "directory") mkdirSync(spec.path, { recursive: true });
  const client = spec.kind === "directory" ? await PGlite.create({ dataDir: spec.path }) : await PGlite.create();
  const db = new Kysely<RelayDatabase>({ dialect: pgliteDialect(client) });
  return { db, close: () => db.destroy() };
}

/**
 * A pool that survives its server going away. pg-pool listens for `error`
 * only on idle clients; a client checked out (a group commit between two
 * statements, a backlog read) that gets `57P01 terminating connection due to
 * administrator command` or a reset socket emits `error` with no listener,
 * which would end the process. Every client gets a listener of its own; the
 * query in flight fails with the error, kysely releases the client, and the
 * pool drops it because it is no longer queryable. The next query connects
 * afresh: the relay reconnects by itself (docs/relay.md, "What survives what").
 */
function resilientPool(url: string, schema: string | undefined, connectTimeoutMs: number, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    application_name: "nlink-relay",
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const report = (err: Error & { code?: string }, where: string) =>
    log.warn({ err: err.message, code: err.code, where }, "postgres connection lost");
  pool.on("connect", (client) => client.on("error", (err: Error) => report(err, "in use")));
  // An idle client that loses its server: the pool removes it; the next query reports it.
  pool.on("error", (err) => report(err, "idle"));
  return pool;
}

async function openPostgres(
  url: string,
  schema: string | undefined,
  connectTimeoutMs: number,
  log: Logger,
): Promise<{ db: Kysely<RelayDatabase>; close: () => Promise<void> }> {
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
  const pool = resilientPool(url, schema, connectTimeoutMs, log);
  const db = new Kysely<RelayDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}

/**
 * Opens and migrates the database.
 *
 * @example const store = await openDatabase(parseDatabaseSpec("memory"), { log });
 */
export async function openDatabase(
  spec: DatabaseSpec,
  options: { log: Logger; schema?: string; connectTimeoutMs?: number },
): Promise<OpenDatabase> {
  const log = options.log.child({ mod: "relay/database" });
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema))
    throw new StorageError(`database schema name not allowed: ${options.schema}`);
  let opened: { db: Kysely<RelayDatabase>; close: () => Promise<void> };
  try {
    opened =
      spec.kind === "postgres"
        ? await openPostgres(spec.url, options.schema, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, log)
        : await openPglite(spec);
    await sql`select 1`.execute(opened.db);
  } catch (err) {
    throw new StorageError(`cannot open ${describeSpec(spec)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const applied = await migrateToLatest(opened.db as Kysely<unknown>);
    log.info({ db: describeSpec(spec), applied }, "database ready");
  } catch (err) {
    await opened
      .close()
      .catch((closeErr: unknown) =>
        log.warn({ err: String(closeErr) }, "database not closed after a failed migration"),
      );
    throw err;
  }
  return { db: opened.db, spec, close: opened.close };
}
