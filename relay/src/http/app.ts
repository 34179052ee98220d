/**
 * The relay's HTTP surface on Hono: /healthz, /metrics and the phone app.
 * The v1 gateway WebSocket (and other versions, refused with 4012) is served
 * by `ws` off the upgrade, beside Hono (gateway-socket.ts).
 */
import type { Server } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import type { Logger } from "pino";
import type { Gateway } from "../gateway/gateway";
import type { RelayMetrics } from "../metrics";
import { createGatewaySocket } from "./gateway-socket";
import { metricsAllowed } from "./metrics-access";
import { mountAppFiles } from "./static-files";

export interface HttpAppOptions {
  gateway: Gateway;
  metrics: RelayMetrics;
  log: Logger;
  /** Largest WebSocket message the transport buffers before cutting the connection (close 1009). */
  transportMaxBytes: number;
  appDir: string | null;
  /** Bearer token that opens /metrics to non-loopback clients; null: loopback only. */
  metricsToken: string | null;
}

export function createHttpApp(options: HttpAppOptions) {
  const { gateway, metrics, log } = options;
  const app = new Hono();
  const socket = createGatewaySocket({
    gateway,
    metrics,
    log,
    transportMaxBytes: options.transportMaxBytes,
    statusOf: async (path) => (await app.request(path)).status,
  });
  app.get("/:version/gateway", (c) => c.text("WebSocket upgrade required", 426));
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/metrics", (c) => {
    const request = { remoteAddress: getConnInfo(c).remote.address, header: (name: string) => c.req.header(name) };
    if (!metricsAllowed(request, options.metricsToken))
      return c.text("forbidden: /metrics is served to loopback clients or with the metrics token", 403);
    return c.text(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  if (options.appDir !== null) {
    mountAppFiles(app, options.appDir);
    app.get("/", (c) => c.redirect("/app/", 302));
  }
  app.notFound((c) => c.text("not found", 404));
  app.onError((err, c) => {
    log.error({ err: err.message }, "http handler failed");
    return c.text("internal error", 500);
  });
  return { app, injectWebSocket: (server: Server) => socket.attach(server), wss: socket.wss };
}
