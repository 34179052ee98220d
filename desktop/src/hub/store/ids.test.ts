import { shortTaskId } from "../api";
import { describe, expect, it } from "vitest";
import { createIdGenerator, idTimestamp } from "./ids";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("createIdGenerator", () => {
  it("makes UUIDv7 strings carrying the clock's millisecond", () => {
    const next = createIdGenerator(() => 1_764_000_000_123);
    const id = next();
    expect(id).toMatch(UUID_V7);
    expect(idTimestamp(id)).toBe(1_764_000_000_123);
  });

  it("sorts in creation order within one millisecond and across a counter overflow", () => {
    const next = createIdGenerator(() => 1_000);
    const ids = Array.from({ length: 5000 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // 4096 ids fit one millisecond; the rest borrow the next one.
    expect(idTimestamp(ids[4095]!)).toBe(1_000);
    expect(idTimestamp(ids[4096]!)).toBe(1_001);
  });

  it("stays monotonic when the clock steps back", () => {
    let t = 5_000;
    const next = createIdGenerator(() => t);
    const a = next();
    t = 4_000;
    const b = next();
    expect(b > a).toBe(true);
    expect(idTimestamp(b)).toBe(5_000);
    t = 6_000;
    const c = next();
    expect(idTimestamp(c)).toBe(6_000);
  });

  it("tells apart tasks made in the same minute by their short form (shortTaskId, 8 characters)", () => {
    // A minute's start in the id's layout: its first 8 digits are the milliseconds divided by 65,536.
    let now = Math.floor(Date.UTC(2026, 10, 29) / 65_536) * 65_536;
    const next = createIdGenerator(() => now);
    const sameMs = Array.from({ length: 50 }, next);
    now += 30_000;
    const ids = [...sameMs, next()];
    const short = ids.map(shortTaskId);
    expect(new Set(short).size).toBe(51);
    expect(short.every((s) => /^[0-9a-f]{8}$/.test(s))).toBe(true);
    // The first 8 characters, shown before, were the same for all of them.
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(1);
  });
});
