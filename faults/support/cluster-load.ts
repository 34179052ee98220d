/**
 * Steady qos 1 load between pairs of devices through a cluster's load
 * balancer, on the project's own client (shared/src/client: outbox until
 * `stored`, reconnect with its default backoff, resume or fresh AUTH). Each
 * receiver ACKs what it gets and records it in a FrameLedger; after a fault,
 * every frame ever handed to a sender must reach its receiver (the outbox
 * re-sends what was never answered `stored`; duplicates are deduplicated by
 * id). Used by faults/cluster/ and bench/cluster.ts.
 */
import { generateIdentity } from "@neural-link/shared/crypto";
import {
  type GatewayClientSettings,
  GatewayClient as SharedClient,
  standardSocketFactory,
} from "@neural-link/shared/client";
import WebSocket from "ws";
import { frameId } from "../../relay/test/gateway-client";
import { FrameLedger, seqBody } from "./devices";

interface Pair {
  sender: SharedClient;
  receiver: SharedClient;
  ledger: FrameLedger;
  /** Frame id -> time handed to the sender. */
  sentAt: Map<string, number>;
  /** Frame id -> time of first delivery. */
  deliveredAt: Map<string, number>;
  /** Times a client of this pair got a session (READY or RESUMED). */
  readies: number[];
  seq: number;
}

export class ClusterLoad {
  readonly pairs: Pair[] = [];
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly rate: number) {}

  /** Connects `pairs` sender/receiver pairs through `url`; receivers grant their sender. */
  static async start(
    url: string,
    pairs: number,
    rate: number,
    settings: Partial<GatewayClientSettings> = {},
  ): Promise<ClusterLoad> {
    const load = new ClusterLoad(rate);
    const make = () =>
      new SharedClient({
        url,
        identity: generateIdentity(),
        socketFactory: standardSocketFactory(WebSocket as never),
        settings,
      });
    for (let i = 0; i < pairs; i++) {
      const pair: Pair = {
        sender: make(),
        receiver: make(),
        ledger: new FrameLedger(),
        sentAt: new Map(),
        deliveredAt: new Map(),
        readies: [],
        seq: 0,
      };
      pair.receiver.on("frame", (f) => {
        if (pair.ledger.record(f)) pair.deliveredAt.set(f.id, Date.now());
        if (f.qos === 1) pair.receiver.ack(f.id);
      });
      for (const c of [pair.sender, pair.receiver]) {
        c.on("ready", () => pair.readies.push(Date.now()));
        c.start();
      }
      load.pairs.push(pair);
    }
    await Promise.all(load.pairs.flatMap((p) => [p.sender.whenOnline(), p.receiver.whenOnline()]));
    await Promise.all(load.pairs.map((p) => p.receiver.grant(p.sender.device)));
    return load;
  }

  /** Each sender hands its client one qos 1 frame every 1/rate s until `stopSending`. */
  startSending(): void {
    this.timer = setInterval(() => {
      for (const p of this.pairs) {
        const id = frameId();
        p.sentAt.set(id, Date.now());
        p.sender.send({ id, to: p.receiver.device, qos: 1, body: seqBody(p.seq++) }).catch(() => undefined);
      }
    }, 1000 / this.rate);
  }

  stopSending(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  get sent(): number {
    return this.pairs.reduce((n, p) => n + p.sentAt.size, 0);
  }

  get delivered(): number {
    return this.pairs.reduce((n, p) => n + p.ledger.unique, 0);
  }

  /** Frames handed to a sender and never delivered (yet). */
  get missing(): number {
    return this.pairs.reduce((n, p) => n + [...p.sentAt.keys()].filter((id) => !p.ledger.firstSeen.has(id)).length, 0);
  }

  get duplicates(): number {
    return this.pairs.reduce((n, p) => n + p.ledger.duplicates, 0);
  }

  get orderViolations(): number {
    return this.pairs.reduce((n, p) => n + p.ledger.orderViolations, 0);
  }

  /**
   * For each pair with a client that got a new session after `at` (its node
   * was lost or drained): ms from `at` to the first delivery of a frame
   * handed to the sender after `at`. NaN for a pair not delivering again yet.
   */
  recoveries(at: number): number[] {
    return this.pairs
      .filter((p) => p.readies.some((t) => t > at))
      .map((p) => {
        let first = Number.POSITIVE_INFINITY;
        for (const [id, sent] of p.sentAt) {
          const got = p.deliveredAt.get(id);
          if (sent > at && got !== undefined && got < first) first = got;
        }
        return Number.isFinite(first) ? first - at : Number.NaN;
      });
  }

  stop(): void {
    this.stopSending();
    for (const p of this.pairs) {
      p.sender.stop();
      p.receiver.stop();
    }
  }
}
