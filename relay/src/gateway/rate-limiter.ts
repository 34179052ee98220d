/**
 * Token buckets for one connection: one for ops, one for bytes
 * (docs/protocol.md section 2). Time is passed in so tests control it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes `cost` tokens if there are enough; otherwise takes nothing. */
  take(cost: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens are available (0 if they are now). */
  msUntil(cost: number, now: number): number {
    const elapsed = Math.max(0, now - this.last);
    const tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    return tokens >= cost ? 0 : Math.ceil(((cost - tokens) * 1000) / this.ratePerSecond);
  }
}

/** Which limit a message passed, if any. */
export type RateVerdict = "ok" | "ops" | "bytes";

export interface RateLimits {
  opsPerSecond: number;
  opsBurst: number;
  bytesPerSecond: number;
  maxMessageBytes: number;
}

/** Ops and bytes of one connection. */
export class ConnectionRateLimiter {
  private readonly ops: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limits: RateLimits, now: number) {
    this.ops = new TokenBucket(limits.opsPerSecond, limits.opsBurst, now);
    // The byte bucket holds at least one largest message, or such a message could never pass.
    this.bytes = new TokenBucket(limits.bytesPerSecond, Math.max(limits.bytesPerSecond, limits.maxMessageBytes), now);
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
