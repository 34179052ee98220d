import { describe, expect, it } from "vitest";
import { ChunkRing } from "./chunk-ring";

describe("ChunkRing", () => {
  it("numbers chunks and returns those after a sequence number", () => {
    const r = new ChunkRing(100);
    expect(r.push("a")).toBe(1);
    r.push("b");
    r.push("c");
    expect(r.since(1)).toEqual([
      { seq: 2, data: "b" },
      { seq: 3, data: "c" },
    ]);
    expect(r.since(3)).toEqual([]);
    expect(r.snapshot()).toEqual({ seq: 3, data: "abc" });
  });

  it("keeps at least the last `keep` code units, cutting the oldest chunk", () => {
    const r = new ChunkRing(5);
    r.push("1234");
    r.push("5678");
    expect(r.text()).toBe("45678");
    expect(r.totalChars).toBe(8);
    for (let i = 0; i < 3000; i++) r.push("xy");
    expect(r.text()).toBe("yxyxy");
  });

  it("signals a reset when the requested gap is no longer held", () => {
    const r = new ChunkRing(4);
    r.push("aa");
    r.push("bb");
    r.push("cc");
    expect(r.since(0)).toBeNull();
    expect(r.since(1)).toEqual([
      { seq: 2, data: "bb" },
      { seq: 3, data: "cc" },
    ]);
    r.push("d");
    expect(r.since(1)).toBeNull();
  });

  it("never splits a surrogate pair", () => {
    const r = new ChunkRing(3);
    r.push("a😀b");
    expect(r.text()).toBe("😀b");
  });
});
