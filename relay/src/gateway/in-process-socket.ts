/**
 * A gateway connection for a client in the relay's own process: the hub and
 * its embedded relay (docs/relay.md, "Running it"). It speaks the same
 * protocol, HELLO and signed AUTH included, with the same limits; only the
 * transport is a pair of in-memory queues instead of a loopback WebSocket.
 * Every frame between the hub and its own relay had cost a WebSocket frame
 * each way (the client's masked), two socket system calls and a read
 * wake-up: on a keystroke's echo, four of each.
 *
 * Delivery is asynchronous and in order, as on a socket: messages wait in a
 * queue drained on the next turn of the event loop (setImmediate), so a
 * handler never runs inside the sender's call and a burst is handed over in
 * one turn. Messages are not copied: like `ws`, which holds a sent buffer
 * until it is written, both sides treat a sent message as no longer theirs.
 */
import type { SocketHandlers, SocketLike } from "@neural-link/shared/client";
import type { Connection, RawSocket } from "./connection";
import type { Gateway } from "./gateway";
import { asBuffer } from "./routed-frame";

/** WebSocket close code of a connection that ended without a close handshake (terminated). */
const ABNORMAL_CLOSURE = 1006;

type Message = string | Uint8Array;

/** One in-process connection, seen from both ends. */
class InProcessPair {
  /** Toward the client (the relay's writes), not yet handed over: what `bufferedAmount` counts. */
  private readonly toClient: Message[] = [];
  private toClientBytes = 0;
  /** Toward the relay (the client's writes); held while the relay has paused reading. */
  private readonly toRelay: Message[] = [];
  private paused = false;
  /** The client has been told it is open: nothing reaches it before. */
  private started = false;
  private scheduled = false;
  /** The close both ends learn of once what was written before it is delivered. */
  private closing: { code: number; reason: string } | null = null;
  private ended = false;
  private conn: Connection | null = null;
  readonly relaySide: RawSocket;
  readonly clientSide: SocketLike;

  constructor(
    private readonly handlers: SocketHandlers,
    private readonly onEnd: (pair: InProcessPair) => void,
  ) {
    const writable = () => !this.ended && this.closing === null;
    const buffered = () => this.toClientBytes;
    this.relaySide = {
      send: (data: string | Buffer) => {
        if (!writable()) return;
        this.toClient.push(data);
        this.toClientBytes += data.length;
        this.schedule();
      },
      close: (code: number, reason: string) => this.closeAfterQueued(code, reason),
      terminate: () => this.end(ABNORMAL_CLOSURE, ""),
      pause: () => {
        this.paused = true;
      },
      resume: () => {
        this.paused = false;
        this.schedule();
      },
      get bufferedAmount(): number {
        return buffered();
      },
    };
    this.clientSide = {
      send: (data) => {
        if (!writable()) return;
        this.toRelay.push(data);
        this.schedule();
      },
      // The client closing: what it wrote before still reaches the relay, then both ends learn of the close.
      close: (code, reason) => this.closeAfterQueued(code, reason),
    };
  }

  /** Tells the client it is open, then hands over what the relay wrote meanwhile (its HELLO). */
  start(conn: Connection | null): void {
    this.conn = conn;
    setImmediate(() => {
      if (this.ended) return;
      this.started = true;
      this.handlers.open();
      this.schedule();
    });
  }

  /** Ends the connection: both ends learn of it at once; nothing more is delivered. */
  end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.toClient.length = this.toRelay.length = 0;
    this.toClientBytes = 0;
    this.onEnd(this);
    this.conn?.closed();
    setImmediate(() => this.handlers.close(code, reason));
  }

  private closeAfterQueued(code: number, reason: string): void {
    if (this.ended || this.closing !== null) return;
    this.closing = { code, reason };
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.ended || !this.started) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.deliver();
    });
  }

  private deliver(): void {
    // The client's writes first, then the relay's: each side gets what was queued when the turn began; anything
    // written meanwhile (an answer) waits for the next turn, as it would behind a socket.
    for (let n = this.toRelay.length; n > 0 && !this.paused && !this.ended; n--) {
      const m = this.toRelay.shift()!;
      if (this.conn === null) continue; // refused at open (a draining relay): what the client writes goes nowhere
      if (typeof m === "string") this.conn.receive(m);
      else this.conn.receiveBinary(asBuffer(m));
    }
    for (let n = this.toClient.length; n > 0 && !this.ended; n--) {
      const m = this.toClient.shift()!;
      this.toClientBytes -= m.length;
      if (typeof m === "string") this.handlers.message(m);
      else this.handlers.binary?.(m);
    }
    if (this.ended) return;
    const relayWaits = !this.paused && this.toRelay.length > 0;
    if (this.closing !== null && this.toClient.length === 0 && !relayWaits)
      return this.end(this.closing.code, this.closing.reason);
    if (this.toClient.length > 0 || relayWaits) this.schedule();
  }
}

/**
 * Connections of clients in the relay's process. `connect` opens one (the
 * gateway may refuse it at once, as it does a socket while draining);
 * `terminate` ends them all, as the relay's close does its sockets.
 */
export class InProcessConnections {
  private readonly open = new Set<InProcessPair>();
  private readonly forget = (pair: InProcessPair) => this.open.delete(pair);
  private closed = false;

  constructor(private readonly gateway: Gateway) {}

  get size(): number {
    return this.open.size;
  }

  /**
   * A SocketFactory's work for a client in this process (the URL is not needed). Once the relay has closed, the
   * connection fails without opening, as a socket to a closed port would.
   */
  connect(handlers: SocketHandlers): SocketLike {
    const pair = new InProcessPair(handlers, this.forget);
    if (this.closed) {
      pair.end(ABNORMAL_CLOSURE, "the relay has closed");
      return pair.clientSide;
    }
    this.open.add(pair);
    pair.start(this.gateway.open(pair.relaySide));
    return pair.clientSide;
  }

  /** Ends every connection (the relay is closing) and refuses new ones. */
  terminate(): void {
    this.closed = true;
    for (const pair of [...this.open]) pair.end(ABNORMAL_CLOSURE, "");
  }
}
