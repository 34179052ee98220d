/**
 * The relay as a real child process (`relay/src/main.ts` under tsx), on a
 * fixed loopback port so that a restart comes back where clients expect it.
 * Every option is passed as a CLI flag, exactly as an operator would.
 */
import { dropSchema, randomSchema, TEST_DATABASE_URL } from "../../relay/test/test-databases";
import { spawnChild, type ChildHandle, type Exit } from "./child-process";
import { freePort } from "./ports";

export interface RelayProcessOptions {
  /** Database URL; default the test Postgres (point it at a proxy to cut the database). */
  db?: string;
  /** Postgres schema; default a fresh one, dropped by `dispose`. */
  schema?: string;
  relayId?: string;
  heartbeatMs?: number;
  authTimeoutMs?: number;
  resumeTtlS?: number;
  /** Limits by CLI flag name without dashes, e.g. `{ "ops-per-second": 50 }`. */
  flags?: Record<string, string | number>;
  /** Extra environment (e.g. METRICS_TOKEN). */
  env?: Record<string, string>;
  logLevel?: "debug" | "info" | "warn" | "error";
}

export interface RelayProcess {
  readonly url: string;
  readonly httpBase: string;
  readonly port: number;
  readonly schema: string;
  readonly relayId: string;
  /** The current process (changes on restart). */
  readonly child: ChildHandle;
  /** How many processes have been started (1 + restarts). */
  readonly generation: number;
  /** SIGKILL, no goodbye: sockets die, nothing is flushed. */
  kill(): Promise<Exit>;
  /** SIGTERM: the relay drains (RECONNECT, 1001) and exits. */
  stop(): Promise<Exit>;
  /** Starts a new process on the same port and database; waits until it listens. */
  restart(): Promise<void>;
  /** Stops the process and drops the schema it created. */
  dispose(): Promise<void>;
}

/** How long a relay process may take to start on a loaded 2-core machine (tsx compiles on the fly). */
const START_TIMEOUT_MS = 60_000;

function args(port: number, schema: string, relayId: string, options: RelayProcessOptions): string[] {
  const out = [
    "--import",
    "tsx",
    "relay/src/main.ts",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--db",
    options.db ?? TEST_DATABASE_URL,
    "--db-schema",
    schema,
    "--relay-id",
    relayId,
    "--app-dir",
    "",
    "--log-level",
    options.logLevel ?? "info",
  ];
  if (options.heartbeatMs !== undefined) out.push("--heartbeat-ms", String(options.heartbeatMs));
  if (options.authTimeoutMs !== undefined) out.push("--auth-timeout-ms", String(options.authTimeoutMs));
  if (options.resumeTtlS !== undefined) out.push("--resume-ttl-s", String(options.resumeTtlS));
  for (const [flag, value] of Object.entries(options.flags ?? {})) out.push(`--${flag}`, String(value));
  return out;
}

/**
 * Starts a relay process and waits until it listens.
 *
 * @example
 * const relay = await startRelayProcess("kill-mid-stream", { heartbeatMs: 500 });
 * await relay.kill(); await relay.restart();
 * await relay.dispose();
 */
export async function startRelayProcess(name: string, options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const port = await freePort();
  const schema = options.schema ?? randomSchema();
  const relayId = options.relayId ?? "fault-relay";
  let generation = 0;
  let child!: ChildHandle;
  const launch = async () => {
    generation += 1;
    child = spawnChild(
      `${name}-relay-${generation}`,
      process.execPath,
      args(port, schema, relayId, options),
      options.env ?? {},
    );
    await child.waitForLog(/relay listening on/, START_TIMEOUT_MS);
  };
  await launch();
  return {
    url: `ws://127.0.0.1:${port}/v1/gateway`,
    httpBase: `http://127.0.0.1:${port}`,
    port,
    schema,
    relayId,
    get child() {
      return child;
    },
    get generation() {
      return generation;
    },
    kill: () => child.kill(),
    stop: () => child.stop(),
    restart: launch,
    async dispose() {
      await child.kill();
      if (options.schema === undefined) await dropSchema(schema).catch(() => undefined);
    },
  };
}
