/**
 * ClusterBus over NATS core (nats.js v2). Core NATS, not JetStream: the hop
 * carries live traffic whose durable copy is already in Postgres, and the
 * measured JetStream publish (stored, acknowledged) was about ten times
 * slower (docs/relay.md). The connection reconnects forever; while it is
 * down, publishes are buffered by the client up to its limit and the cluster
 * falls back to the offline queue for qos 1.
 */
import { connect, createInbox, type NatsConnection } from "nats";
import type { Logger } from "pino";
import type { BusMessage, ClusterBus } from "./bus";

const EMPTY = new Uint8Array(0);

export class NatsBus implements ClusterBus {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {
    void this.watch();
  }

  /**
   * Connects to `url` (nats://host:port, several separated by commas).
   *
   * @example const bus = await NatsBus.connect("nats://127.0.0.1:4222", "relay-a", log);
   */
  static async connect(url: string, name: string, log: Logger, timeoutMs: number): Promise<NatsBus> {
    const servers = url
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const nc = await connect({
      servers,
      name,
      timeout: timeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 5000,
    });
    return new NatsBus(nc, log.child({ mod: "relay/nats-bus" }));
  }

  private async watch(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === "disconnect" || status.type === "reconnect" || status.type === "error")
        this.log.warn({ status: status.type }, "bus connection status");
    }
  }

  publish(subject: string, data: Uint8Array): void {
    try {
      this.nc.publish(subject, data);
    } catch (err) {
      // Closed or draining: the frame's durable copy (qos 1) is in Postgres; qos 0 is best effort.
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, "publish failed");
    }
  }

  subscribe(subject: string, handler: (message: BusMessage) => void): void {
    this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err !== null) return this.log.warn({ err: err.message }, "subscription error");
        handler({ data: msg.data, respond: (data) => void (msg.reply !== undefined && msg.respond(data)) });
      },
    });
  }

  gather(
    subject: string,
    data: Uint8Array,
    enough: (replies: Uint8Array[]) => boolean,
    timeoutMs: number,
  ): Promise<Uint8Array[]> {
    const inbox = createInbox();
    const replies: Uint8Array[] = [];
    return new Promise((resolve) => {
      const sub = this.nc.subscribe(inbox, {
        callback: (err, msg) => {
          if (err === null) replies.push(msg.data);
          if (enough(replies)) done();
        },
      });
      const timer = setTimeout(() => done(), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        sub.unsubscribe();
        resolve(replies);
      };
      if (enough(replies)) return done();
      try {
        this.nc.publish(subject, data.length > 0 ? data : EMPTY, { reply: inbox });
      } catch {
        done();
      }
    });
  }

  flush(): Promise<void> {
    return this.nc.flush();
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.drain().catch(() => this.nc.close());
  }
}
