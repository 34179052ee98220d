import { afterEach, describe, expect, it } from "vitest";
import { openTempStore } from "./test-support";

type TestStore = Awaited<ReturnType<typeof openTempStore>>;
const openTestStore = () => openTempStore();

describe("UnitOfWork", () => {
  let t: TestStore | undefined;
  afterEach(async () => t?.cleanup());

  it("commits the writes of every repository in the unit together, and after-commit steps only then", async () => {
    t = await openTestStore();
    const { store } = t;
    const order: string[] = [];
    await store.unit.run(async () => {
      expect(await store.seenFrames.markSeen("phone", "f1", Date.now() + 1000)).toBe(true);
      // messages.append groups its statements in its own transaction: it joins the unit.
      await store.messages.append({ sender: "phone", text: "inside" });
      store.unit.afterCommit(() => order.push("after"));
      order.push("work");
    });
    order.push("returned");
    expect(order).toEqual(["work", "after", "returned"]);
    expect(await store.seenFrames.has("phone", "f1")).toBe(true);
    expect((await store.messages.list({ limit: 5 })).map((m) => m.text)).toEqual(["inside"]);
  });

  it("rolls every write back when the work throws, and never runs its after-commit steps", async () => {
    t = await openTestStore();
    const { store } = t;
    let after = false;
    await expect(
      store.unit.run(async () => {
        await store.seenFrames.markSeen("phone", "f2", Date.now() + 1000);
        await store.messages.append({ sender: "phone", text: "lost" });
        await store.outbox.put({ id: "o1", to: "phone", body: "AAAA", qos: 1, createdAt: 1 });
        store.unit.afterCommit(() => (after = true));
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(after).toBe(false);
    expect(await store.seenFrames.has("phone", "f2")).toBe(false);
    expect(await store.messages.list({ limit: 5 })).toEqual([]);
    expect(await store.outbox.count()).toBe(0);
  });

  it("waits for writes the work started without awaiting before it commits", async () => {
    t = await openTestStore();
    const { store } = t;
    await store.unit.run(async () => {
      store.unit.track(store.outbox.put({ id: "o2", to: "phone", body: "AAAA", qos: 1, createdAt: 1 }));
    });
    expect(await store.outbox.count()).toBe(1);
  });
});
