import { describe, expect, it } from "vitest";
import { memoryKeyValue } from "../storage/kv";
import { type PendingDownload, pendingDownloads } from "./pending-downloads";

const download = (xfer: string, hub: string, startedAt: number): PendingDownload => ({
  xfer,
  hub,
  path: `/share/${xfer}.bin`,
  name: `${xfer}.bin`,
  size: 10,
  sha256: "ab".repeat(32),
  startedAt,
});
const blob = (...bytes: number[]) => new Blob([new Uint8Array(bytes)]);
const bytesOf = async (blobs: Blob[]) => [...new Uint8Array(await new Blob(blobs).arrayBuffer())];

describe("pendingDownloads", () => {
  it("lists a desktop's downloads oldest first with their bytes in file order, up to the first gap", async () => {
    const kv = memoryKeyValue();
    const pending = pendingDownloads(kv);
    await pending.begin(download("x2", "hubA", 2));
    await pending.begin(download("x1", "hubA", 1));
    await pending.begin(download("x3", "hubB", 3));
    // Written out of order, and one piece (at 3) lost: what follows it is dropped.
    await pending.keep("hubA", "x1", 2, blob(3));
    await pending.keep("hubA", "x1", 0, blob(1, 2));
    await pending.keep("hubA", "x2", 0, blob(9));
    await pending.keep("hubA", "x2", 3, blob(4));
    const [x1, x2] = await pending.list("hubA");
    expect([x1!.download.xfer, x1!.bytes, await bytesOf(x1!.held)]).toEqual(["x1", 3, [1, 2, 3]]);
    expect([x2!.download.xfer, x2!.bytes, await bytesOf(x2!.held)]).toEqual(["x2", 1, [9]]);
    expect(await kv.keys("download-part:hubA:x2:")).toHaveLength(1);
    // Going on from 2 forgets what was kept from there on.
    await pending.dropFrom("hubA", "x1", 2);
    expect((await pending.list("hubA"))[0]!.bytes).toBe(2);
    await pending.remove("hubA", "x1");
    expect((await pending.list("hubA")).map((d) => d.download.xfer)).toEqual(["x2"]);
    expect(await kv.keys("download-part:hubA:x1:")).toEqual([]);
    await pending.clear("hubA");
    expect(await pending.list("hubA")).toEqual([]);
    expect(await kv.keys("download-part:hubA:")).toEqual([]);
    expect((await pending.list("hubB")).map((d) => d.download.xfer)).toEqual(["x3"]);
  });

  it("drops a description it cannot read, pieces with no description, and pieces past the file's size", async () => {
    const kv = memoryKeyValue();
    const pending = pendingDownloads(kv);
    await kv.set("download:hubA:broken", { xfer: 7 });
    await kv.set("download-part:hubA:broken:0000000000000000", blob(1));
    await kv.set("download-part:hubA:orphan:0000000000000000", blob(1));
    await pending.begin(download("x1", "hubA", 1));
    await pending.keep("hubA", "x1", 0, blob(...new Array(11).fill(0)));
    const [x1, ...rest] = await pending.list("hubA");
    expect(rest).toEqual([]);
    expect(x1!.bytes).toBe(0);
    expect((await kv.keys("download")).sort()).toEqual(["download:hubA:x1"]);
  });
});
