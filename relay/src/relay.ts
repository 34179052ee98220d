/**
 * startRelay: opens storage, builds the gateway and serves it over HTTP.
 * The CLI, the tests and the desktop hub's embedded relay all start here.
 */
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createAdaptorServer } from "@hono/node-server";
import type { SocketFactory } from "@neural-link/shared/client";
import { GATEWAY_PATH } from "@neural-link/shared/protocol";
import type { Logger } from "pino";
import type { ClusterSettings } from "./cluster/cluster-settings";
import { resolveClusterSettings } from "./cluster/cluster-settings";
import { joinCluster } from "./cluster/join-cluster";
import { SharedRendezvous } from "./cluster/shared-rendezvous";
import { RelayConfigError } from "./errors";
import type { GatewayContext } from "./gateway/context";
import { Gateway } from "./gateway/gateway";
import { InProcessConnections } from "./gateway/in-process-socket";
import { Presence } from "./gateway/presence";
import { RendezvousRegistry } from "./gateway/rendezvous-registry";
import { SessionRegistry } from "./gateway/session-registry";
import { createHttpApp } from "./http/app";
import { createLogger } from "./logger";
import { RelayMetrics } from "./metrics";
import { raisedLimits, type RelayLimits, type RelayTimings, resolveSettings } from "./settings";
import { describeSpec, openDatabase, parseDatabaseSpec } from "./storage/database";
import { GrantIndex } from "./storage/grant-index";
import { OfflineQueue } from "./storage/offline-queue";

export interface RelayOptions extends Partial<RelayTimings> {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** `memory` (default), a PGlite data directory, or a postgres:// URL. */
  db?: string;
  /** Postgres schema to use (created if missing); default the server's search_path. */
  dbSchema?: string;
  /** The relay's stable id, signed into every AUTH. Default `nlink-relay:<hostname>`. */
  relayId?: string;
  /** Overrides of the limits (see settings.ts); protocol limits only downwards. */
  limits?: Partial<RelayLimits>;
  /** Allows protocol limits above the defaults (benchmarks, load tests); logged as a warning, never silent. */
  exceedProtocolLimits?: boolean;
  logger?: Logger;
  /**
   * Directory of the phone app's built files served at /app/; null to serve none. Default mobile/dist of this repo if
   * it exists.
   */
  appDir?: string | null;
  /** Bearer token opening /metrics to non-loopback clients (METRICS_TOKEN); default none: loopback only. */
  metricsToken?: string | null;
  /**
   * Cluster mode (docs/relay.md, "Running a cluster"): this process is one node; needs a postgres:// `db`. Default: a
   * single relay.
   */
  cluster?: Partial<ClusterSettings> & { bus: string };
}

export interface RelayHandle {
  /** ws://host:port/v1/gateway */
  url: string;
  port: number;
  host: string;
  /** The directory of phone-app files served at /app/, or null when none is served. */
  appDir: string | null;
  /** Stops at once: closes every connection (1001), flushes writes, closes the database. */
  close(): Promise<void>;
  /** Sends every client RECONNECT (op 7), closes the connections, then closes. */
  drain(): Promise<void>;
  /** Runs the expiry sweep now; resolves to the number of frames removed. */
  sweep(): Promise<number>;
  /** Prometheus text of /metrics. */
  metricsText(): string;
  /**
   * Opens a gateway connection for a client in this process (an embedded relay's hub), through memory rather
   * than a loopback socket: the same protocol and limits (gateway/in-process-socket.ts). A SocketFactory; the URL
   * is not used.
   */
  inProcessSocket: SocketFactory;
}

/** How long drain() waits for clients to finish the close handshake. */
const DRAIN_GRACE_MS = 2000;

function defaultAppDir(): string | null {
  const dir = fileURLToPath(new URL("../../mobile/dist", import.meta.url));
  return existsSync(dir) ? dir : null;
}

