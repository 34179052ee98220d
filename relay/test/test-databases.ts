/**
 * Databases for tests: the real Postgres server (a fresh schema per run,
 * dropped afterwards) and PGlite. Postgres being down fails the tests; it
 * never skips them.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { startRelay, type RelayHandle, type RelayOptions } from "../src/relay";

export const TEST_DATABASE_URL = process.env.NLINK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const silentLogger = pino({ level: "silent" });

export function randomSchema(): string {
  return `nlink_test_${randomBytes(6).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A relay on loopback over a fresh Postgres schema; `stop` closes it and drops the schema. */
export async function startTestRelay(
  options: RelayOptions = {},
): Promise<{ relay: RelayHandle; stop: () => Promise<void>; schema: string }> {
  const schema = options.dbSchema ?? randomSchema();
  let relay: RelayHandle;
  try {
    relay = await startRelay({
      port: 0,
      db: TEST_DATABASE_URL,
      dbSchema: schema,
      logger: silentLogger,
      appDir: null,
      relayId: "test-relay",
      ...options,
    });
  } catch (err) {
    await dropSchema(schema).catch(() => undefined);
    throw err;
  }
  return {
    relay,
    schema,
    stop: async () => {
      await relay.close();
      await dropSchema(schema);
    },
  };
}
