/**
 * In-process relay clusters for tests: `n` relay nodes in this process on
 * loopback ports, one fresh Postgres schema shared by all, the real NATS
 * server (NLINK_TEST_NATS_URL, default nats://127.0.0.1:4222) with a subject
 * prefix of their own. NATS or Postgres being down fails the tests.
 */
import { randomBytes } from "node:crypto";
import { startRelay, type RelayHandle } from "../src/relay";
import { dropSchema, randomSchema, silentLogger, TEST_DATABASE_URL } from "./test-databases";

export const TEST_NATS_URL = process.env.NLINK_TEST_NATS_URL ?? "nats://127.0.0.1:4222";

export interface TestCluster {
  nodes: RelayHandle[];
  schema: string;
  prefix: string;
  stop(): Promise<void>;
}

/** The value of a metric series without labels, read from a node's /metrics text. */
export function metricValue(relay: RelayHandle, series: string): number {
  const line = relay
    .metricsText()
    .split("\n")
    .find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
}

/** Waits until every node sees `n` live nodes. */
export async function waitForMembership(nodes: RelayHandle[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!nodes.every((node) => metricValue(node, "nlink_relay_cluster_nodes") === nodes.length)) {
    if (Date.now() > deadline)
      throw new Error(
        `cluster did not form: ${nodes.map((n) => metricValue(n, "nlink_relay_cluster_nodes")).join(",")}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startTestCluster(n: number): Promise<TestCluster> {
  const schema = randomSchema();
  const prefix = `nlt${randomBytes(5).toString("hex")}`;
  const nodes: RelayHandle[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await dropSchema(schema);
  };
  try {
    // One at a time: the first node creates the schema and runs the migrations.
    for (let i = 0; i < n; i++) {
      nodes.push(
        await startRelay({
          port: 0,
          db: TEST_DATABASE_URL,
          dbSchema: schema,
          logger: silentLogger,
          appDir: null,
          relayId: "test-relay",
          cluster: { bus: TEST_NATS_URL, nodeName: `t${i}`, subjectPrefix: prefix },
        }),
      );
    }
    await waitForMembership(nodes);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { nodes, schema, prefix, stop };
}