function wsUrl(host: string, port: number): string {
  const shown = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `ws://${shown.includes(":") ? `[${shown}]` : shown}:${port}${GATEWAY_PATH}`;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(new RelayConfigError(`cannot listen on ${host}:${port}: ${err.message}`));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts a relay.
 *
 * @example
 * const relay = await startRelay({ port: 0, db: "memory" });
 * // connect a client to relay.url ...
 * await relay.close();
 */
export async function startRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const settings = resolveSettings(options);
  const root = options.logger ?? createLogger();
  const log = root.child({ mod: "relay" });
  const raised = raisedLimits(settings.limits);
  if (raised.length > 0)
    log.warn({ raised }, "protocol limits raised above the defaults: clients may rely on the defaults");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RelayConfigError(`port must be 0 to 65535, got ${port}`);
  const host = options.host ?? "127.0.0.1";
  const spec = parseDatabaseSpec(options.db ?? "memory");
  const clusterSettings = options.cluster === undefined ? null : resolveClusterSettings(options.cluster);
  if (clusterSettings !== null && spec.kind !== "postgres")
    throw new RelayConfigError("cluster mode needs a postgres:// database shared by every node");
  const database = await openDatabase(spec, {
    log: root,
    connectTimeoutMs: settings.limits.dbConnectTimeoutMs,
    ...(options.dbSchema !== undefined ? { schema: options.dbSchema } : {}),
  });
  const node =
    clusterSettings === null
      ? null
      : await joinCluster(clusterSettings, root, Date.now).catch(async (err: unknown) => {
          await database
            .close()
            .catch((closeErr: unknown) =>
              root.warn({ err: String(closeErr) }, "database not closed after the cluster join failed"),
            );
          throw err;
        });
  try {
    const queue = await OfflineQueue.open(database.db, settings.limits, root);
    const grants = await GrantIndex.open(database.db, (run) => queue.batcher.task(run));
    let gateway: Gateway | null = null;
    let registry: SessionRegistry | null = null;
    const presence =
      node === null
        ? new Presence(grants, () => registry!)
        : new Presence(
            grants,
            () => registry!,
            (d) => node.cluster.locate(d) !== undefined,
          );
    const rendezvous =
      node === null
        ? new RendezvousRegistry(settings.limits)
        : new SharedRendezvous(database.db, settings.limits, root.child({ mod: "relay/rendezvous" }));
    const metrics = new RelayMetrics({
      connections: () => gateway?.connectionCount ?? 0,
      sessions: () => registry?.sessionCount ?? 0,
      liveSessions: () => registry?.liveCount ?? 0,
      storedFrames: () => queue.storedFrames,
      storedBytes: () => queue.storedBytes,
      openRendezvous: () => rendezvous.size,
      sendBuffered: () => gateway?.sendBuffered ?? 0,
    });
    registry = new SessionRegistry(
      {
        resumeTtlS: settings.resumeTtlS,
        resumeMaxEvents: settings.limits.resumeMaxEvents,
        resumeMaxBytes: settings.limits.resumeMaxBytes,
      },
      {
        online: (d) => {
          presence.announce(d, true);
          node?.cluster.claim(d);
        },
        offline: (d) => {
          presence.announce(d, false);
          node?.cluster.release(d);
        },
      },
      (qos) => metrics.frameOut(qos),
    );
    const ctx: GatewayContext = {
      settings,
      registry,
      queue,
      grants,
      presence,
      rendezvous,
      metrics,
      log: root.child({ mod: "relay/gateway" }),
      now: Date.now,
    };
    if (node !== null) {
      ctx.cluster = node.cluster;
      metrics.extraSeries = () => node.cluster.metricLines();
    }
    gateway = new Gateway(ctx);
    const inProcess = new InProcessConnections(gateway);
    node?.attach(ctx);
    const appDir = options.appDir === undefined ? defaultAppDir() : options.appDir;
    const http = createHttpApp({
      gateway,
      metrics,
      log: root.child({ mod: "relay/http" }),
      transportMaxBytes: settings.limits.transportMaxBytes,
      appDir,
      metricsToken: options.metricsToken ?? null,
    });
    const server = createAdaptorServer({ fetch: http.app.fetch }) as Server;
    http.injectWebSocket(server);
    const address = await listen(server, port, host);
    const url = wsUrl(host, address.port);
    log.info(
      { url, db: describeSpec(spec), relayId: settings.relayId, appDir, node: node?.cluster.node },
      "relay listening",
    );

    // In a cluster a draining node stops listening first, so the load balancer sends reconnecting clients elsewhere.
    let unlisten: Promise<void> | null = null;
    const stopListening = () => (unlisten ??= new Promise<void>((resolve) => server.close(() => resolve())));
    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        gateway.stop();
        for (const client of http.wss.clients) client.terminate();
        inProcess.terminate();
        const unlistened = stopListening();
        server.closeAllConnections();
        await unlistened;
        await queue.flush();
        await node?.close();
        await database.close();
        log.info("relay closed");
      })());
    return {
      url,
      port: address.port,
      host,
      appDir,
      close,
      async drain() {
        if (node !== null) void stopListening();
        gateway.drain();
        // Let RECONNECT and the close frames reach the clients before the sockets are cut.
        const deadline = Date.now() + DRAIN_GRACE_MS;
        while (http.wss.clients.size + inProcess.size > 0 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        await close();
      },
      sweep: () => gateway.sweep(),
      metricsText: () => metrics.render(),
      inProcessSocket: (_url, handlers) => inProcess.connect(handlers),
    };
  } catch (err) {
    // The start failed: close what was opened, and report the start's own error.
    await node
      ?.close()
      .catch((closeErr: unknown) =>
        root.warn({ err: String(closeErr) }, "cluster node not closed after a failed start"),
      );
    await database
      .close()
      .catch((closeErr: unknown) => root.warn({ err: String(closeErr) }, "database not closed after a failed start"));
    throw err;
  }
}
