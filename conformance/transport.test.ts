/**
 * docs/protocol.md sections 2, 3 and 12: HTTP endpoints, the message shape, the
 * version path, decode and opcode errors, the size limit, and a relay that
 * stays up whatever one connection sends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "./client/connection";
import { unb64uSized } from "./client/b64u";
import { newDevice, randomId, signAuth } from "./client/identity";
import { Session } from "./client/session";
import { Close, Op, PROTOCOL_LIMITS, RELAY_ONLY_OPS } from "./client/wire";
import { defaultTarget, otherVersionUrl, type Target } from "./target";

let target: Target;
beforeAll(async () => {
  target = await defaultTarget();
});
afterAll(() => target?.close());

/** SENDs in the flood test: more than the default burst of 400. */
const FLOOD_OPS = 500;

/** The relay still serves a fresh client: connect, AUTH, READY. */
async function stillServes(): Promise<void> {
  const s = await Session.connect(target.url);
  expect(s.ready).not.toBeNull();
  await s.close();
}

/** Authenticates, sends `raw`, and resolves with the close code. */
async function closeCodeAfterAuth(raw: string | Record<string, unknown>): Promise<number> {
  const s = await Session.connect(target.url);
  s.conn.sendRaw(raw);
  return (await s.conn.waitClose()).code;
}

describe("docs/protocol.md section 2: transport", () => {
  it("GET /healthz answers 200 with {ok: true}", async () => {
    const res = await fetch(`${target.httpBase}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("GET /metrics answers Prometheus text", async () => {
    const res = await fetch(`${target.httpBase}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toMatch(/^text\/plain/);
    const text = await res.text();
    // Every non-comment line is `name{labels} value` or `name value`.
    const samples = text.split("\n").filter((l) => l.length > 0 && !l.startsWith("#"));
    expect(samples.length).toBeGreaterThan(0);
    for (const line of samples)
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?$/);
  });

  it("refuses other gateway versions with close 4012", async () => {
    for (const version of ["v2", "v0"]) {
      const conn = await Connection.open(otherVersionUrl(target.url, version)).catch((err: Error) => err);
      // A relay may close before or after HELLO; either way the code is 4012.
      if (conn instanceof Connection) expect((await conn.waitClose()).code).toBe(Close.INVALID_VERSION);
      else expect(conn.message).toContain(String(Close.INVALID_VERSION));
    }
    await stillServes();
  });

  it("sends HELLO first: v 1, heartbeat_interval, a fresh 32-byte challenge per connection, the relay id", async () => {
    const [a, b] = await Promise.all([Connection.open(target.url), Connection.open(target.url)]);
    for (const c of [a, b]) {
      expect(c.hello.v).toBe(1);
      expect(Number.isInteger(c.hello.heartbeat_interval) && c.hello.heartbeat_interval > 0).toBe(true);
      expect(unb64uSized(c.hello.challenge, 32)).toHaveLength(32);
      expect(typeof c.hello.relay === "string" && c.hello.relay.length > 0).toBe(true);
    }
    expect(a.hello.challenge).not.toBe(b.hello.challenge);
    expect(a.hello.relay).toBe(b.hello.relay);
    await Promise.all([a.close(), b.close()]);
  });

  it("ignores unknown keys, at the top level and inside payloads", async () => {
    const conn = await Connection.open(target.url);
    const device = newDevice();
    conn.sendRaw({
      op: Op.AUTH,
      d: { device: device.id, sig: signAuth(device, conn.hello.challenge, conn.hello.relay), extra: 1 },
      x: "y",
    });
    const ready = await conn.event("READY");
    expect(ready.s).toBe(1);
    conn.sendRaw({ op: Op.REVOKE, d: { peer: newDevice().id, ref: "k1", unknown: [1] }, more: true });
    const reply = await conn.event("REPLY");
    expect(reply.d).toMatchObject({ ref: "k1", ok: true });
    expect(conn.isOpen).toBe(true);
    await conn.close();
  });

  it("sends every message as one text JSON object with op, and s/t only on EVENT", async () => {
    const s = await Session.connect(target.url);
    await s.sync();
    s.conn.send(Op.HEARTBEAT, s.conn.lastSeq);
    await s.conn.next((m) => m.op === Op.HEARTBEAT_ACK, "HEARTBEAT_ACK");
    expect(s.conn.malformed).toEqual([]);
    for (const m of s.conn.log) {
      if (m.op !== Op.EVENT) expect("s" in m || "t" in m).toBe(false);
      else expect(typeof m.t).toBe("string");
    }
    await s.close();
  });

  it("closes a message over 1 MiB with 4011 and keeps serving others", async () => {
    const body = "A".repeat(PROTOCOL_LIMITS.maxMessageBytes + 16);
    const code = await closeCodeAfterAuth({ op: Op.SEND, d: { id: randomId(), to: newDevice().id, body, qos: 0 } });
    expect(code).toBe(Close.PAYLOAD_TOO_LARGE);
    await stillServes();
  });

  it("stays up under an op flood, closing the flooder with 4008 (docs/protocol.md section 2 rate limit)", async () => {
    const s = await Session.connect(target.url, newDevice(), { heartbeat: false });
    // Twice the burst of non-SEND ops, written at once: past the limit, a non-SEND op can only end in 4008.
    for (let i = 0; i < 2 * 400 + 100; i++) s.conn.send(Op.ACK, { ids: [] });
    expect((await s.conn.waitClose()).code).toBe(Close.RATE_LIMITED);
    await stillServes();
  });

  it("stays up under a SEND flood, answering each SEND (rate_limited allowed) or closing with 4008", async () => {
    const s = await Session.connect(target.url, newDevice(), { heartbeat: false });
    // Past the burst, written at once. A relay that handles SENDs slower than the rate may never need
    // to refuse one; what the protocol requires is a REPLY per SEND (or 4008) and a relay that stays up.
    for (let i = 0; i < FLOOD_OPS; i++)
      s.conn.send(Op.SEND, { id: randomId(), to: newDevice().id, body: "AAAA", qos: 0, ref: `f${i}` });
    const last = await s.conn
      .event("REPLY", (d) => (d as { ref: string }).ref === `f${FLOOD_OPS - 1}`, 15_000)
      .catch(() => null);
    if (last === null) expect((await s.conn.waitClose()).code).toBe(Close.RATE_LIMITED);
    const codes = new Set(s.conn.log.filter((m) => m.t === "REPLY").map((m) => (m.d as { code?: string }).code));
    expect([...codes].every((c) => c === "not_granted" || c === "rate_limited")).toBe(true);
    await s.close();
    await stillServes();
  });
});

