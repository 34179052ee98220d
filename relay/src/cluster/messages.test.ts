import { describe, expect, it } from "vitest";
import { type BusEvent, decodeEvent, encodeEvent, laterClaim } from "./messages";

const device = "A".repeat(43);

describe("cluster bus messages", () => {
  it("round-trips every kind, frames in their tab-separated form", () => {
    const claim = { at: 1, node: "n1-ab", n: 2 };
    const events: BusEvent[] = [
      { k: "hb", node: "n1-ab", at: 5 },
      { k: "leave", node: "n1-ab" },
      { k: "claim", device, claim },
      { k: "release", device, claim },
      { k: "snapshot", node: "n1-ab", claims: [[device, claim]] },
      { k: "grant", node: "n1-ab", granter: device, grantee: "B".repeat(43), granted: false },
      {
        k: "frame",
        to: device,
        id: "C".repeat(22),
        from: "D".repeat(43),
        body: "AQID-_",
        qos: 1,
        ts: 1_795_000_000_000,
        hop: 0,
      },
      { k: "pair", to: device, rendezvous: "E".repeat(22), from: "F".repeat(43), body: "AQID" },
    ];
    for (const e of events) expect(decodeEvent(encodeEvent(e))).toEqual(e);
    expect(encodeEvent(events[6]!)[0]).toBe(0x46);
  });

  it("drops what is not one of ours, and a frame whose fields could break the FRAME it becomes", () => {
    const bad = [
      "",
      "{",
      "[]",
      '{"k":"hb"}',
      '{"k":"nope","node":"x"}',
      "F\tto\tid",
      `F\t${device}\tid\tfrom\t2\t1\t0\tAA`,
      `F\t${device}\tid\tfrom\t1\t1\t0\tA"A`,
    ];
    for (const text of bad) expect(decodeEvent(Buffer.from(text))).toBeNull();
  });

  it("orders claims by time, then node, then the node's counter", () => {
    expect(laterClaim({ at: 2, node: "a", n: 0 }, { at: 1, node: "z", n: 9 })).toBe(true);
    expect(laterClaim({ at: 1, node: "b", n: 0 }, { at: 1, node: "a", n: 9 })).toBe(true);
    expect(laterClaim({ at: 1, node: "a", n: 2 }, { at: 1, node: "a", n: 1 })).toBe(true);
    expect(laterClaim({ at: 1, node: "a", n: 1 }, { at: 1, node: "a", n: 1 })).toBe(false);
  });
});
