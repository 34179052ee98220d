/**
 * The binary fast path (docs/protocol.md section 5, "Binary frames") against
 * the real relay on loopback over the real Postgres: negotiation, JSON and
 * binary peers mixed both ways, the offline queue across forms, resume onto a
 * connection of the other form, and malformed binary earning its close code.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binarySend, frameId, GatewayClient } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay({ limits: { maxBodyBytes: 4096, maxMessageBytes: 16 * 1024 } }));
});
afterAll(() => stop());

const BINARY = { features: ["binary-frames-1"] };

/** A connected, authenticated client; `binary` asks for binary frames. */
async function client(binary: boolean, identity?: GatewayClient["identity"]): Promise<GatewayClient> {
  const c = await GatewayClient.connect(relay.url, identity);
  const ready = await c.auth(binary ? BINARY : {});
  sessions.set(c.device, (ready.d as { session: string }).session);
  return c;
}

/** Session id of each device's last READY. */
const sessions = new Map<string, string>();

/** b grants a; returns [a, b]. */
async function pair(aBinary: boolean, bBinary: boolean): Promise<[GatewayClient, GatewayClient]> {
  const a = await client(aBinary);
  const b = await client(bBinary);
  expect(await b.request(8, { peer: a.device })).toMatchObject({ ok: true });
  return [a, b];
}

const envelope = (n: number) => randomBytes(n);

/** The REPLY for `ref`. */
const reply = (c: GatewayClient, ref: string) =>
  c.next((m) => m.op === 0 && m.t === "REPLY" && (m.d as { ref?: string }).ref === ref);

describe("negotiation", () => {
  it("READY names binary-frames-1 only for a client that asked for it", async () => {
    const asked = await GatewayClient.connect(relay.url);
    const ready = await asked.auth(BINARY);
    expect(ready.d).toMatchObject({ features: ["binary-frames-1"] });
    const plain = await GatewayClient.connect(relay.url);
    const plainReady = await plain.auth({ features: ["something-else"] });
    expect(plainReady.d).not.toHaveProperty("features");
    const junk = await GatewayClient.connect(relay.url);
    expect((await junk.auth({ features: 42 })).t).toBe("READY");
  });

  it("a binary message on a connection that did not negotiate is closed 4002, before and after AUTH", async () => {
    const before = await GatewayClient.connect(relay.url);
    before.sendBinary(Buffer.from([5, 0]));
    expect((await before.closed).code).toBe(4002);
    const after = await client(false);
    const peer = await client(false);
    after.sendBinary(binarySend({ id: frameId(), to: peer.device, qos: 0, envelope: envelope(8) }));
    expect((await after.closed).code).toBe(4002);
  });
});

describe("forwarding across forms", () => {
  it("binary to binary: the FRAME arrives binary with the raw envelope, from and ts set by the relay", async () => {
    const [a, b] = await pair(true, true);
    const env = envelope(1024);
    const id = frameId();
    const before = Date.now();
    a.sendBinary(binarySend({ id, to: b.device, qos: 0, ref: "r1", envelope: env }));
    expect((await reply(a, "r1")).d).toMatchObject({ ok: true, status: "sent" });
    const frame = await b.event("FRAME");
    expect(frame.binary).toBe(true);
    expect(frame.d).toMatchObject({ id, from: a.device, body: env.toString("base64url"), qos: 0 });
    expect((frame.d as { ts: number }).ts).toBeGreaterThanOrEqual(before);
  });

  it("binary sender to a JSON recipient: the recipient sees JSON text only", async () => {
    const [a, b] = await pair(true, false);
    const env = envelope(300);
    const id = frameId();
    a.sendBinary(binarySend({ id, to: b.device, qos: 1, ref: "q1", envelope: env }));
    expect((await reply(a, "q1")).d).toMatchObject({ ok: true, status: "stored" });
    const frame = await b.event("FRAME");
    expect(frame.binary).toBeUndefined();
    expect(frame.d).toMatchObject({ id, from: a.device, body: env.toString("base64url"), qos: 1 });
  });

  it("JSON sender to a binary recipient: the FRAME is binary, its s in the session's sequence", async () => {
    const [a, b] = await pair(false, true);
    const env = envelope(77);
    const id = frameId();
    expect(await a.request(5, { id, to: b.device, body: env.toString("base64url"), qos: 0 })).toMatchObject({
      status: "sent",
    });
    const frame = await b.event("FRAME");
    expect(frame.binary).toBe(true);
    expect(frame.d).toMatchObject({ id, from: a.device, body: env.toString("base64url") });
    // READY was s 1, the GRANT's REPLY s 2: the FRAME is 3.
    expect(frame.s).toBe(3);
  });

  it("refusals of a binary SEND are JSON: not_granted as ERROR {op, id} without ref, too_large with ref", async () => {
    const [a, b] = await pair(true, true);
    const id = frameId();
    b.sendBinary(binarySend({ id, to: a.device, qos: 1, envelope: envelope(10) }));
    expect((await b.event("ERROR")).d).toMatchObject({ op: 5, id, code: "not_granted" });
    a.sendBinary(binarySend({ id: frameId(), to: b.device, qos: 0, ref: "big", envelope: envelope(4097) }));
    expect((await reply(a, "big")).d).toMatchObject({ ok: false, code: "too_large" });
  });
});

