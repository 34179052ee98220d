/**
 * Joins a cluster at start (relay.ts): connects to the bus and subscribes
 * before the grants are loaded (messages arriving meanwhile are buffered,
 * cluster-inbound.ts), then, once the gateway exists, starts heartbeats and
 * the periodic refresh of the queue counters.
 */
import type { Logger } from "pino";
import { RelayConfigError } from "../errors";
import type { GatewayContext } from "../gateway/context";
import { Cluster } from "./cluster";
import { ClusterInbound } from "./cluster-inbound";
import type { ClusterSettings } from "./cluster-settings";
import { NatsBus } from "./nats-bus";

export interface ClusterNode {
  readonly cluster: Cluster;
  /** The gateway is built: handle messages, start heartbeats. */
  attach(ctx: GatewayContext): void;
  /** Leaves the cluster and disconnects from the bus. */
  close(): Promise<void>;
}

export async function joinCluster(settings: ClusterSettings, log: Logger, now: () => number): Promise<ClusterNode> {
  let bus: NatsBus;
  try {
    bus = await NatsBus.connect(settings.bus, settings.nodeName, log, settings.connectTimeoutMs);
  } catch (err) {
    throw new RelayConfigError(
      `cannot connect to the bus ${settings.bus}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const cluster = new Cluster(bus, settings, log, now);
  const inbound = new ClusterInbound(cluster);
  await bus.flush();
  let resync: NodeJS.Timeout | null = null;
  return {
    cluster,
    attach(ctx) {
      inbound.attach(ctx);
      resync = setInterval(() => {
        ctx.queue
          .resync()
          .catch((err: unknown) =>
            cluster.log.warn({ err: err instanceof Error ? err.message : String(err) }, "queue counter refresh failed"),
          );
      }, settings.queueResyncMs);
      resync.unref();
      cluster.log.info(
        { bus: settings.bus.replace(/\/\/[^@/]*@/, "//"), prefix: settings.subjectPrefix },
        "joined the cluster",
      );
    },
    async close() {
      if (resync !== null) clearInterval(resync);
      await cluster.close();
    },
  };
}
