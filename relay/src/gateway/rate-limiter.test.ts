import { describe, expect, it } from "vitest";
import { ConnectionRateLimiter } from "./rate-limiter";

// The bucket itself is tested in shared/src/flow/token-bucket.test.ts.

describe("ConnectionRateLimiter", () => {
  it("limits ops and bytes separately", () => {
    const limiter = new ConnectionRateLimiter(
      { opsPerSecond: 200, opsBurst: 400, bytesPerSecond: 1000, maxMessageBytes: 1000 },
      0,
    );
    expect(limiter.charge(600, 0)).toBe("ok");
    expect(limiter.charge(600, 0)).toBe("bytes");
    expect(limiter.charge(600, 1000)).toBe("ok");
    // A message as large as the largest allowed always fits the bucket when it is full.
    const big = new ConnectionRateLimiter(
      { opsPerSecond: 200, opsBurst: 400, bytesPerSecond: 100, maxMessageBytes: 5000 },
      0,
    );
    expect(big.charge(5000, 0)).toBe("ok");
    expect(big.charge(100, 0)).toBe("bytes");
    const ops = new ConnectionRateLimiter(
      { opsPerSecond: 1, opsBurst: 2, bytesPerSecond: 1e9, maxMessageBytes: 1000 },
      0,
    );
    expect([ops.charge(1, 0), ops.charge(1, 0), ops.charge(1, 0)]).toEqual(["ok", "ok", "ops"]);
  });
});

describe("pauseMs", () => {
  it("is 0 while a token is left, then the time until the next one", () => {
    const limiter = new ConnectionRateLimiter(
      { opsPerSecond: 100, opsBurst: 2, bytesPerSecond: 1e9, maxMessageBytes: 1000 },
      0,
    );
    expect(limiter.charge(1, 0)).toBe("ok");
    expect(limiter.pauseMs(0)).toBe(0);
    expect(limiter.charge(1, 0)).toBe("ok");
    expect(limiter.pauseMs(0)).toBe(10);
    expect(limiter.pauseMs(4)).toBe(6);
    expect(limiter.pauseMs(10)).toBe(0);
  });
});
