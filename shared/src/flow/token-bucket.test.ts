import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket";

function bucket(ratePerSecond: number, capacity: number) {
  const clock = { t: 0 };
  return { clock, b: new TokenBucket({ ratePerSecond, capacity, clock: () => clock.t }) };
}

describe("TokenBucket", () => {
  it("allows the burst, then refills at the rate, never above capacity", () => {
    const { b } = bucket(10, 20);
    for (let i = 0; i < 20; i++) expect(b.take(1, 0)).toBe(true);
    expect(b.take(1, 0)).toBe(false);
    expect(b.take(1, 99)).toBe(false); // 0.99 tokens
    expect(b.take(1, 101)).toBe(true);
    expect(b.take(5, 10_000)).toBe(true);
    expect(b.take(16, 10_000)).toBe(false); // 15 left: capped at 20 before the 5 were taken
  });

  it("starts at `start` when given, without reading the clock (one clock shared by many buckets)", () => {
    let reads = 0;
    const b = new TokenBucket({ ratePerSecond: 10, capacity: 2, clock: () => ++reads, start: 5_000 });
    expect(reads).toBe(0);
    expect([b.take(1, 5_000), b.take(1, 5_000), b.take(1, 5_000)]).toEqual([true, true, false]);
    // Refilled from `start`: 100 ms later there is one token again.
    expect(b.take(1, 5_099)).toBe(false);
    expect(b.take(1, 5_100)).toBe(true);
    expect(reads).toBe(0);
  });

  it("reads the injected clock when no time is passed", () => {
    const { clock, b } = bucket(1000, 2);
    expect([b.take(1), b.take(1), b.take(1)]).toEqual([true, true, false]);
    expect(b.msUntil(1)).toBe(1);
    clock.t = 1;
    expect(b.take(1)).toBe(true);
  });

  it("says how long until a cost fits, and that a cost above the capacity never does", () => {
    const { b } = bucket(100, 2);
    b.take(2, 0);
    expect(b.msUntil(1, 0)).toBe(10);
    expect(b.msUntil(1, 4)).toBe(6);
    expect(b.msUntil(2, 10)).toBe(10);
    expect(b.msUntil(3, 10)).toBe(Infinity);
    expect(b.msUntil(1, 10)).toBe(0);
  });

  it("a failed take takes nothing", () => {
    const { b } = bucket(1, 10);
    expect(b.take(11, 0)).toBe(false);
    expect(b.available(0)).toBe(10);
  });

  it("a clock that steps back neither adds nor removes tokens", () => {
    const { b } = bucket(1000, 10);
    b.take(10, 100);
    expect(b.available(50)).toBe(0);
    expect(b.available(101)).toBe(1);
  });

  it("configure changes rate and capacity from then on; refillAll fills it", () => {
    const { b } = bucket(10, 100);
    b.take(50, 0);
    b.configure(1000, 20, 0);
    expect(b.available(0)).toBe(20);
    b.take(20, 0);
    expect(b.available(10)).toBe(10);
    b.refillAll(10);
    expect(b.available(10)).toBe(20);
    expect(b.capacity).toBe(20);
  });
});
