import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, frameId, GatewayClient, type Message } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay({ limits: { maxBodyBytes: 4096 } }));
});
afterAll(() => stop());

/** a and b, authenticated; b has granted a (a may send to b). */
async function sender(url = relay.url): Promise<[GatewayClient, GatewayClient]> {
  const a = await GatewayClient.connect(url);
  const b = await GatewayClient.connect(url);
  await a.auth();
  await b.auth();
  expect(await b.request(8, { peer: a.device })).toEqual({ ref: expect.any(String), ok: true });
  return [a, b];
}

const frameIds = (ms: Message[]) => ms.map((m) => (m.d as { id: string }).id);

async function frames(c: GatewayClient, n: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < n; i++) out.push(await c.event("FRAME"));
  return out;
}

describe("SEND and FRAME (docs/protocol.md section 5)", () => {
  it("delivers qos 0 to a connected recipient (status sent) with from and ts set by the relay", async () => {
    const [a, b] = await sender();
    const id = frameId();
    const before = Date.now();
    const reply = await a.request(5, { id, to: b.device, body: body(16), qos: 0, from: b.device });
    expect(reply).toMatchObject({ ok: true, status: "sent" });
    const frame = await b.event("FRAME");
    expect(frame.d).toMatchObject({ id, from: a.device, body: body(16), qos: 0 });
    const ts = (frame.d as { ts: number }).ts;
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Date.now());
  });

  it("drops qos 0 for an offline recipient (status dropped) and never stores it", async () => {
    const [a, b] = await sender();
    b.close();
    await b.closed;
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(16), qos: 0 })).toMatchObject({
      ok: true,
      status: "dropped",
    });
    const back = await GatewayClient.connect(relay.url, b.identity);
    await back.auth();
    await a.request(5, { id: frameId(), to: b.device, body: body(4), qos: 0 });
    expect((await back.event("FRAME")).d).toMatchObject({ body: body(4) });
  });

  it("refuses a SEND to a device that has not granted the sender: REPLY with ref, ERROR with op and id without", async () => {
    const [a, b] = await sender();
    expect(await b.request(5, { id: frameId(), to: a.device, body: body(8), qos: 1 })).toMatchObject({
      ok: false,
      code: "not_granted",
    });
    const id = frameId();
    b.send({ op: 5, d: { id, to: a.device, body: body(8), qos: 0 } });
    expect((await b.event("ERROR")).d).toMatchObject({ op: 5, id, code: "not_granted" });
    expect(a.received.filter((m) => m.t === "FRAME")).toEqual([]);
  });

  it("gets no reply for a successful op without ref", async () => {
    const [a, b] = await sender();
    a.send({ op: 5, d: { id: frameId(), to: b.device, body: body(8), qos: 0 } });
    await b.event("FRAME");
    await a.request(1 + 4, { id: frameId(), to: b.device, body: body(8), qos: 0 });
    expect(a.received.filter((m) => m.t === "REPLY" || m.t === "ERROR")).toEqual([]);
  });

  it("refuses a body over the size limit with too_large", async () => {
    const [a, b] = await sender();
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(4097), qos: 1 })).toMatchObject({
      ok: false,
      code: "too_large",
    });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(4096), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
  });

  it("stores qos 1, delivers it now, and redelivers on every new session until ACKed", async () => {
    const [a, b] = await sender();
    const id = frameId();
    expect(await a.request(5, { id, to: b.device, body: body(32), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
    expect((await b.event("FRAME")).d).toMatchObject({ id, qos: 1, from: a.device });
    b.close();
    await b.closed;
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    await b2.auth();
    expect((await b2.event("FRAME")).d).toMatchObject({ id, qos: 1 });
    b2.send({ op: 6, d: { ids: [id, frameId()] } });
    await b2.request(8, { peer: a.device }); // ordered after the ACK on the same connection
    b2.close();
    await b2.closed;
    const b3 = await GatewayClient.connect(relay.url, b.identity);
    await b3.auth();
    await b3.request(8, { peer: a.device });
    expect(b3.received.filter((m) => m.t === "FRAME")).toEqual([]);
    b3.close();
  });

  it("keeps each sender's order across live delivery and redelivery, qos 0 and 1 mixed", async () => {
    const [a, b] = await sender();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = frameId();
      ids.push(id);
      a.send({ op: 5, d: { id, to: b.device, body: body(8 + i), qos: (i % 3 === 0 ? 0 : 1) as 0 | 1 } });
    }
    expect(frameIds(await frames(b, 30))).toEqual(ids);
    const stored = ids.filter((_, i) => i % 3 !== 0);
    b.close();
    await b.closed;
    // More frames while b is away, then b comes back: stored ones first, oldest first.
    const later: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = frameId();
      later.push(id);
      await a.request(5, { id, to: b.device, body: body(8), qos: 1 });
    }
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    await b2.auth();
    expect(frameIds(await frames(b2, stored.length + later.length))).toEqual([...stored, ...later]);
    b2.send({ op: 6, d: { ids: [...stored, ...later] } });
    b2.close();
  });

  it("keeps the order, without duplicates, when the recipient comes back while frames keep arriving", async () => {
    const [a, b] = await sender();
    b.close();
    await b.closed;
    const ids = Array.from({ length: 60 }, () => frameId());
    const replies = ids.map((id, i) =>
      a.request(5, { id, to: b.device, body: body(16), qos: (i % 4 === 0 ? 0 : 1) as 0 | 1 }),
    );
    await replies[20];
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    await b2.auth();
    const statuses = (await Promise.all(replies)).map((r) => r.status);
    // qos 0 frames sent while b was away were dropped; everything else arrives once, in order.
    const expected = ids.filter((_, i) => statuses[i] !== "dropped");
    expect(frameIds(await frames(b2, expected.length))).toEqual(expected);
    await b2.request(8, { peer: a.device });
    expect(b2.received.filter((m) => m.t === "FRAME")).toEqual([]);
    b2.send({ op: 6, d: { ids } });
    b2.close();
  });

  it("stores a retried SEND with the same id once and answers stored again", async () => {
    const [a, b] = await sender();
    b.close();
    await b.closed;
    const id = frameId();
    expect(await a.request(5, { id, to: b.device, body: body(8), qos: 1 })).toMatchObject({ status: "stored" });
    expect(await a.request(5, { id, to: b.device, body: body(8), qos: 1 })).toMatchObject({ status: "stored" });
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    await b2.auth();
    await b2.event("FRAME");
    await b2.request(8, { peer: a.device });
    expect(b2.received.filter((m) => m.t === "FRAME")).toEqual([]);
    b2.close();
  });

  it("REVOKE deletes the peer's stored frames and refuses further SENDs", async () => {
    const [a, b] = await sender();
    b.close();
    await b.closed;
    await a.request(5, { id: frameId(), to: b.device, body: body(8), qos: 1 });
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    b2.send({
      op: 2,
      d: {
        device: b.device,
        sig: (await import("../../test/gateway-client")).signChallenge(b.identity, b2.hello.challenge, b2.hello.relay),
      },
    });
    await b2.event("READY");
    await b2.event("FRAME");
    expect(await b2.request(10, { peer: a.device })).toMatchObject({ ok: true });
    b2.close();
    await b2.closed;
    const b3 = await GatewayClient.connect(relay.url, b.identity);
    await b3.auth();
    await b3.request(10, { peer: a.device });
    expect(b3.received.filter((m) => m.t === "FRAME")).toEqual([]);
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(8), qos: 0 })).toMatchObject({
      ok: false,
      code: "not_granted",
    });
    b3.close();
  });
});

