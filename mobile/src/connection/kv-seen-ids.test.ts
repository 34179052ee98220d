import { describe, expect, it } from "vitest";
import { memoryKeyValue } from "../storage/kv";
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
    const results = await Promise.all([seen.markSeen("p", "x", Date.now() + 1000), seen.markSeen("p", "x", Date.now() + 1000)]);
    expect(results.sort()).toEqual([false, true]);
  });

  it("accepts an id again once its memory has expired", async () => {
    const kv = memoryKeyValue();
    await kv.set("seen/p/old", Date.now() - 1);
    expect(await kvSeenIds(kv).markSeen("p", "old", Date.now() + 1000)).toBe(true);
  });
});
