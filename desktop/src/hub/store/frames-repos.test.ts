import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "./open-store";
import { openTempStore, silentLog } from "./test-support";

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

describe("OutboxRepo", () => {
  it("keeps frames oldest first until removed", async () => {
    await store.outbox.put({ id: "f1", to: "phone-1", body: "AAA", qos: 1, createdAt: 10 });
    await store.outbox.put({ id: "f2", to: "phone-2", body: "BBB", qos: 0, createdAt: 11 });
    await store.outbox.put({ id: "f3", to: "phone-1", body: "CCC", qos: 1, createdAt: 12 });
    expect(await store.outbox.count()).toBe(3);
    expect((await store.outbox.list()).map((f) => f.id)).toEqual(["f1", "f2", "f3"]);
    expect(await store.outbox.remove("f2")).toBe(true);
    expect(await store.outbox.remove("f2")).toBe(false);
    expect(await store.outbox.list()).toEqual([
      { id: "f1", to: "phone-1", body: "AAA", qos: 1, createdAt: 10 },
      { id: "f3", to: "phone-1", body: "CCC", qos: 1, createdAt: 12 },
    ]);
  });

  it("keeps the first copy when an id is put again", async () => {
    await store.outbox.put({ id: "f1", to: "phone-1", body: "first", qos: 1, createdAt: 10 });
    await store.outbox.put({ id: "f2", to: "phone-1", body: "second", qos: 1, createdAt: 11 });
    await store.outbox.put({ id: "f1", to: "phone-1", body: "retry", qos: 1, createdAt: 12 });
    expect((await store.outbox.list()).map((f) => f.body)).toEqual(["first", "second"]);
  });
});

describe("SeenFramesRepo", () => {
  it("reports a frame id as new exactly once per sender", async () => {
    expect(await store.seenFrames.markSeen("phone-1", "id-a", 1000)).toBe(true);
    expect(await store.seenFrames.markSeen("phone-1", "id-a", 1000)).toBe(false);
    expect(await store.seenFrames.markSeen("phone-2", "id-a", 1000)).toBe(true);
  });

  it("is atomic under concurrent calls, also from a second connection to the same file", async () => {
    const other = await openStore({ file: store.file, log: silentLog });
    try {
      const calls = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? store : other).seenFrames.markSeen("phone-1", "same", 1000),
      );
      const results = await Promise.all(calls);
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("forgets ids whose expiry has passed", async () => {
    await store.seenFrames.markSeen("p", "old", 100);
    await store.seenFrames.markSeen("p", "new", 300);
    expect(await store.seenFrames.sweep(200)).toBe(1);
    expect(await store.seenFrames.markSeen("p", "old", 500)).toBe(true);
    expect(await store.seenFrames.markSeen("p", "new", 500)).toBe(false);
  });
});
