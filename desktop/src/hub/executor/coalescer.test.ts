import { describe, expect, it } from "vitest";
import { OutputCoalescer } from "./coalescer";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("OutputCoalescer", () => {
  it("merges pieces that arrive within the delay into one event", async () => {
    const out: string[] = [];
    const c = new OutputCoalescer(20, 1000, (d) => out.push(d));
    for (let i = 0; i < 100; i++) c.push("x");
    expect(out).toEqual([]);
    await tick(60);
    expect(out).toEqual(["x".repeat(100)]);
  });

  it("sends at once when maxChars are waiting, and on flush", () => {
    const out: string[] = [];
    const c = new OutputCoalescer(10_000, 10, (d) => out.push(d));
    c.push("12345");
    c.push("67890ab");
    c.push("c");
    expect(out).toEqual(["1234567890ab"]);
    c.flush();
    expect(out).toEqual(["1234567890ab", "c"]);
    c.flush();
    expect(out.length).toBe(2);
  });

  it("a zero delay disables coalescing", () => {
    const out: string[] = [];
    const c = new OutputCoalescer(0, 10, (d) => out.push(d));
    c.push("a");
    c.push("b");
    expect(out).toEqual(["a", "b"]);
  });
});
