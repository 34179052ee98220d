/**
 * Command-line and environment settings of `npm run relay`. Every option is
 * also an environment variable (flag wins over env, env over default).
 */
import { parseArgs } from "node:util";
import { RelayConfigError } from "../errors";
import { LOG_LEVELS, type LogLevel } from "../logger";
import type { RelayOptions } from "../relay";
import { DEFAULT_CLUSTER } from "../cluster/cluster-settings";
import { DEFAULT_LIMITS, DEFAULT_TIMINGS, type RelayLimits } from "../settings";

export const CLI_DEFAULTS = { port: 8787, host: "0.0.0.0", db: ".data/relay", logLevel: "info" as LogLevel };

interface OptionSpec {
  flag: string;
  env: string;
  help: string;
  fallback: string;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const envName = (flag: string) => `NLINK_RELAY_${flag.replace(/-/g, "_").toUpperCase()}`;

const LIMIT_HELP: Record<keyof RelayLimits, string> = {
  maxMessageBytes: "largest gateway message; above it close 4011",
  maxBodyBytes: "largest SEND/PAIR_REQUEST body after decoding; above it too_large",
  opsPerSecond: "ops per second per connection",
  opsBurst: "ops a connection may burst",
  bytesPerSecond: "bytes per second per connection",
  rateViolationsMax: "SENDs refused rate_limited before close 4008",
  rateViolationWindowMs: "quiet time after which refusals are forgotten",
  frameExpiryMs: "how long a qos 1 frame is kept",
  queueMaxFrames: "frames stored per recipient; past it queue_full",
  queueMaxBytes: "bytes stored per recipient; past it queue_full",
  resumeMaxEvents: "events kept per session for resume",
  resumeMaxBytes: "bytes of events kept per session for resume",
  pairMaxTtlS: "longest rendezvous ttl",
  pairMaxOpenPerDevice: "rendezvous open per device",
  pairMaxRequests: "requests after which a rendezvous closes",
  maxBufferedBytes: "send buffer above which qos 0 frames are dropped, qos 1 wait stored",
  hardMaxBufferedBytes: "send buffer above which the connection is closed 4009",
  sendStallTimeoutMs: "time a send buffer may stay above max-buffered-bytes before 4009",
  transportMaxBytes: "transport hard cap per message (close 1009)",
  writeBatchMax: "writes per group-commit transaction",
  deliveryPageSize: "stored frames read per query on delivery",
  sweepIntervalMs: "period of the expiry sweep",
  dbConnectTimeoutMs: "time to open a Postgres connection before the op fails (internal)",
};

const BASE: Record<string, OptionSpec> = {
  port: { flag: "port", env: "NLINK_RELAY_PORT", help: "TCP port", fallback: String(CLI_DEFAULTS.port) },
  host: { flag: "host", env: "NLINK_RELAY_HOST", help: "address to listen on", fallback: CLI_DEFAULTS.host },
  db: {
    flag: "db",
    env: "NLINK_RELAY_DB",
    help: "memory | PGlite data directory | postgres://... (also DATABASE_URL)",
    fallback: CLI_DEFAULTS.db,
  },
  dbSchema: {
    flag: "db-schema",
    env: "NLINK_RELAY_DB_SCHEMA",
    help: "Postgres schema (created if missing)",
    fallback: "(search_path)",
  },
  relayId: {
    flag: "relay-id",
    env: "NLINK_RELAY_ID",
    help: "stable id of this deployment, signed into AUTH",
    fallback: "nlink-relay:<hostname>",
  },
  heartbeatMs: {
    flag: "heartbeat-ms",
    env: "NLINK_RELAY_HEARTBEAT_MS",
    help: "heartbeat interval; 3 missed close 4009",
    fallback: String(DEFAULT_TIMINGS.heartbeatMs),
  },
  authTimeoutMs: {
    flag: "auth-timeout-ms",
    env: "NLINK_RELAY_AUTH_TIMEOUT_MS",
    help: "time to AUTH before 4003",
    fallback: String(DEFAULT_TIMINGS.authTimeoutMs),
  },
  resumeTtlS: {
    flag: "resume-ttl-s",
    env: "NLINK_RELAY_RESUME_TTL_S",
    help: "how long a dropped session is resumable",
    fallback: String(DEFAULT_TIMINGS.resumeTtlS),
  },
  metricsToken: {
    flag: "metrics-token",
    env: "METRICS_TOKEN",
    help: "bearer token opening /metrics to non-loopback clients",
    fallback: "(none: loopback only)",
  },
  appDir: {
    flag: "app-dir",
    env: "NLINK_RELAY_APP_DIR",
    help: "phone app files served at /app/ ('' to serve none)",
    fallback: "mobile/dist of the repo, if built",
  },
  logLevel: {
    flag: "log-level",
    env: "NLINK_RELAY_LOG_LEVEL",
    help: LOG_LEVELS.join(" | "),
    fallback: CLI_DEFAULTS.logLevel,
  },
  bus: {
    flag: "bus",
    env: "NLINK_RELAY_BUS",
    help: "cluster mode: the NATS bus, nats://host:port (needs a postgres:// --db)",
    fallback: "(none: a single relay)",
  },
  nodeName: {
    flag: "node-name",
    env: "NLINK_RELAY_NODE_NAME",
    help: "cluster: this node's name (a random suffix is added)",
    fallback: "<hostname>",
  },
  subjectPrefix: {
    flag: "cluster-prefix",
    env: "NLINK_RELAY_CLUSTER_PREFIX",
    help: "cluster: first token of the bus subjects",
    fallback: DEFAULT_CLUSTER.subjectPrefix,
  },
  heartbeatMsCluster: {
    flag: "cluster-heartbeat-ms",
    env: "NLINK_RELAY_CLUSTER_HEARTBEAT_MS",
    help: "cluster: node heartbeat period",
    fallback: String(DEFAULT_CLUSTER.heartbeatMs),
  },
  nodeTimeoutMs: {
    flag: "cluster-node-timeout-ms",
    env: "NLINK_RELAY_CLUSTER_NODE_TIMEOUT_MS",
    help: "cluster: silence after which a node is dead",
    fallback: String(DEFAULT_CLUSTER.nodeTimeoutMs),
  },
  confirmTimeoutMs: {
    flag: "cluster-confirm-timeout-ms",
    env: "NLINK_RELAY_CLUSTER_CONFIRM_TIMEOUT_MS",
    help: "cluster: longest wait for nodes to confirm a claim or grant",
    fallback: String(DEFAULT_CLUSTER.confirmTimeoutMs),
  },
  queueResyncMs: {
    flag: "cluster-queue-resync-ms",
    env: "NLINK_RELAY_CLUSTER_QUEUE_RESYNC_MS",
    help: "cluster: period of the queue counter refresh",
    fallback: String(DEFAULT_CLUSTER.queueResyncMs),
  },
};

const LIMITS: Record<string, OptionSpec> = Object.fromEntries(
  (Object.keys(DEFAULT_LIMITS) as (keyof RelayLimits)[]).map((key) => {
    const flag = kebab(key);
    return [key, { flag, env: envName(flag), help: LIMIT_HELP[key], fallback: String(DEFAULT_LIMITS[key]) }];
  }),
);

export const ALL_OPTIONS: Record<string, OptionSpec> = { ...BASE, ...LIMITS };

export function helpText(): string {
  const rows = Object.values(ALL_OPTIONS).map(
    (o) => `  --${o.flag.padEnd(26)} ${o.env.padEnd(36)} ${o.help} [${o.fallback}]`,
  );
  return [
    "Usage: npm run relay -- [options]",
    "",
    "Neural Link relay: forwards end-to-end encrypted frames between paired devices.",
    "Every option may also be set by the environment variable beside it.",
    "",
    `  ${"option".padEnd(28)} ${"environment".padEnd(36)} meaning [default]`,
    ...rows,
    `  --${"help".padEnd(26)} ${"".padEnd(36)} this text`,
    "",
  ].join("\n");
}

export interface CliConfig {
  help: boolean;
  logLevel: LogLevel;
  options: RelayOptions;
}

function integer(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new RelayConfigError(`--${name} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

/** Parses argv and env. Throws RelayConfigError on anything unusable. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.values(ALL_OPTIONS).map((o) => [o.flag, { type: "string" as const }]));
    values = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new RelayConfigError(err instanceof Error ? err.message : String(err));
  }
  const pick = (key: string): string | undefined => {
    const spec = ALL_OPTIONS[key]!;
    const fromFlag = values[spec.flag];
    if (typeof fromFlag === "string") return fromFlag;
    return env[spec.env] ?? (key === "db" ? env.DATABASE_URL : undefined);
  };
  const logLevel = (pick("logLevel") ?? CLI_DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new RelayConfigError(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
  const limits: Partial<RelayLimits> = {};
  for (const key of Object.keys(LIMITS) as (keyof RelayLimits)[]) {
    const text = pick(key);
    if (text !== undefined) limits[key] = integer(ALL_OPTIONS[key]!.flag, text);
  }
  const options: RelayOptions = {
    port: integer("port", pick("port") ?? String(CLI_DEFAULTS.port)),
    host: pick("host") ?? CLI_DEFAULTS.host,
    db: pick("db") ?? CLI_DEFAULTS.db,
    limits,
  };
  const dbSchema = pick("dbSchema");
  if (dbSchema !== undefined) options.dbSchema = dbSchema;
  const relayId = pick("relayId");
  if (relayId !== undefined) options.relayId = relayId;
  for (const key of ["heartbeatMs", "authTimeoutMs", "resumeTtlS"] as const) {
    const text = pick(key);
    if (text !== undefined) options[key] = integer(ALL_OPTIONS[key]!.flag, text);
  }
  const metricsToken = pick("metricsToken");
  if (metricsToken !== undefined && metricsToken !== "") options.metricsToken = metricsToken;
  const bus = pick("bus");
  if (bus !== undefined && bus !== "") {
    const cluster: NonNullable<RelayOptions["cluster"]> = { bus };
    const nodeName = pick("nodeName");
    if (nodeName !== undefined) cluster.nodeName = nodeName;
    const prefix = pick("subjectPrefix");
    if (prefix !== undefined) cluster.subjectPrefix = prefix;
    for (const [key, field] of [
      ["heartbeatMsCluster", "heartbeatMs"],
      ["nodeTimeoutMs", "nodeTimeoutMs"],
      ["confirmTimeoutMs", "confirmTimeoutMs"],
      ["queueResyncMs", "queueResyncMs"],
    ] as const) {
      const text = pick(key);
      if (text !== undefined) cluster[field] = integer(ALL_OPTIONS[key]!.flag, text);
    }
    options.cluster = cluster;
  }
  const appDir = pick("appDir");
  if (appDir !== undefined) options.appDir = appDir === "" ? null : appDir;
  return { help: values.help === true, logLevel, options };
}
