/** What the op handlers of a connection share. Built once per relay. */
import type { Logger } from "pino";
import type { Cluster } from "../cluster/cluster";
import type { RelayMetrics } from "../metrics";
import type { RelaySettings } from "../settings";
import type { GrantIndex } from "../storage/grant-index";
import type { OfflineQueue } from "../storage/offline-queue";
import type { Presence } from "./presence";
import type { RendezvousBook } from "./rendezvous-book";
import type { SessionRegistry } from "./session-registry";

export interface GatewayContext {
  settings: RelaySettings;
  registry: SessionRegistry;
  queue: OfflineQueue;
  grants: GrantIndex;
  presence: Presence;
  rendezvous: RendezvousBook;
  metrics: RelayMetrics;
  log: Logger;
  now(): number;
  /** This node's cluster membership; undefined for a single relay (the default). */
  cluster?: Cluster;
}
