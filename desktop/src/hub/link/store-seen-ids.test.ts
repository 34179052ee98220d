/**
 * The hub's remembered frame ids on a real SQLite file: ids recorded without a
 * transaction (qos 0 keystrokes) are refused at once and reach the disk in
 * batches, so a replay is refused before and after a restart.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../store";
import { openTempStore, silentLog } from "../store/test-support";
import { StoreSeenIds } from "./store-seen-ids";

const PHONE = "phone-device";
const LATER = Date.now() + 60_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function temp(): Promise<{ store: Store; file: string }> {
  const t = await openTempStore();
  cleanups.push(t.cleanup);
  return t;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

describe("StoreSeenIds", () => {
  it("refuses an id recorded soon at once, by has and by acceptOnce, before it is on disk", async () => {
    const { store } = await temp();
    const seen = new StoreSeenIds(store, silentLog, { flushAfterMs: 60_000, flushAtCount: 1000 });
    expect(seen.recordSoon(PHONE, "k1", LATER)).toBe(true);
    expect(seen.recordSoon(PHONE, "k1", LATER)).toBe(false);
    expect(seen.has(PHONE, "k1")).toBe(true);
    let ran = false;
    expect(await seen.acceptOnce(PHONE, "k1", LATER, async () => void (ran = true))).toBe(false);
    expect(ran).toBe(false);
    // Not written yet: the batch waits for its timer.
    expect(store.seenFrames.has(PHONE, "k1")).toBe(false);
    await seen.flush();
    expect(store.seenFrames.has(PHONE, "k1")).toBe(true);
  });

  it("writes a batch by itself, after its delay or once it is full", async () => {
    const { store } = await temp();
    const seen = new StoreSeenIds(store, silentLog, { flushAfterMs: 20, flushAtCount: 3 });
    seen.recordSoon(PHONE, "a", LATER);
    await until(() => store.seenFrames.has(PHONE, "a"));
    const slow = new StoreSeenIds(store, silentLog, { flushAfterMs: 60_000, flushAtCount: 3 });
    for (const id of ["b", "c", "d"]) slow.recordSoon(PHONE, id, LATER);
    await until(() => store.seenFrames.has(PHONE, "d"));
    expect(["b", "c"].map((id) => store.seenFrames.has(PHONE, id))).toEqual([true, true]);
  });

  it("an id flushed at stop is still refused after the store is reopened", async () => {
    const { store, file } = await temp();
    const seen = new StoreSeenIds(store, silentLog, { flushAfterMs: 60_000, flushAtCount: 1000 });
    expect(seen.recordSoon(PHONE, "typed", LATER)).toBe(true);
    await seen.flush();
    await store.close();
    const reopened = await openStore({ file, log: silentLog });
    cleanups.push(() => reopened.close());
    const again = new StoreSeenIds(reopened, silentLog);
    expect(again.has(PHONE, "typed")).toBe(true);
    expect(again.recordSoon(PHONE, "other", LATER)).toBe(true);
  });

  it("keeps refusing ids whose write failed, and writes them with the next batch", async () => {
    const { store } = await temp();
    let failing = true;
    const flaky = {
      unit: store.unit,
      seenFrames: Object.assign(Object.create(store.seenFrames) as Store["seenFrames"], {
        markSeenMany: (frames: Parameters<Store["seenFrames"]["markSeenMany"]>[0]) =>
          failing ? Promise.reject(new Error("disk full")) : store.seenFrames.markSeenMany(frames),
      }),
    };
    const seen = new StoreSeenIds(flaky, silentLog, { flushAfterMs: 60_000, flushAtCount: 1000 });
    seen.recordSoon(PHONE, "x", LATER);
    await seen.flush();
    expect(store.seenFrames.has(PHONE, "x")).toBe(false);
    expect(seen.has(PHONE, "x")).toBe(true);
    failing = false;
    seen.recordSoon(PHONE, "y", LATER);
    await seen.flush();
    expect([store.seenFrames.has(PHONE, "x"), store.seenFrames.has(PHONE, "y")]).toEqual([true, true]);
  });
});
