import { TokenBucket } from "@neural-link/shared/flow";

/** Which limit a message passed, if any. */
export type RateVerdict = "ok" | "ops" | "bytes";

export interface RateLimits {
  opsPerSecond: number;
  opsBurst: number;
  bytesPerSecond: number;
  maxMessageBytes: number;
}

/**
 * Ops and bytes of one connection: two token buckets (docs/protocol.md
 * section 2), the same `TokenBucket` the clients pace their writes with.
 * Time is passed in (read once per message) so tests control it.
 */
export class ConnectionRateLimiter {
  private readonly ops: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limits: RateLimits, now: number) {
    // Every call passes `now`: the buckets start at it and share one clock, no closure per connection.
    this.ops = new TokenBucket({
      ratePerSecond: limits.opsPerSecond,
      capacity: limits.opsBurst,
      clock: Date.now,
      start: now,
    });
    // The byte bucket holds at least one largest message, or such a message could never pass.
    this.bytes = new TokenBucket({
      ratePerSecond: limits.bytesPerSecond,
      capacity: Math.max(limits.bytesPerSecond, limits.maxMessageBytes),
      clock: Date.now,
      start: now,
    });
  }

  /**
   * How long to stop reading before the next op can pass: 0 while the op
   * bucket has a token. A reader that waits this long never sees a refusal.
   */
  pauseMs(now: number): number {
    return this.ops.msUntil(1, now);
  }

  /** Charges one op of `size` bytes. */
  charge(size: number, now: number): RateVerdict {
    if (!this.bytes.take(size, now)) return "bytes";
    if (!this.ops.take(1, now)) return "ops";
    return "ok";
  }
}
