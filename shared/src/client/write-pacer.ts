import { TokenBucket } from "../flow/token-bucket";
import type { TimeoutHandle } from "./timers";

/** Client-side limits that keep a client under the relay's per-connection limits. */
export interface WritePacerSettings {
  /** Ops per second (the relay allows 200 and closes a client with 4008 past it). */
  opsPerSecond: number;
  /** Ops that may go out at once above the rate (the relay allows a burst of 400). */
  opsBurst: number;
  /** Bytes per second (the relay allows 8 MiB/s, with a burst of the same). */
  bytesPerSecond: number;
}

/**
 * Token buckets in front of the socket (the relay's own `TokenBucket`, with
 * the relay's limits): writes within budget go out at once,
 * the rest wait in order and leave as the buckets refill. So a burst of
 * outbox re-sends or ACKs after a long absence cannot get the connection
 * closed for flooding. `reset` drops what waits when the connection goes.
 */
export class WritePacer {
  private readonly ops: TokenBucket;
  private readonly bytes: TokenBucket;
  /** Text messages, and binary ones (binary frames); both are charged by their length. */
  private readonly queue: (string | Uint8Array)[] = [];
  private timer: TimeoutHandle | undefined;

  constructor(
    private readonly settings: () => WritePacerSettings,
    private readonly out: (message: string | Uint8Array) => void,
    private readonly now: () => number,
  ) {
    const s = settings();
    this.ops = new TokenBucket({ ratePerSecond: s.opsPerSecond, capacity: s.opsBurst, clock: now });
    this.bytes = new TokenBucket({ ratePerSecond: s.bytesPerSecond, capacity: s.bytesPerSecond, clock: now });
  }

  write(message: string | Uint8Array): void {
    this.queue.push(message);
    this.drain();
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Sends everything waiting at once, ignoring the budget: for a connection about to close. */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) this.out(this.queue.shift()!);
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    const s = this.settings();
    this.ops.configure(s.opsPerSecond, s.opsBurst);
    this.bytes.configure(s.bytesPerSecond, s.bytesPerSecond);
    this.ops.refillAll();
    this.bytes.refillAll();
  }

  private drain(): void {
    if (this.timer !== undefined) return;
    const s = this.settings();
    const t = this.now();
    // The limits may change while connected (they are read from the client's settings).
    this.ops.configure(s.opsPerSecond, s.opsBurst, t);
    this.bytes.configure(s.bytesPerSecond, s.bytesPerSecond, t);
    // A message larger than the whole byte bucket still goes once the bucket is full.
    const sizeOf = (message: string | Uint8Array) => Math.min(message.length, s.bytesPerSecond);
    while (this.queue.length > 0) {
      const size = sizeOf(this.queue[0]!);
      // Both or neither: an op is charged only when its bytes are there too.
      if (this.ops.available(t) < 1 || this.bytes.available(t) < size) break;
      this.ops.take(1, t);
      this.bytes.take(size, t);
      this.out(this.queue.shift()!);
    }
    if (this.queue.length === 0) return;
    const wait = Math.max(this.ops.msUntil(1, t), this.bytes.msUntil(sizeOf(this.queue[0]!), t));
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.drain();
      },
      Math.max(1, wait),
    );
  }
}
