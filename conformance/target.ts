/**
 * The relay under test. By default a fresh in-memory relay on loopback; with
 * NLINK_CONFORMANCE_URL set (a ws:// or wss:// gateway URL) the suites that
 * need no special relay settings run against that relay instead. Suites that
 * need a setting changed (short heartbeat, tiny queue) always start their own.
 */
import { type RelayOptions, startRelay } from "@neural-link/relay";
import pg from "pg";
import { pino } from "pino";

export interface Target {
  /** The gateway URL, ending in /v1/gateway. */
  url: string;
  /** The HTTP origin serving /healthz and /metrics. */
  httpBase: string;
  /** True when the tests run against NLINK_CONFORMANCE_URL. */
  external: boolean;
  /** Runs the relay's expiry sweep now (local relays; a no-op for an external one). */
  sweep(): Promise<void>;
  /** Drains the relay (RECONNECT to every client, then shutdown); local relays only. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Environment variable naming an external relay's gateway URL. */
export const EXTERNAL_URL_VAR = "NLINK_CONFORMANCE_URL";
/**
 * Environment variable choosing the local relays' storage: `memory` (the
 * default, an in-process PGlite) or a postgres:// URL, which starts far faster
 * on a loaded machine. Each relay then gets its own schema.
 */
export const DB_VAR = "NLINK_CONFORMANCE_DB";

function storageOptions(): { db: string; dbSchema?: string } {
  const db = process.env[DB_VAR] ?? "memory";
  if (!db.startsWith("postgres")) return { db };
  return { db, dbSchema: `nlink_conformance_${process.pid}_${Math.random().toString(36).slice(2, 10)}` };
}

function httpBaseOf(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === "wss:" ? "https:" : "http:";
  return u.origin;
}

/** Removes a relay's schema from the test Postgres once the relay has closed. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A relay with protocol defaults: the external one if configured, else a local one. */
export async function defaultTarget(): Promise<Target> {
  const external = process.env[EXTERNAL_URL_VAR];
  if (external) {
    return {
      url: external,
      httpBase: httpBaseOf(external),
      external: true,
      sweep: async () => undefined,
      drain: () => Promise.reject(new Error("cannot drain an external relay")),
      close: async () => undefined,
    };
  }
  return localTarget();
}

/** Always a local relay, with the given settings (timings, lowered limits). */
export async function localTarget(options: RelayOptions = {}): Promise<Target> {
  const logger = pino({ level: process.env.NLINK_CONFORMANCE_LOG ?? "silent" });
  const storage = storageOptions();
  const relay = await startRelay({ port: 0, host: "127.0.0.1", appDir: null, logger, ...storage, ...options });
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await relay.close();
      if (storage.dbSchema !== undefined) await dropSchema(storage.db, storage.dbSchema);
    })());
  return {
    url: relay.url,
    httpBase: httpBaseOf(relay.url),
    external: false,
    sweep: async () => void (await relay.sweep()),
    drain: () => relay.drain(),
    close,
  };
}

/** Replaces the version segment of a gateway URL (for the 4012 check). */
export function otherVersionUrl(url: string, version: string): string {
  return url.replace(/\/v1\/gateway$/, `/${version}/gateway`);
}
