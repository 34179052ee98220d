/**
 * A relay cluster as real processes: `n` relay nodes (relay/src/main.ts with
 * --bus, as an operator runs them) on one Postgres schema and the real NATS
 * server, behind HAProxy on loopback ports chosen free.
 */
import { randomBytes } from "node:crypto";
import { dropSchema, randomSchema } from "../../relay/test/test-databases";
import { TEST_NATS_URL } from "../../relay/test/test-cluster";
import { type Haproxy, startHaproxy } from "./haproxy";
import { type RelayProcess, type RelayProcessOptions, startRelayProcess } from "./relay-process";

export interface RelayCluster {
  readonly nodes: RelayProcess[];
  readonly haproxy: Haproxy;
  /** The gateway URL through HAProxy. */
  readonly url: string;
  /** A metric of one node (loopback /metrics), NaN if the node does not answer. */
  metric(node: number, series: string): Promise<number>;
  /** Waits until every running node sees `count` live nodes. */
  waitForMembership(count: number, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRelayCluster(
  name: string,
  n: number,
  options: RelayProcessOptions = {},
): Promise<RelayCluster> {
  const schema = randomSchema();
  const prefix = `nlf${randomBytes(5).toString("hex")}`;
  const nodeOptions = (i: number): RelayProcessOptions => ({
    ...options,
    schema,
    relayId: "fault-cluster",
    logLevel: options.logLevel ?? "warn",
    flags: { bus: TEST_NATS_URL, "node-name": `n${i + 1}`, "cluster-prefix": prefix, ...options.flags },
  });
  const nodes: RelayProcess[] = [];
  let haproxy: Haproxy | null = null;
  const dispose = async () => {
    await haproxy?.stop();
    await Promise.all(nodes.map((node) => node.dispose()));
    await dropSchema(schema).catch(() => undefined);
  };
  try {
    // The first node creates the schema and migrates it; the others start together.
    nodes.push(await startRelayProcess(`${name}-n1`, nodeOptions(0)));
    nodes.push(
      ...(await Promise.all(
        Array.from({ length: n - 1 }, (_, i) => startRelayProcess(`${name}-n${i + 2}`, nodeOptions(i + 1))),
      )),
    );
    haproxy = await startHaproxy(
      name,
      nodes.map((node) => node.port),
    );
  } catch (err) {
    await dispose();
    throw err;
  }
  const metric = async (node: number, series: string): Promise<number> => {
    try {
      const text = await (await fetch(`${nodes[node]!.httpBase}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
    } catch {
      return Number.NaN;
    }
  };
  const cluster: RelayCluster = {
    nodes,
    haproxy,
    url: haproxy.url,
    metric,
    async waitForMembership(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const live = nodes.map((node, i) => (node.child.running ? i : -1)).filter((i) => i >= 0);
        const seen = await Promise.all(live.map((i) => metric(i, "nlink_relay_cluster_nodes")));
        if (seen.every((v) => v === count)) return;
        if (Date.now() > deadline) throw new Error(`cluster membership ${seen.join(",")}, expected ${count}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    dispose,
  };
  await cluster.waitForMembership(n);
  return cluster;
}