describe("ref-less qos 0 stream (routed synchronously, ids copied as raw bytes)", () => {
  it("frames arrive in the order sent, qos 0 behind qos 1 to the same recipient, with the sender's id and from", async () => {
    const [a, b] = await pair(true, true);
    const sent = Array.from({ length: 30 }, (_, i) => ({
      id: frameId(),
      qos: (i % 5 === 0 ? 1 : 0) as 0 | 1,
      env: envelope(64 + i),
    }));
    for (const f of sent) a.sendBinary(binarySend({ id: f.id, to: b.device, qos: f.qos, envelope: f.env }));
    let lastS = 0;
    for (const f of sent) {
      const frame = await b.event("FRAME");
      expect(frame.binary).toBe(true);
      expect(frame.d).toMatchObject({ id: f.id, from: a.device, qos: f.qos, body: f.env.toString("base64url") });
      expect(frame.s!).toBeGreaterThan(lastS);
      lastS = frame.s!;
    }
  });

  it("one sender alternating between recipients: each frame reaches its own recipient (the last `to` is cached)", async () => {
    const a = await client(true);
    const [b, c] = [await client(true), await client(false)];
    for (const r of [b, c]) expect(await r.request(8, { peer: a.device })).toMatchObject({ ok: true });
    // Runs of one recipient and single switches, so that the cached recipient is both reused and replaced.
    const order = [b, b, c, b, c, c, c, b, c, b];
    const sent = order.map((r) => ({ r, id: frameId() }));
    for (const f of sent) a.sendBinary(binarySend({ id: f.id, to: f.r.device, qos: 0, envelope: envelope(16) }));
    for (const r of [b, c]) {
      const mine = sent.filter((f) => f.r === r).map((f) => f.id);
      const got: string[] = [];
      for (const _ of mine) got.push(((await r.event("FRAME")).d as { id: string }).id);
      expect(got).toEqual(mine);
    }
    // Then to a device that did not grant it: refused, not sent to the last recipient.
    const stranger = await client(true);
    const refused = frameId();
    a.sendBinary(binarySend({ id: refused, to: stranger.device, qos: 0, envelope: envelope(8) }));
    expect((await a.event("ERROR")).d).toMatchObject({ op: 5, id: refused, code: "not_granted" });
  });

  it("a refused ref-less qos 0 SEND gets ERROR {op, id}, and the connection keeps forwarding", async () => {
    const [a, b] = await pair(true, true);
    const refused = frameId();
    b.sendBinary(binarySend({ id: refused, to: a.device, qos: 0, envelope: envelope(10) }));
    expect((await b.event("ERROR")).d).toMatchObject({ op: 5, id: refused, code: "not_granted" });
    const id = frameId();
    a.sendBinary(binarySend({ id, to: b.device, qos: 0, envelope: envelope(10) }));
    expect((await b.event("FRAME")).d).toMatchObject({ id, from: a.device });
  });
});

