/** Settings of cluster mode (docs/relay.md, "Running a cluster"). Cluster mode is on only when a bus URL is given. */
import { hostname } from "node:os";
import { RelayConfigError } from "../errors";

export interface ClusterSettings {
  /** The bus: nats://host:port (several separated by commas). */
  bus: string;
  /** This node's name (a random suffix is added per process, so a restarted node is a new node). */
  nodeName: string;
  /** First token of every bus subject: clusters sharing a NATS server must use different prefixes. */
  subjectPrefix: string;
  /** How often a node announces it is alive. */
  heartbeatMs: number;
  /** A node silent this long is dead: its devices are forgotten (its lease). */
  nodeTimeoutMs: number;
  /** Longest wait for the other nodes to confirm a claim or a grant change before going on without them. */
  confirmTimeoutMs: number;
  /** Time to connect to the bus at start. */
  connectTimeoutMs: number;
  /** How often the per-recipient queue counters are re-read from Postgres (other nodes store and delete too). */
  queueResyncMs: number;
}

export const DEFAULT_CLUSTER: Omit<ClusterSettings, "bus" | "nodeName"> = {
  subjectPrefix: "nlink",
  heartbeatMs: 500,
  nodeTimeoutMs: 2000,
  confirmTimeoutMs: 1000,
  connectTimeoutMs: 5000,
  queueResyncMs: 10_000,
};

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Fills defaults and checks; throws RelayConfigError. */
export function resolveClusterSettings(input: Partial<ClusterSettings> & { bus: string }): ClusterSettings {
  const s: ClusterSettings = {
    ...DEFAULT_CLUSTER,
    nodeName:
      hostname()
        .replace(/[^A-Za-z0-9_-]/g, "_")
        .slice(0, 40) || "node",
    ...input,
  };
  if (!/^nats:\/\//.test(s.bus)) throw new RelayConfigError(`the bus must be a nats:// URL, got "${s.bus}"`);
  if (!TOKEN.test(s.nodeName))
    throw new RelayConfigError("the node name may hold letters, digits, '_' and '-' (at most 64)");
  if (!TOKEN.test(s.subjectPrefix))
    throw new RelayConfigError("the cluster subject prefix may hold letters, digits, '_' and '-' (at most 64)");
  for (const key of [
    "heartbeatMs",
    "nodeTimeoutMs",
    "confirmTimeoutMs",
    "connectTimeoutMs",
    "queueResyncMs",
  ] as const) {
    if (!Number.isSafeInteger(s[key]) || s[key] <= 0) throw new RelayConfigError(`${key} must be a positive integer`);
  }
  if (s.nodeTimeoutMs < 2 * s.heartbeatMs)
    throw new RelayConfigError("the node timeout must be at least two heartbeats");
  return s;
}
