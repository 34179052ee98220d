// A protocol-speaking stand-in for the relay, for the client's unit tests.
// Shared may not import the real relay (lint forbids shared importing apps,
// tests included); the real interop is proven by the desktop e2e tests.
import { verifyAuth } from "../src/crypto/auth";
import { b64uDecode, b64uEncode } from "../src/encoding/b64u";
import { randomBytes } from "../src/crypto/bytes";
import type { SocketFactory, SocketHandlers } from "../src/client/socket";

export type Sent = { op: number; d: Record<string, unknown> & { ref?: string } };

export class FakeConn {
  readonly received: Sent[] = [];
  closed: { code: number; reason: string } | null = null;
  device: string | null = null;
  seq = 0;
  readonly challenge = b64uEncode(randomBytes(32));

  constructor(
    private readonly relay: FakeRelay,
    readonly handlers: SocketHandlers,
  ) {}

  /** Delivers a relay message to the client on a later tick, as a socket would. */
  push(msg: { op: number; d: unknown; t?: string; s?: number }): void {
    const text = JSON.stringify(msg);
    queueMicrotask(() => !this.closed && this.handlers.message(text));
  }

  event(t: string, d: unknown, s: number | undefined = ++this.seq): void {
    this.push({ op: 0, t, d, ...(s === undefined ? {} : { s }) });
  }

  /** `limits`: HELLO's announced limits (docs/protocol.md section 4), absent by default like an older relay. */
  hello(heartbeatInterval = 60_000, limits?: unknown): void {
    this.push({
      op: 4,
      d: {
        v: 1,
        heartbeat_interval: heartbeatInterval,
        challenge: this.challenge,
        relay: this.relay.id,
        ...(limits !== undefined ? { limits } : {}),
      },
    });
  }

  /** The relay closes the socket. */
  drop(code: number, reason = ""): void {
    // Closed after what was pushed before it has been delivered, as on a real socket.
    queueMicrotask(() => {
      if (this.closed) return;
      this.closed = { code, reason };
      this.handlers.close(code, reason);
    });
  }

  ops(op: number): Sent[] {
    return this.received.filter((m) => m.op === op);
  }

  onClientMessage(text: string): void {
    const msg = JSON.parse(text) as Sent;
    this.received.push(msg);
    this.relay.auto?.(this, msg);
  }
}

/**
 * With `auto` unset the test drives every step; `routing()` makes it answer
 * AUTH, HEARTBEAT, GRANT and SEND like a relay and route frames between conns.
 */
export class FakeRelay {
  readonly id = "fake-relay";
  readonly conns: FakeConn[] = [];
  auto: ((conn: FakeConn, msg: Sent) => void) | null = null;

  readonly factory: SocketFactory = (_url, handlers) => {
    const conn = new FakeConn(this, handlers);
    this.conns.push(conn);
    if (this.auto) conn.hello();
    return {
      send: (text) => {
        if (conn.closed) throw new Error("socket is closed");
        // The fake never grants binary frames, so a client never writes binary to it.
        if (typeof text !== "string") throw new Error("the fake relay speaks JSON text only");
        conn.onClientMessage(text);
      },
      close: (code, reason) => {
        conn.closed = { code, reason };
      },
    };
  };

  get last(): FakeConn {
    const conn = this.conns[this.conns.length - 1];
    if (!conn) throw new Error("no connection yet");
    return conn;
  }

  /** Waits until `n` connections exist. */
  async waitConns(n: number): Promise<FakeConn> {
    await until(() => this.conns.length >= n);
    return this.conns[n - 1]!;
  }

  routing(): this {
    this.auto = (conn, msg) => {
      const d = msg.d;
      switch (msg.op) {
        case 1:
          conn.push({ op: 3, d: null });
          return;
        case 2: {
          if (!verifyAuth(String(d.device), b64uDecode(conn.challenge), this.id, String(d.sig)))
            return conn.drop(4004, "bad signature");
          conn.device = String(d.device);
          conn.event("READY", {
            session: `s-${this.conns.length}`,
            device: conn.device,
            heartbeat_interval: 60_000,
            resume_ttl_s: 60,
            peers_online: [],
          });
          return;
        }
        case 5: {
          const to = this.conns.find((c) => c.device === d.to && !c.closed);
          if (to) to.event("FRAME", { id: d.id, from: conn.device, body: d.body, qos: d.qos, ts: Date.now() });
          if (d.ref)
            conn.event("REPLY", { ref: d.ref, ok: true, status: d.qos === 1 ? "stored" : to ? "sent" : "dropped" });
          return;
        }
        default:
          if (d && d.ref) conn.event("REPLY", { ref: d.ref, ok: true });
      }
    };
    return this;
  }
}

/** Polls a condition on the event loop; fails the test after a while. */
export async function until(cond: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setTimeout(() => r(), 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
