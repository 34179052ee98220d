/**
 * A TCP proxy on loopback that can fail the way networks fail, with no
 * namespaces or root needed:
 *
 * - `blackhole()`: nothing passes in either direction and nothing is closed.
 *   Bytes stay where they are (unread in the kernel buffers), closes from
 *   either side are held back, new connections are accepted and left hanging:
 *   what a peer sees when packets are silently dropped. `heal()` lets it all
 *   flow again, as TCP would after retransmission.
 * - `cut()`: every connection is reset and new ones are refused until
 *   `restore()`: what a client sees when a server (Postgres) goes away.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

interface Pair {
  client: Socket;
  upstream: Socket | null;
  /** Closes seen while blackholed, replayed on heal. */
  heldEnds: Array<() => void>;
}

export type ProxyMode = "forward" | "blackhole" | "refuse";

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private mode: ProxyMode = "forward";
  private server!: Server;
  port = 0;
  /** Connections accepted so far (a reconnect shows up here). */
  accepted = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  /** Starts a proxy on 127.0.0.1 (free port) forwarding to `targetHost:targetPort`. */
  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    proxy.server = createServer((socket) => proxy.adopt(socket));
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Local ports of the proxy's upstream connections (how the server sees them, e.g. pg_stat_activity.client_port). */
  upstreamPorts(): number[] {
    return [...this.pairs].flatMap((p) => (p.upstream?.localPort !== undefined ? [p.upstream.localPort] : []));
  }

  private adopt(client: Socket): void {
    this.accepted += 1;
    if (this.mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null, heldEnds: [] };
    this.pairs.add(pair);
    client.on("error", () => undefined);
    client.pause();
    const open = () => {
      const upstream = connect({ port: this.targetPort, host: this.targetHost });
      pair.upstream = upstream;
      upstream.on("error", () => undefined);
      upstream.pause();
      this.wire(pair, client, upstream);
      this.wire(pair, upstream, client);
      if (this.mode === "forward") {
        client.resume();
        upstream.resume();
      }
    };
    if (this.mode === "blackhole") pair.heldEnds.push(open);
    else open();
  }

  private wire(pair: Pair, from: Socket, to: Socket): void {
    from.on("data", (chunk) => {
      // Data read just before a blackhole began still passes: TCP had already delivered it.
      if (!to.destroyed) to.write(chunk);
    });
    const finish = () => {
      const act = () => {
        to.destroy();
        this.pairs.delete(pair);
      };
      if (this.mode === "blackhole") pair.heldEnds.push(act);
      else act();
    };
    from.on("end", finish);
    from.on("close", finish);
  }

  /** Silently drops everything from now on (see the file comment). */
  blackhole(): void {
    this.mode = "blackhole";
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  /** Ends a blackhole: held bytes, closes and connections go through. */
  heal(): void {
    this.mode = "forward";
    for (const pair of [...this.pairs]) {
      const held = pair.heldEnds.splice(0);
      for (const act of held) act();
      if (!pair.client.destroyed) pair.client.resume();
      if (pair.upstream !== null && !pair.upstream.destroyed) pair.upstream.resume();
    }
  }

  /** Resets every connection and refuses new ones until `restore()`. */
  cut(): void {
    this.mode = "refuse";
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream?.resetAndDestroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.mode = "forward";
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
