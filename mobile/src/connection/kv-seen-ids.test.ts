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

  it("refuses an id recorded soon at once, and writes it in a batch that survives a reload", async () => {
    const kv = memoryKeyValue();
    let batches = 0;
    const counting: KeyValue = { ...kv, setMany: (entries) => (batches++, kv.setMany(entries)) };
    const seen = kvSeenIds(counting);
    const later = Date.now() + 60_000;
    expect(seen.recordSoon!("peer", "out1", later)).toBe(true);
    expect(seen.recordSoon!("peer", "out2", later)).toBe(true);
    expect(seen.recordSoon!("peer", "out1", later)).toBe(false);
    expect(await seen.has("peer", "out2")).toBe(true);
    expect(await seen.acceptOnce("peer", "out1", later, async () => undefined)).toBe(false);
    expect(await kv.get("seen/peer/out1")).toBeUndefined(); // not written yet
    while ((await kv.get("seen/peer/out2")) === undefined) await new Promise((r) => setTimeout(r, 10));
    expect(batches).toBe(1);
    expect(await kvSeenIds(kv).markSeen("peer", "out1", later)).toBe(false); // as after a reload
  });

  it("once warm, answers has() from memory, as a boolean: stored ids, ids recorded since, not swept ones", async () => {
    const kv = memoryKeyValue();
    const later = Date.now() + 60_000;
    await kvSeenIds(kv).markSeen("peer", "before", later); // an earlier page's
    await kv.set("seen/peer/expired", Date.now() - 1);
    let reads = 0;
    const counting: KeyValue = { ...kv, get: (key) => (reads++, kv.get(key)) };
    const seen = kvSeenIds(counting);
    expect(await seen.markSeen("peer", "during", later)).toBe(true); // written before warm() read the keys
    expect(await seen.warm()).toBe(3);
    reads = 0;
    expect(seen.has("peer", "before")).toBe(true);
    expect(seen.has("peer", "during")).toBe(true);
    expect(seen.has("peer", "never")).toBe(false);
    expect(reads).toBe(0); // no storage read on the way to showing a frame
    expect(seen.recordSoon!("peer", "soon", later)).toBe(true);
    while ((await kv.get("seen/peer/soon")) === undefined) await new Promise((r) => setTimeout(r, 10));
    expect(seen.has("peer", "soon")).toBe(true); // flushed, still known
    expect(await seen.acceptOnce("peer", "effect", later, async () => undefined)).toBe(true);
    expect(seen.has("peer", "effect")).toBe(true);
    expect(await seen.sweep()).toBe(1);
    expect(seen.has("peer", "expired")).toBe(false);
    // A reload: a new page warms from storage and still refuses them all.
    const next = kvSeenIds(kv);
    await next.warm();
    expect(["before", "during", "soon", "effect"].map((id) => next.has("peer", id))).toEqual([true, true, true, true]);
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
