import { describe, expect, it } from "vitest";
import { Emitter } from "./emitter";

type Events = { a: number; b: string };

describe("Emitter", () => {
  it("delivers to each listener of the event in order, and an unsubscribed one no more", () => {
    const e = new Emitter<Events>();
    const seen: string[] = [];
    const off = e.on("a", (n) => seen.push(`1:${n}`));
    e.on("a", (n) => seen.push(`2:${n}`));
    e.on("b", (s) => seen.push(`b:${s}`));
    e.emit("a", 1);
    off();
    e.emit("a", 2);
    expect(seen).toEqual(["1:1", "2:1", "2:2"]);
  });

  it("a throwing listener is logged with its event and does not stop the others", () => {
    const logged: { obj: object; msg?: string }[] = [];
    const log = {
      debug() {},
      info() {},
      warn() {},
      error: (obj: object, msg?: string) => void logged.push({ obj, msg }),
    };
    const e = new Emitter<Events>(log);
    const seen: number[] = [];
    e.on("a", () => {
      throw new Error("broken");
    });
    e.on("a", (n) => seen.push(n));
    e.emit("a", 7);
    expect(seen).toEqual([7]);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.obj).toMatchObject({ event: "a", err: expect.objectContaining({ message: "broken" }) });
  });

  it("without a log, a listener's error is rethrown on its own, not swallowed", async () => {
    const e = new Emitter<Events>();
    const seen: number[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => void uncaught.push(err);
    const before = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", onUncaught);
    try {
      e.on("a", () => {
        throw new Error("loud");
      });
      e.on("a", (n) => seen.push(n));
      e.emit("a", 3);
      expect(seen).toEqual([3]);
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off("uncaughtException", onUncaught);
      for (const l of before) process.on("uncaughtException", l);
    }
    expect(uncaught).toEqual([expect.objectContaining({ message: "loud" })]);
  });
});
