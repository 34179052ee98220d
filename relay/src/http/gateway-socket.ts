/**
 * The gateway WebSocket, served by `ws` straight off the HTTP upgrade.
 *
 * Not through @hono/node-ws: its upgrade builds a Hono request and context
 * per connection and keeps them (and their URL objects) alive in closures for
 * the socket's whole life, and it wraps every incoming message in a
 * MessageEvent (copying binary ones) even with no listener for it. Measured
 * per idle authenticated connection, that was most of the relay's heap above
 * a bare `ws` server (docs/relay.md, "Memory and CPU per connection"). Hono
 * still serves every plain HTTP route.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { CloseCode, GATEWAY_PATH } from "@neural-link/shared/protocol";
import type { Logger } from "pino";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import type { Connection } from "../gateway/connection";
import type { Gateway } from "../gateway/gateway";
import type { RelayMetrics } from "../metrics";

export interface GatewaySocketOptions {
  gateway: Gateway;
  metrics: RelayMetrics;
  log: Logger;
  /** Largest WebSocket message the transport buffers before cutting the connection (close 1009). */
  transportMaxBytes: number;
  /** Status of a plain HTTP request to `path`, for an upgrade to a path that is no gateway. */
  statusOf(path: string): Promise<number>;
}

/** The connection a socket feeds, kept on the socket itself: one shared listener each, no closures per connection. */
const CONN = Symbol("gateway connection");
type GatewayWebSocket = WebSocket & { [CONN]?: Connection };

function onMessage(this: GatewayWebSocket, data: RawData, isBinary: boolean): void {
  // Binary messages are binary frames (docs/protocol.md section 5); the connection refuses them unless negotiated.
  if (isBinary) this[CONN]?.receiveBinary(data as Buffer);
  else this[CONN]?.receive((data as Buffer).toString());
}

function onClose(this: GatewayWebSocket): void {
  this[CONN]?.closed();
}

/** A refused upgrade's socket may fail while we answer it; there is nothing left to do then. */
function ignoreSocketError(): void {}

/** Another version's gateway path: upgraded, then closed with 4012. */
const OTHER_VERSION = /^\/[^/]+\/gateway$/;

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q < 0 ? raw : raw.slice(0, q);
}

export function createGatewaySocket(options: GatewaySocketOptions): {
  wss: WebSocketServer;
  attach(server: Server): void;
} {
  const { gateway, metrics, log } = options;
  // ws' default cap is 100 MiB; the gateway's own 1 MiB limit (close 4011) applies below this one.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.transportMaxBytes, perMessageDeflate: false });
  const onError = (err: Error) => log.warn({ err: err.message }, "websocket error");

  const adopt = (ws: GatewayWebSocket) => {
    ws.on("error", onError);
    const conn = gateway.open(ws);
    if (conn === null) return;
    ws[CONN] = conn;
    ws.on("message", onMessage);
    ws.on("close", onClose);
  };

  const refuseVersion = (ws: WebSocket) => {
    ws.on("error", onError);
    metrics.closedWith(CloseCode.INVALID_VERSION);
    ws.close(CloseCode.INVALID_VERSION, `this relay speaks ${GATEWAY_PATH} only`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(req.url);
    // handleUpgrade watches the socket for errors itself; no listener of ours stays on a gateway socket.
    if (path === GATEWAY_PATH) return wss.handleUpgrade(req, socket, head, adopt);
    if (OTHER_VERSION.test(path)) return wss.handleUpgrade(req, socket, head, refuseVersion);
    // Not a WebSocket route: answer as the HTTP app would, and close.
    socket.on("error", ignoreSocketError);
    options.statusOf(path).then(
      (status) => socket.end(`HTTP/1.1 ${status} \r\nConnection: close\r\nContent-Length: 0\r\n\r\n`),
      () => socket.destroy(),
    );
  };

  return { wss, attach: (server) => void server.on("upgrade", onUpgrade) };
}
