/** Milliseconds since some fixed point; `Date.now` in production, a variable in tests. */
export type Clock = () => number;

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens the bucket holds (the burst). It starts full. */
  capacity: number;
  /** Where time comes from when a call passes no `now`. */
  clock: Clock;
  /**
   * The time the bucket starts at (full). Default: `clock()`. A caller that
   * passes `now` to every call gives it here and can share one clock among
   * many buckets instead of a closure over its own time each (the relay makes
   * two buckets per connection).
   */
  start?: number;
}

/**
 * A token bucket: `capacity` tokens, refilled at `ratePerSecond`, taken by
 * cost (one op, or a message's bytes). Pure: no timers, time comes from the
 * injected clock, or from `now` passed to a call (the relay reads the clock
 * once per message and passes it to both of a connection's buckets).
 * The one implementation behind the relay's per-connection limits
 * (relay/src/gateway/rate-limiter.ts) and the client's write pacer
 * (shared/src/client/write-pacer.ts), so both sides count alike.
 *
 * @example
 * const ops = new TokenBucket({ ratePerSecond: 200, capacity: 400, clock: Date.now });
 * if (!ops.take(1)) setTimeout(retry, ops.msUntil(1));
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private rate: number;
  private cap: number;
  private readonly clock: Clock;

  constructor(options: TokenBucketOptions) {
    this.rate = options.ratePerSecond;
    this.cap = options.capacity;
    this.clock = options.clock;
    this.tokens = this.cap;
    this.last = options.start ?? this.clock();
  }

  get capacity(): number {
    return this.cap;
  }

  /** Tokens there now (fractional). */
  available(now = this.clock()): number {
    this.refill(now);
    return this.tokens;
  }

  /** Takes `cost` tokens if there are enough; otherwise takes nothing. */
  take(cost: number, now = this.clock()): boolean {
    this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens are there (0 if they are now). A cost above the capacity never fits. */
  msUntil(cost: number, now = this.clock()): number {
    this.refill(now);
    if (this.tokens >= cost) return 0;
    return cost > this.cap ? Infinity : Math.ceil(((cost - this.tokens) * 1000) / this.rate);
  }

  /** Changes rate and capacity from now on (what was refilled so far stays, up to the new capacity). */
  configure(ratePerSecond: number, capacity: number, now = this.clock()): void {
    this.refill(now);
    this.rate = ratePerSecond;
    this.cap = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  /** Full again, as new. */
  refillAll(now = this.clock()): void {
    this.tokens = this.cap;
    this.last = now;
  }

  private refill(now: number): void {
    // A clock that steps back adds nothing (and takes nothing).
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.cap, this.tokens + (elapsed * this.rate) / 1000);
  }
}
