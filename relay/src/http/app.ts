/**
 * The relay's HTTP surface on Hono: the v1 gateway WebSocket, other
 * versions refused with 4012, /healthz, /metrics and the phone app.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { createNodeWebSocket } from "@hono/node-ws";
import { CloseCode, GATEWAY_PATH } from "@neural-link/shared/protocol";
import { Hono } from "hono";
import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { Gateway } from "../gateway/gateway";
import type { RelayMetrics } from "../metrics";
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
  const nodeWs = createNodeWebSocket({ app });
  // ws' default cap is 100 MiB; the gateway's own 1 MiB limit (close 4011) applies below this one.
  nodeWs.wss.options.maxPayload = options.transportMaxBytes;
  const onError = (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "websocket error");

  app.get(
    GATEWAY_PATH,
    nodeWs.upgradeWebSocket(() => {
      let conn: ReturnType<Gateway["open"]> = null;
      return {
        onOpen(_event, ws) {
          const raw = ws.raw as WebSocket;
          conn = gateway.open(raw);
          // Messages are read straight from the socket: Hono's onMessage would wrap each one in
          // a MessageEvent on the hot path. Without an onMessage handler, @hono/node-ws skips that.
          raw.on("message", (data, isBinary) => {
            // Binary messages are binary frames (docs/protocol.md section 5); the connection refuses them unless negotiated.
            if (isBinary) conn?.receiveBinary(data as Buffer);
            else conn?.receive(data.toString());
          });
        },
        onClose() {
          conn?.closed();
        },
      };
    }, { onError }),
  );
  app.get(
    "/:version/gateway",
    nodeWs.upgradeWebSocket(() => ({
      onOpen(_event, ws) {
        metrics.closedWith(CloseCode.INVALID_VERSION);
        ws.close(CloseCode.INVALID_VERSION, `this relay speaks ${GATEWAY_PATH} only`);
      },
    }), { onError }),
  );
  app.get("/:version/gateway", (c) => c.text("WebSocket upgrade required", 426));
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/metrics", (c) => {
    const request = { remoteAddress: getConnInfo(c).remote.address, header: (name: string) => c.req.header(name) };
    if (!metricsAllowed(request, options.metricsToken)) return c.text("forbidden: /metrics is served to loopback clients or with the metrics token", 403);
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
  return { app, injectWebSocket: nodeWs.injectWebSocket, wss: nodeWs.wss };
}
