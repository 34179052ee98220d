import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { HubApi } from "../api";
import { runBridgeSession } from "./bridge-session";
import { BRIDGE_DEFAULTS, type BridgeSettings } from "./bridge-settings";
import { newSessionToken } from "./session-token";
import { webUiFiles } from "./static-files";

/** Path of the bridge WebSocket on the web-mode server. */
export const BRIDGE_PATH = "/bridge";

export interface BridgeServerOptions {
  api: HubApi;
  /** Directory of the built renderer (desktop/dist/web). */
  webRoot: string;
  log: Logger;
  settings?: Partial<BridgeSettings>;
  /**
   * The token to require: the CLI passes the one stored in the data directory so the address survives restarts.
   * Default: a fresh random one.
   */
  token?: string;
}

export interface BridgeServer {
  /** `http://127.0.0.1:PORT`, the only Origin and Host the server accepts. */
  origin: string;
  /** What to open in a browser: the origin plus `#token=...`. Print it to the person, never log it. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export class BridgeStartError extends Error {
  override readonly name = "BridgeStartError";
  constructor(
    message: string,
    /** The listen error's code (EADDRINUSE, EACCES...), when there was one. */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/**
 * Serves the renderer on loopback and the bridge socket beside it. The token
 * travels in the URL fragment, which browsers never send to the server, and
 * then in the first socket message, so it appears in no request line or log.
 *
 * @example
 *   const web = await startBridgeServer({ api: hub, webRoot, log });
 *   process.stdout.write(`Open ${web.url}\n`);
 */
export async function startBridgeServer(opts: BridgeServerOptions): Promise<BridgeServer> {
  const settings = { ...BRIDGE_DEFAULTS, ...opts.settings };
  const log = opts.log.child({ mod: "hub/bridge" });
  const token = opts.token ?? newSessionToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxMessageBytes });
  let origin = "";
  let host = "";

  const webUi = webUiFiles(opts.webRoot, () => origin);
  const server: Server = createServer((req, res) => {
    if (req.headers.host !== host) {
      res.writeHead(421, { "Content-Type": "text/plain" }).end("wrong Host");
      return;
    }
    webUi(req, res).catch((err: unknown) => {
      log.error({ err }, "static file failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? "").split("?")[0];
    // Browsers always send Origin on WebSocket handshakes; a page of any other
    // site (or a DNS-rebound name) is refused before the socket exists.
    if (path !== BRIDGE_PATH || req.headers.origin !== origin || req.headers.host !== host) {
      log.warn({ path, origin: req.headers.origin ?? null }, "bridge upgrade refused");
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => runBridgeSession(ws, opts.api, token, settings, log));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new BridgeStartError(
          `web mode could not listen on ${settings.host}:${settings.port}: ${err.message}`,
          err.code ?? null,
        ),
      ),
    );
    server.listen(settings.port, settings.host, () => resolveListen());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new BridgeStartError("web mode server has no TCP address");
  const hostPart = settings.host === "::1" ? "[::1]" : settings.host;
  host = `${hostPart}:${address.port}`;
  origin = `http://${host}`;
  log.info({ origin }, "web mode listening");

  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    port: address.port,
    close: async () => {
      for (const client of wss.clients) client.close(1001, "hub stopping");
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
