import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./open-store";
import { StoreError } from "./store-error";
import { openTempStore } from "./test-support";

let store: Store;
let cleanup: () => Promise<void>;
let clock = 1_700_000_000_000;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore({ now: () => clock++ }));
});
afterEach(() => cleanup());

describe("MessagesRepo", () => {
  it("appends to the default conversation and returns the protocol shape", async () => {
    const m = await store.messages.append({ sender: "phone-1", text: "hello" });
    expect(Object.keys(m).sort()).toEqual(["conversation", "id", "sender", "text", "ts"]);
    expect(m.conversation).toBe("default");
    expect(m.ts).toBeGreaterThan(1_700_000_000_000);
    const withTs = await store.messages.append({ sender: "phone-1", text: "old clock", ts: 5, conversation: "ops" });
    expect(withTs.ts).toBe(5);
  });

  it("lists newest first, page by page with the before cursor", async () => {
    const sent = [];
    for (let i = 0; i < 7; i++) sent.push(await store.messages.append({ sender: "desktop", text: `message ${i}` }));
    await store.messages.append({ sender: "desktop", text: "elsewhere", conversation: "other" });
    const page1 = await store.messages.list({ limit: 3 });
    expect(page1.map((m) => m.text)).toEqual(["message 6", "message 5", "message 4"]);
    const page2 = await store.messages.list({ limit: 3, before: page1.at(-1)!.id });
    expect(page2.map((m) => m.text)).toEqual(["message 3", "message 2", "message 1"]);
    const page3 = await store.messages.list({ limit: 3, before: page2.at(-1)!.id });
    expect(page3.map((m) => m.text)).toEqual(["message 0"]);
    expect((await store.messages.list({ conversation: "other", limit: 10 })).map((m) => m.text)).toEqual(["elsewhere"]);
    expect(await store.messages.list({ conversation: "nobody", limit: 10 })).toEqual([]);
  });

  it("orders by arrival even when the sender's clock is behind", async () => {
    await store.messages.append({ sender: "a", text: "first", ts: 9_000 });
    await store.messages.append({ sender: "b", text: "second", ts: 1_000 });
    expect((await store.messages.list({ limit: 2 })).map((m) => m.text)).toEqual(["second", "first"]);
  });

  it("refuses an unknown cursor with a not_found error", async () => {
    await expect(store.messages.list({ limit: 3, before: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(store.messages.list({ limit: 3, before: "nope" })).rejects.toBeInstanceOf(StoreError);
  });

  it("searches newest first with a limit, prefix on the last word, diacritics folded", async () => {
    await store.messages.append({ sender: "a", text: "deploy the café build" });
    await store.messages.append({ sender: "a", text: "unrelated chatter" });
    await store.messages.append({ sender: "a", text: "Deployment finished" });
    await store.messages.append({ sender: "a", text: "deploy again" });
    expect((await store.messages.search("deploy", 10)).map((m) => m.text)).toEqual([
      "deploy again",
      "Deployment finished",
      "deploy the café build",
    ]);
    expect((await store.messages.search("deploy", 2)).map((m) => m.text)).toEqual([
      "deploy again",
      "Deployment finished",
    ]);
    expect((await store.messages.search("cafe build", 10)).map((m) => m.text)).toEqual(["deploy the café build"]);
    expect(await store.messages.search("nothing-like-it", 10)).toEqual([]);
  });

  it("never throws on hostile search text", async () => {
    await store.messages.append({ sender: "a", text: 'a NOT b "quoted" (x)' });
    for (const q of ['"', "NOT", "a OR", "(", "*", "x:y", "NEAR(a b", "", "   "]) {
      await expect(store.messages.search(q, 5)).resolves.toBeInstanceOf(Array);
    }
    expect(await store.messages.search("NOT b", 5)).toHaveLength(1);
  });

  it("lists conversations with their last message, most recently active first", async () => {
    await store.messages.append({ sender: "a", text: "d1" });
    await store.messages.append({ sender: "a", text: "o1", conversation: "ops" });
    await store.messages.append({ sender: "b", text: "d2" });
    const convs = await store.messages.conversations();
    expect(convs.map((c) => [c.id, c.lastMessage?.text])).toEqual([
      ["default", "d2"],
      ["ops", "o1"],
    ]);
    expect(convs[0]!.lastMessage).toMatchObject({ conversation: "default", sender: "b" });
  });

  it("counts the messages of each conversation", async () => {
    await store.messages.appendMany([
      ...Array.from({ length: 7 }, (_, i) => ({ sender: "a", text: `d${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ sender: "a", text: `o${i}`, conversation: "ops" })),
    ]);
    await store.messages.append({ sender: "b", text: "last", conversation: "ops" });
    expect((await store.messages.conversations()).map((c) => [c.id, c.messageCount])).toEqual([
      ["ops", 4],
      ["default", 7],
    ]);
  });
});

describe("MessagesRepo.appendMany", () => {
  it("stores a batch across conversations in order, searchable", async () => {
    const items = Array.from({ length: 450 }, (_, i) => ({
      sender: "a",
      text: `bulk ${i}`,
      conversation: i % 2 === 0 ? "even" : "odd",
    }));
    const stored = await store.messages.appendMany(items);
    expect(stored).toHaveLength(450);
    expect((await store.messages.list({ conversation: "odd", limit: 2 })).map((m) => m.text)).toEqual([
      "bulk 449",
      "bulk 447",
    ]);
    expect((await store.messages.search("bulk", 1))[0]!.text).toBe("bulk 449");
    expect((await store.messages.conversations()).map((c) => c.id).sort()).toEqual(["even", "odd"]);
    expect(await store.messages.appendMany([])).toEqual([]);
  });
});
