/**
 * The transport the gateway client speaks over, reduced to what it needs:
 * send a text message, close, and four callbacks. Browsers' WebSocket and the
 * `ws` package both fit through `standardSocketFactory`; tests plug in a fake.
 */
export interface SocketLike {
  /** Text, or a binary message (binary frames, docs/protocol.md section 5, once negotiated). */
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
}

/** What a socket reports back. `message` carries text frames, `binary` (when given) binary ones. */
export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  binary?(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  error(message: string): void;
}

/** Opens a socket to `url` that reports to `handlers`. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

/**
 * The WHATWG WebSocket surface used here. Parameters are typed `never` so that
 * any implementation's own event types fit; we only ever assign handlers.
 */
export interface StandardWebSocket {
  send(data: string | Uint8Array): void;
  /** 1 while open (WHATWG `WebSocket.OPEN`); 2 closing, 3 closed. */
  readonly readyState?: number;
  /** Set to "arraybuffer" so binary messages arrive as bytes (a browser's default is Blob). */
  binaryType?: string;
  close(code?: number, reason?: string): void;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: never) => void) | null;
  onclose: ((ev: never) => void) | null;
  onerror: ((ev: never) => void) | null;
}

/** WHATWG `WebSocket.OPEN` (also `ws`'s), as a number: shared does not see the DOM's constants. */
const WS_OPEN = 1;

/**
 * Adapts a standard WebSocket constructor (the browser's, or `ws`'s default
 * export in Node) to a SocketFactory. Binary messages go to `handlers.binary`
 * (binary frames, docs/protocol.md section 5) and are ignored without it.
 *
 * @example const client = new GatewayClient({ socketFactory: standardSocketFactory(WebSocket), ... })
 */
export function standardSocketFactory(Ctor: new (url: string) => StandardWebSocket): SocketFactory {
  return (url, handlers) => {
    const ws = new Ctor(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => handlers.open();
    ws.onmessage = ((ev: { data: unknown }) => {
      const data = ev.data;
      if (typeof data === "string") handlers.message(data);
      else if (data instanceof ArrayBuffer) handlers.binary?.(new Uint8Array(data));
      else if (ArrayBuffer.isView(data))
        handlers.binary?.(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }) as (ev: never) => void;
    ws.onclose = ((ev: { code: number; reason: string }) => handlers.close(ev.code, ev.reason)) as (ev: never) => void;
    ws.onerror = ((ev: { message?: unknown }) =>
      handlers.error(typeof ev.message === "string" ? ev.message : "socket error")) as (ev: never) => void;
    return {
      // A message written while the socket is closing is lost either way (qos 1 frames wait in the outbox and go
      // again on the next connection); a browser would also log a console warning for each one.
      send: (data) => {
        if (ws.readyState === undefined || ws.readyState === WS_OPEN) ws.send(data);
      },
      close: (code, reason) => ws.close(code, reason),
    };
  };
}
