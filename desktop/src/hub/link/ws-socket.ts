import type { SocketFactory } from "@neural-link/shared/client";
import WebSocket from "ws";
import { describeHttpAnswer, describeSocketError } from "./connect-failure";

/** Close code for a connection that never opened (no close frame was exchanged). */
const ABNORMAL_CLOSURE = 1006;

/**
 * The gateway client's socket in Node, on the `ws` package. Unlike a browser
 * socket it can say why a connection failed (refused, DNS, TLS, an HTTP
 * redirect), and passes that as the close reason, which the gateway client
 * keeps as its `lastError` for the CLI and UI to show.
 */
/** A binary message's bytes: `ws` gives a Buffer by default, an ArrayBuffer or fragments under other binaryTypes. */
function bytesOf(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

export const wsSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  let failure: string | null = null;
  let closed = false;
  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    handlers.close(code, reason);
  };
  ws.on("open", () => handlers.open());
  ws.on("message", (data, isBinary) => {
    if (!isBinary) handlers.message(data.toString());
    // Binary FRAMEs once binary frames were granted (docs/protocol.md section 5); the client checks that.
    else handlers.binary?.(bytesOf(data));
  });
  ws.on("unexpected-response", (req, res) => {
    failure = describeHttpAnswer(res.statusCode ?? 0, res.headers.location);
    res.resume();
    req.destroy();
    close(ABNORMAL_CLOSURE, failure);
  });
  ws.on("error", (err) => {
    failure ??= describeSocketError(err as NodeJS.ErrnoException);
    handlers.error(failure);
  });
  ws.on("close", (code, reason) => close(code, failure ?? reason.toString()));
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code, reason);
    },
  };
};