describe("per-recipient limits and expiry (docs/protocol.md section 5)", () => {
  let small: RelayHandle;
  let stopSmall: () => Promise<void>;
  beforeAll(async () => {
    ({ relay: small, stop: stopSmall } = await startTestRelay({
      limits: { queueMaxFrames: 3, queueMaxBytes: 1000, frameExpiryMs: 400 },
    }));
  });
  afterAll(() => stopSmall());

  it("refuses with queue_full past the frame limit, drops nothing stored, and accepts a retry of a stored frame", async () => {
    const [a, b] = await sender(small.url);
    b.close();
    await b.closed;
    const ids = [frameId(), frameId(), frameId()];
    for (const id of ids)
      expect(await a.request(5, { id, to: b.device, body: body(10), qos: 1 })).toMatchObject({ status: "stored" });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(10), qos: 1 })).toMatchObject({
      ok: false,
      code: "queue_full",
    });
    expect(await a.request(5, { id: ids[1], to: b.device, body: body(10), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
    const b2 = await GatewayClient.connect(small.url, b.identity);
    await b2.auth();
    expect(frameIds(await frames(b2, 3))).toEqual(ids);
    b2.send({ op: 6, d: { ids } });
    await b2.request(8, { peer: a.device });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(10), qos: 1 })).toMatchObject({
      status: "stored",
    });
    b2.close();
  });

  it("refuses with queue_full past the byte limit", async () => {
    const [a, b] = await sender(small.url);
    b.close();
    await b.closed;
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(900), qos: 1 })).toMatchObject({
      status: "stored",
    });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(200), qos: 1 })).toMatchObject({
      code: "queue_full",
    });
  });

  it("removes expired frames in the sweep and never delivers them", async () => {
    const [a, b] = await sender(small.url);
    b.close();
    await b.closed;
    await a.request(5, { id: frameId(), to: b.device, body: body(10), qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await small.sweep()).toBeGreaterThanOrEqual(1);
    const b2 = await GatewayClient.connect(small.url, b.identity);
    await b2.auth();
    await b2.request(8, { peer: a.device });
    expect(b2.received.filter((m) => m.t === "FRAME")).toEqual([]);
    b2.close();
  });
});
