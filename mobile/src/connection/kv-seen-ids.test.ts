import { describe, expect, it } from "vitest";
import { type KeyValue, memoryKeyValue } from "../storage/kv";
import { kvSeenIds } from "./kv-seen-ids";

describe("kvSeenIds", () => {
  it("accepts an id once, also across restarts of the app", async () => {
    const kv = memoryKeyValue();
    const later = Date.now() + 60_000;
    expect(await kvSeenIds(kv).markSeen("peer", "id1", later)).toBe(true);
    expect(await kvSeenIds(kv).markSeen("peer", "id1", later)).toBe(false); // a fresh instance: as after a reload
    expect(await kvSeenIds(kv).markSeen("other", "id1", later)).toBe(true);
  });

  it("refuses the second of two concurrent deliveries", async () => {
    const seen = kvSeenIds(memoryKeyValue());
    const results = await Promise.all([
      seen.markSeen("p", "x", Date.now() + 1000),
      seen.markSeen("p", "x", Date.now() + 1000),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it("accepts an id again once its memory has expired", async () => {
    const kv = memoryKeyValue();
    await kv.set("seen/p/old", Date.now() - 1);
    expect(await kvSeenIds(kv).markSeen("p", "old", Date.now() + 1000)).toBe(true);
  });

  it("sweeps expired entries and keeps the live ones", async () => {
    const kv = memoryKeyValue();
    await kv.set("seen/p/old", Date.now() - 1);
    await kv.set("pairings", ["kept"]); // not a seen id: never touched
    const seen = kvSeenIds(kv);
    expect(await seen.markSeen("p", "live", Date.now() + 60_000)).toBe(true);
    expect(await seen.sweep()).toBe(1);
    expect(await kv.keys("")).toEqual(["pairings", "seen/p/live"]);
    expect(await kvSeenIds(kv).markSeen("p", "live", Date.now() + 60_000)).toBe(false);
    expect(await seen.sweep()).toBe(0);
  });

  it("sweeps with the given clock", async () => {
    const kv = memoryKeyValue();
    const seen = kvSeenIds(kv);
    await seen.markSeen("p", "a", 2_000);
    await seen.markSeen("p", "b", 4_000);
    expect(await seen.sweep(3_000)).toBe(1);
    expect(await kv.keys("seen/")).toEqual(["seen/p/b"]);
  });

  it("never forgets an id accepted while a sweep was deleting its expired entry", async () => {
    const inner = memoryKeyValue();
    let delCalled!: () => void;
    const delReached = new Promise<void>((resolve) => (delCalled = resolve));
    let releaseDel!: () => void;
    const delGate = new Promise<void>((resolve) => (releaseDel = resolve));
    // Holds the sweep's delete until the delivery below has started.
    const kv: KeyValue = {
      ...inner,
      del: async (key) => {
        delCalled();
        await delGate;
        await inner.del(key);
      },
    };
    await kv.set("seen/p/x", Date.now() - 1);
    const seen = kvSeenIds(kv);
    const sweeping = seen.sweep();
    await delReached;
    const delivered = seen.markSeen("p", "x", Date.now() + 60_000);
    releaseDel();
    expect(await sweeping).toBe(1);
    expect(await delivered).toBe(true);
    expect(await seen.markSeen("p", "x", Date.now() + 60_000)).toBe(false);
  });

  it("acceptOnce runs the effect first and records the id after it; a failed effect leaves it unrecorded", async () => {
    const kv = memoryKeyValue();
    const seen = kvSeenIds(kv);
    const later = Date.now() + 60_000;
    await expect(seen.acceptOnce("p", "f", later, async () => Promise.reject(new Error("reload")))).rejects.toThrow(
      "reload",
    );
    expect(await seen.has("p", "f")).toBe(false);
    let runs = 0;
    expect(await seen.acceptOnce("p", "f", later, async () => void runs++)).toBe(true);
    expect(await kvSeenIds(kv).has("p", "f")).toBe(true);
    expect(await kvSeenIds(kv).acceptOnce("p", "f", later, async () => void runs++)).toBe(false);
    expect(runs).toBe(1);
  });
});
