import { describe, expect, it } from "vitest";
import { memoryKeyValue } from "../storage/kv";
import { pendingUploads } from "./pending-uploads";

describe("pendingUploads", () => {
  it("lists a desktop's unfinished uploads oldest first, drops unreadable entries, and forgets a desktop's all at once", async () => {
    const kv = memoryKeyValue();
    const pending = pendingUploads(kv);
    const file = (name: string) => new File([new Uint8Array([1, 2, 3])], name);
    await pending.save({ xfer: "x2", hub: "hubA", file: file("b.bin"), startedAt: 2 });
    await pending.save({ xfer: "x1", hub: "hubA", file: file("a.bin"), startedAt: 1 });
    await pending.save({ xfer: "x3", hub: "hubB", file: file("c.bin"), startedAt: 3 });
    await kv.set("upload:hubA:broken", { xfer: 7 });
    expect((await pending.list("hubA")).map((p) => [p.xfer, p.file.name])).toEqual([
      ["x1", "a.bin"],
      ["x2", "b.bin"],
    ]);
    expect(await kv.get("upload:hubA:broken")).toBeUndefined();
    await pending.remove("hubA", "x1");
    expect((await pending.list("hubA")).map((p) => p.xfer)).toEqual(["x2"]);
    await pending.clear("hubA");
    expect(await pending.list("hubA")).toEqual([]);
    expect((await pending.list("hubB")).map((p) => p.xfer)).toEqual(["x3"]);
  });
});
