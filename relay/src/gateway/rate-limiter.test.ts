import { describe, expect, it } from "vitest";
import { ConnectionRateLimiter, TokenBucket } from "./rate-limiter";

describe("TokenBucket", () => {
  it("allows the burst, then refills at the rate", () => {
    const bucket = new TokenBucket(10, 20, 0);
    for (let i = 0; i < 20; i++) expect(bucket.take(1, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(1, 99)).toBe(false); // 0.99 tokens
    expect(bucket.take(1, 101)).toBe(true);
    expect(bucket.take(5, 10_000)).toBe(true);
    expect(bucket.take(16, 10_000)).toBe(false); // never above capacity
  });
});

describe("ConnectionRateLimiter", () => {
  it("limits ops and bytes separately", () => {
    const limiter = new ConnectionRateLimiter({ opsPerSecond: 200, opsBurst: 400, bytesPerSecond: 1000, maxMessageBytes: 1000 }, 0);
    expect(limiter.charge(600, 0)).toBe("ok");
    expect(limiter.charge(600, 0)).toBe("bytes");
    expect(limiter.charge(600, 1000)).toBe("ok");
    // A message as large as the largest allowed always fits the bucket when it is full.
    const big = new ConnectionRateLimiter({ opsPerSecond: 200, opsBurst: 400, bytesPerSecond: 100, maxMessageBytes: 5000 }, 0);
    expect(big.charge(5000, 0)).toBe("ok");
    expect(big.charge(100, 0)).toBe("bytes");
    const ops = new ConnectionRateLimiter({ opsPerSecond: 1, opsBurst: 2, bytesPerSecond: 1e9, maxMessageBytes: 1000 }, 0);
    expect([ops.charge(1, 0), ops.charge(1, 0), ops.charge(1, 0)]).toEqual(["ok", "ok", "ops"]);
  });
});

describe("pauseMs", () => {
  it("is 0 while a token is left, then the time until the next one", () => {
    const limiter = new ConnectionRateLimiter({ opsPerSecond: 100, opsBurst: 2, bytesPerSecond: 1e9, maxMessageBytes: 1000 }, 0);
    expect(limiter.charge(1, 0)).toBe("ok");
    expect(limiter.pauseMs(0)).toBe(0);
    expect(limiter.charge(1, 0)).toBe("ok");
    expect(limiter.pauseMs(0)).toBe(10);
    expect(limiter.pauseMs(4)).toBe(6);
    expect(limiter.pauseMs(10)).toBe(0);
  });
});
