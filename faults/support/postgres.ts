/**
 * The test Postgres from a fault scenario's side: end the relay's server
 * processes the way a restart does (57P01, only ours), restart the whole
 * server (briefly: other suites share it), and read a schema's tables.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readdirSync } from "node:fs";
import pg from "pg";
import { TEST_DATABASE_URL } from "../../relay/test/test-databases";

export { TEST_DATABASE_URL };

export async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * pg_terminate_backend on the server processes serving these client ports:
 * each gets `57P01 terminating connection due to administrator command`,
 * exactly what a server restart sends, without touching anyone else's.
 */
export async function terminateBackends(clientPorts: number[]): Promise<number> {
  if (clientPorts.length === 0) return 0;
  const rows = await query<{ ok: boolean }>(
    "select pg_terminate_backend(pid) as ok from pg_stat_activity where client_port = any($1::int[]) and client_addr = '127.0.0.1'",
    [clientPorts],
  );
  return rows.filter((r) => r.ok).length;
}

/** The installed cluster version (e.g. "15"). */
export function clusterVersion(): string {
  const versions = readdirSync("/etc/postgresql").sort();
  if (versions.length === 0) throw new Error("no Postgres cluster in /etc/postgresql");
  return versions[versions.length - 1]!;
}

/** `pg_ctlcluster <ver> main restart` (fast shutdown: every backend gets 57P01), then waits until it accepts. */
export async function restartPostgres(): Promise<void> {
  // Asynchronously: the scenario's clients keep sending while the server restarts.
  await promisify(execFile)(
    "pg_ctlcluster",
    ["--skip-systemctl-redirect", clusterVersion(), "main", "restart", "-m", "fast"],
    { timeout: 60_000 },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await query("select 1");
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
