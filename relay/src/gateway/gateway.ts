/**
 * The set of open connections and the timers that watch them: AUTH
 * deadlines and heartbeats, and the periodic sweep of expired frames and
 * rendezvous.
 */
import { Op } from "@neural-link/shared/protocol";
import { Connection, type RawSocket } from "./connection";
import type { GatewayContext } from "./context";

/** WebSocket close code sent with RECONNECT when the relay drains ("going away"). */
const GOING_AWAY = 1001;

export class Gateway {
  private readonly connections = new Set<Connection>();
  private readonly liveness: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private accepting = true;
  /** One function for every connection's end, rather than a closure each. */
  private readonly forget = (conn: Connection) => this.connections.delete(conn);

  constructor(private readonly ctx: GatewayContext) {
    const { heartbeatMs, authTimeoutMs, limits } = ctx.settings;
    const period = Math.min(1000, Math.max(10, Math.floor(Math.min(heartbeatMs, authTimeoutMs) / 4)));
    this.liveness = setInterval(() => this.tick(), period);
    this.liveness.unref();
    this.sweeper = setInterval(() => void this.sweep(), limits.sweepIntervalMs);
    this.sweeper.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes waiting in all send buffers (for /metrics). */
  get sendBuffered(): number {
    let total = 0;
    for (const conn of this.connections) total += conn.bufferedAmount;
    return total;
  }

  /** Adopts a new WebSocket; returns the connection to feed messages to, or null when draining. */
  open(socket: RawSocket): Connection | null {
    if (!this.accepting) {
      socket.send(JSON.stringify({ op: Op.RECONNECT, d: null }));
      socket.close(GOING_AWAY, "relay is draining");
      return null;
    }
    const conn = new Connection(this.ctx, socket, this.forget);
    this.connections.add(conn);
    this.ctx.metrics.connectionsTotal += 1;
    conn.start();
    return conn;
  }

  private tick(): void {
    const now = this.ctx.now();
    for (const conn of this.connections) conn.tick(now);
  }

  /** Removes expired frames and rendezvous. Failures are logged; the next sweep tries again. */
  async sweep(): Promise<number> {
    const now = this.ctx.now();
    this.ctx.rendezvous.sweep(now);
    try {
      return await this.ctx.queue.sweep(now);
    } catch (err) {
      this.ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, "sweep failed");
      return 0;
    }
  }

  /** Tells every client to reconnect (op 7) and closes its connection; refuses new ones. */
  drain(): void {
    this.accepting = false;
    const reconnect = JSON.stringify({ op: Op.RECONNECT, d: null });
    for (const conn of [...this.connections]) {
      conn.send(reconnect);
      conn.close(GOING_AWAY, "relay is draining");
    }
  }

  stop(): void {
    clearInterval(this.liveness);
    clearInterval(this.sweeper);
    this.drainQuietly();
    this.ctx.registry.clear();
  }

  private drainQuietly(): void {
    this.accepting = false;
    for (const conn of [...this.connections]) conn.close(GOING_AWAY, "relay is stopping");
  }
}
