import { describe, expect, it } from "vitest";
import { CloseCode } from "./codes";
import { decodeClientMessage, decodeRelayMessage } from "./decode";

const device = "A".repeat(43);
const frameId = "B".repeat(21) + "A";

describe("decodeClientMessage", () => {
  it("decodes every client op", () => {
    const sig = "C".repeat(86);
    const cases = [
      { op: 1, d: null },
      { op: 1, d: 7 },
      {
        op: 2,
        d: { device, sig, resume: { session: "s1", seq: 3 }, shard: [0, 1], client: { name: "x", version: "1" } },
      },
      { op: 5, d: { id: frameId, to: device, body: "aGk", qos: 1, ref: "r1" } },
      { op: 6, d: { ids: [frameId] } },
      { op: 8, d: { peer: device } },
      { op: 10, d: { peer: device, ref: "x" } },
      { op: 11, d: { rendezvous: frameId, ttl_s: 60 } },
      { op: 12, d: { rendezvous: frameId, body: "" } },
      { op: 13, d: { rendezvous: frameId } },
    ];
    for (const c of cases) {
      const r = decodeClientMessage(JSON.stringify(c));
      expect(r.ok, JSON.stringify(c)).toBe(true);
    }
  });

  it("ignores unknown keys", () => {
    const r = decodeClientMessage(JSON.stringify({ op: 6, d: { ids: [], extra: 1 }, zzz: true }));
    expect(r).toEqual({ ok: true, message: { op: 6, d: { ids: [] } } });
  });

  it.each([
    ["not json", "{", CloseCode.DECODE_ERROR],
    ["an array", "[1]", CloseCode.DECODE_ERROR],
    ["no op", '{"d":null}', CloseCode.DECODE_ERROR],
    ["a string op", '{"op":"1","d":null}', CloseCode.DECODE_ERROR],
    ["an unknown op", '{"op":99,"d":null}', CloseCode.UNKNOWN_OPCODE],
    ["a relay-only op", '{"op":4,"d":null}', CloseCode.UNKNOWN_OPCODE],
    ["EVENT from a client", '{"op":0,"d":null}', CloseCode.UNKNOWN_OPCODE],
    ["a short device id", JSON.stringify({ op: 8, d: { peer: "abc" } }), CloseCode.DECODE_ERROR],
    ["qos 2", JSON.stringify({ op: 5, d: { id: frameId, to: device, body: "", qos: 2 } }), CloseCode.DECODE_ERROR],
    [
      "a padded body",
      JSON.stringify({ op: 5, d: { id: frameId, to: device, body: "aGk=", qos: 0 } }),
      CloseCode.DECODE_ERROR,
    ],
    ["a long ref", JSON.stringify({ op: 8, d: { peer: device, ref: "r".repeat(65) } }), CloseCode.DECODE_ERROR],
    ["too many ack ids", JSON.stringify({ op: 6, d: { ids: Array(1001).fill(frameId) } }), CloseCode.DECODE_ERROR],
  ])("refuses %s", (_name, text, code) => {
    const r = decodeClientMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.closeCode).toBe(code);
  });
});

describe("decodeRelayMessage", () => {
  it("decodes HELLO and events", () => {
    expect(
      decodeRelayMessage(JSON.stringify({ op: 4, d: { v: 1, heartbeat_interval: 30000, challenge: "x", relay: "r" } }))
        .ok,
    ).toBe(true);
    const frame = { op: 0, t: "FRAME", s: 2, d: { id: frameId, from: device, body: "", qos: 0, ts: 1 } };
    expect(decodeRelayMessage(JSON.stringify(frame))).toEqual({ ok: true, message: frame });
    expect(decodeRelayMessage(JSON.stringify({ op: 0, t: "RESUMED", d: { session: "s" } })).ok).toBe(true);
    const reply = { op: 0, t: "REPLY", s: 3, d: { ref: "r", ok: true, status: "stored" } };
    expect(decodeRelayMessage(JSON.stringify(reply))).toEqual({ ok: true, message: reply });
  });

  it("reads HELLO limits (docs/protocol.md section 4) when well-formed, and ignores them otherwise", () => {
    const hello = { v: 1, heartbeat_interval: 30000, challenge: "x", relay: "r" };
    const limits = { max_message_bytes: 1, max_body_bytes: 2, ops_per_second: 3, ops_burst: 4, bytes_per_second: 5 };
    expect(decodeRelayMessage(JSON.stringify({ op: 4, d: { ...hello, limits } }))).toEqual({
      ok: true,
      message: { op: 4, d: { ...hello, limits } },
    });
    for (const bad of [{ ...limits, ops_burst: 0 }, { ...limits, bytes_per_second: 1.5 }, { max_body_bytes: 2 }, 7]) {
      expect(decodeRelayMessage(JSON.stringify({ op: 4, d: { ...hello, limits: bad } }))).toEqual({
        ok: true,
        message: { op: 4, d: hello },
      });
    }
  });

  it("refuses an event without s, or of an unknown name", () => {
    expect(
      decodeRelayMessage(
        JSON.stringify({ op: 0, t: "FRAME", d: { id: frameId, from: device, body: "", qos: 0, ts: 1 } }),
      ).ok,
    ).toBe(false);
    expect(decodeRelayMessage(JSON.stringify({ op: 0, t: "NOPE", s: 1, d: {} })).ok).toBe(false);
  });
});