describe("docs/protocol.md section 12: close codes for bad input", () => {
  it("4002 for text that is not JSON, or not one object", async () => {
    for (const raw of ["not json", "[1,2]", "42", '{"d":null}'])
      expect(await closeCodeAfterAuth(raw)).toBe(Close.DECODE_ERROR);
    await stillServes();
  });

  it("4002 for a payload that does not fit its op", async () => {
    const bad: Record<string, unknown>[] = [
      { op: Op.SEND, d: {} },
      { op: Op.SEND, d: { id: randomId(), to: newDevice().id, body: "AAAA", qos: 2 } },
      { op: Op.SEND, d: { id: 5, to: newDevice().id, body: "AAAA", qos: 1 } },
      { op: Op.GRANT, d: null },
      { op: Op.ACK, d: { ids: "x" } },
      { op: Op.ACK, d: { ids: Array.from({ length: PROTOCOL_LIMITS.maxAckIds + 1 }, () => randomId()) } },
      { op: Op.REVOKE, d: { peer: newDevice().id, ref: "r".repeat(PROTOCOL_LIMITS.maxRefChars + 1) } },
      { op: Op.PAIR_OPEN, d: { rendezvous: "x" } },
    ];
    for (const raw of bad)
      expect(await closeCodeAfterAuth(raw), JSON.stringify(raw).slice(0, 80)).toBe(Close.DECODE_ERROR);
    await stillServes();
  });

  it("4001 for an op number not in docs/protocol.md section 3", async () => {
    for (const op of [14, 99, -1]) expect(await closeCodeAfterAuth({ op, d: null })).toBe(Close.UNKNOWN_OPCODE);
  });

  it("4001 for a relay-only op sent by a client", async () => {
    for (const op of RELAY_ONLY_OPS)
      expect(await closeCodeAfterAuth({ op, d: null }), `op ${op}`).toBe(Close.UNKNOWN_OPCODE);
    await stillServes();
  });
});