describe("offline queue across forms", () => {
  it("qos 1 sent binary reaches a JSON recipient after it reconnects, and JSON-sent reaches a binary one as binary", async () => {
    const [a, b] = await pair(true, false);
    expect(await a.request(8, { peer: b.device })).toMatchObject({ ok: true });
    b.close();
    await b.closed;
    const toB = envelope(500);
    const idB = frameId();
    a.sendBinary(binarySend({ id: idB, to: b.device, qos: 1, ref: "s1", envelope: toB }));
    expect((await reply(a, "s1")).d).toMatchObject({ status: "stored" });
    const backB = await client(false, b.identity);
    const gotB = await backB.event("FRAME");
    expect(gotB.binary).toBeUndefined();
    expect(gotB.d).toMatchObject({ id: idB, from: a.device, body: toB.toString("base64url"), qos: 1 });
    backB.send({ op: 6, d: { ids: [idB] } });

    a.close();
    await a.closed;
    const toA = envelope(600);
    const idA = frameId();
    expect(await backB.request(5, { id: idA, to: a.device, body: toA.toString("base64url"), qos: 1 })).toMatchObject({
      status: "stored",
    });
    const backA = await client(true, a.identity);
    const gotA = await backA.event("FRAME");
    expect(gotA.binary).toBe(true);
    expect(gotA.d).toMatchObject({ id: idA, from: backB.device, body: toA.toString("base64url"), qos: 1 });
  });
});

describe("resume across forms", () => {
  it("binary FRAMEs missed on a binary connection replay as JSON with their s to a resume that did not ask for binary", async () => {
    const [a, b] = await pair(false, true);
    const ready = b.lastS!;
    const env = envelope(40);
    const id = frameId();
    await a.request(5, { id, to: b.device, body: env.toString("base64url"), qos: 0 });
    const live = await b.event("FRAME");
    expect(live.binary).toBe(true);
    b.ws.terminate();
    await b.closed;
    const again = await GatewayClient.connect(relay.url, b.identity);
    const resumed = await again.auth({ resume: { session: sessions.get(b.device), seq: ready } });
    expect(resumed.t).toBe("RESUMED");
    expect(resumed.d).not.toHaveProperty("features");
    const replayed = await again.event("FRAME");
    expect(replayed.binary).toBeUndefined();
    expect(replayed.s).toBe(live.s);
    expect(replayed.d).toMatchObject({ id, from: a.device, body: env.toString("base64url") });
  });
});

describe("malformed binary", () => {
  it.each([
    ["an unknown first byte", () => Buffer.from([2, 0, 0]), 4001],
    ["a short SEND header", () => Buffer.from([5, 0, 1, 2, 3]), 4002],
    [
      "reserved flag bits",
      (to: string) => {
        const m = binarySend({ id: frameId(), to, qos: 0, envelope: envelope(4) });
        m[1] = 0x40;
        return m;
      },
      4002,
    ],
    [
      "a ref that is not UTF-8",
      (to: string) => {
        const m = binarySend({ id: frameId(), to, qos: 0, ref: "ab", envelope: envelope(4) });
        m[51] = 0xff;
        return m;
      },
      4002,
    ],
    [
      "a message over the size limit",
      (to: string) => binarySend({ id: frameId(), to, qos: 0, envelope: envelope(16 * 1024) }),
      4011,
    ],
  ])("%s closes that connection with %s; the relay keeps serving others", async (_name, make, code) => {
    const [a, b] = await pair(true, true);
    a.sendBinary(make(b.device));
    expect((await a.closed).code).toBe(code);
    const [c, d] = await pair(true, false);
    c.sendBinary(binarySend({ id: frameId(), to: d.device, qos: 0, envelope: envelope(8) }));
    expect((await d.event("FRAME")).d).toMatchObject({ from: c.device });
  });
});
