import { describe, expect, it } from "vitest";
import { RoutedFrame } from "../gateway/routed-frame";
import { ForwardLanes } from "./forward-lanes";

const frame = (id: string, qos: 0 | 1): RoutedFrame => RoutedFrame.ofText({ id, from: "s", qos, ts: 1, body: "AA" });

describe("ForwardLanes", () => {
  it("sends qos 0 at once when nothing waits, and keeps later frames behind an uncommitted qos 1 frame", () => {
    const out: string[] = [];
    const lanes = new ForwardLanes((to, f) => out.push(`${to}:${f.id}`));
    lanes.push("b", frame("q0-first", 0));
    const one = lanes.reserve("b", frame("q1", 1));
    lanes.push("b", frame("q0-after", 0));
    lanes.push("c", frame("other-recipient", 0));
    expect(out).toEqual(["b:q0-first", "c:other-recipient"]);
    one.release();
    expect(out).toEqual(["b:q0-first", "c:other-recipient", "b:q1", "b:q0-after"]);
    expect(lanes.waiting).toBe(0);
  });

  it("releases in accept order whatever order the commits finish in, and skips a cancelled frame", () => {
    const out: string[] = [];
    const lanes = new ForwardLanes((_to, f) => out.push(f.id));
    const first = lanes.reserve("b", frame("1", 1));
    const second = lanes.reserve("b", frame("2", 1));
    const third = lanes.reserve("b", frame("3", 1));
    third.release();
    second.cancel();
    expect(out).toEqual([]);
    first.release();
    expect(out).toEqual(["1", "3"]);
  });
});
