import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "./open-store";
import { openTempStore } from "./test-support";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function storeWith(texts: string[], searchScanCap?: number): Promise<Store> {
  const opened = await openTempStore(searchScanCap === undefined ? {} : { options: { searchScanCap } });
  cleanup = opened.cleanup;
  await opened.store.messages.appendMany(texts.map((text) => ({ sender: "a", text })));
  return opened.store;
}

const texts = (ms: { text: string }[]) => ms.map((m) => m.text);

describe("searchMessages", () => {
  it("finds whole-word prefixes through the stem, newest first, and nothing else", async () => {
    const store = await storeWith([
      "status ok",
      "uncommon status",
      "station",
      "Statuses updated",
      "substatus",
      "STATUS red",
    ]);
    expect(texts(await store.messages.search("status", 10))).toEqual([
      "STATUS red",
      "Statuses updated",
      "uncommon status",
      "status ok",
    ]);
    expect(texts(await store.messages.search("status", 2))).toEqual(["STATUS red", "Statuses updated"]);
  });

  it("gives the same hits as the plain prefix query when the stem is crowded", async () => {
    // 600 stem candidates ("stable") newer than the only real hits: the scan cap is passed.
    const store = await storeWith(
      ["stats one", "old stats two", ...Array.from({ length: 600 }, (_, i) => `stable build ${i}`)],
      300,
    );
    expect(texts(await store.messages.search("stats", 10))).toEqual(["old stats two", "stats one"]);
  });

  it("combines earlier words with the last-word prefix", async () => {
    const store = await storeWith(["deploy status green", "status only", "deploy only", "deploy statistics"]);
    expect(texts(await store.messages.search("deploy stat", 10))).toEqual(["deploy statistics", "deploy status green"]);
    expect(texts(await store.messages.search("deploy statu", 10))).toEqual(["deploy status green"]);
  });

  // unicode61 drops emoji as separators: before the literal plan, "🚀" found nothing at all.
  it("finds emoji, alone or beside words, and nothing without them", async () => {
    const store = await storeWith(["launch 🚀 today", "no rocket here", "🚀🚀 twice", "thumbs 👍🏽 up", "launch later"]);
    expect(texts(await store.messages.search("🚀", 10))).toEqual(["🚀🚀 twice", "launch 🚀 today"]);
    expect(texts(await store.messages.search("launch 🚀", 10))).toEqual(["launch 🚀 today"]);
    expect(texts(await store.messages.search("🚀 launch", 10))).toEqual(["launch 🚀 today"]);
    expect(texts(await store.messages.search("👍🏽", 10))).toEqual(["thumbs 👍🏽 up"]);
    expect(texts(await store.messages.search("🎉", 10))).toEqual([]);
    expect(texts(await store.messages.search("🚀", 1))).toEqual(["🚀🚀 twice"]);
  });

  it("shows a viewer what was sent from its pairing on, and its own messages, in lists and searches", async () => {
    const opened = await openTempStore();
    cleanup = opened.cleanup;
    const m = opened.store.messages;
    await m.appendMany([
      { sender: "desktop", text: "old secret plan 🚀", ts: 100 },
      { sender: "p1", text: "old plan from p1", ts: 150 },
      { sender: "p2", text: "old plan from p2 🚀", ts: 160 },
      { sender: "desktop", text: "new plan 🚀", ts: 300 },
    ]);
    const p2 = { device: "p2", since: 200 };
    expect(texts(await m.list({ limit: 10, viewer: p2 }))).toEqual(["new plan 🚀", "old plan from p2 🚀"]);
    expect(texts(await m.search("plan", 10, p2))).toEqual(["new plan 🚀", "old plan from p2 🚀"]);
    expect(texts(await m.search("🚀", 10, p2))).toEqual(["new plan 🚀", "old plan from p2 🚀"]);
    expect(texts(await m.search("plan", 10))).toHaveLength(4);
  });
});
