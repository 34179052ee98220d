import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, frameId, GatewayClient } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay({
    limits: {
      opsPerSecond: 20,
      opsBurst: 40,
      maxMessageBytes: 64 * 1024,
      maxBodyBytes: 32 * 1024,
      transportMaxBytes: 128 * 1024,
    },
  }));
});
afterAll(() => stop());

async function granted(): Promise<[GatewayClient, GatewayClient]> {
  const a = await GatewayClient.connect(relay.url);
  const b = await GatewayClient.connect(relay.url);
  await a.auth();
  await b.auth();
  await b.request(8, { peer: a.device });
  return [a, b];
}

describe("size and rate limits (docs/protocol.md section 2)", () => {
  it("answers SENDs over the op rate with rate_limited, then closes 4008 a client that keeps pushing", async () => {
    const [a, b] = await granted();
    for (let i = 0; i < 70; i++)
      a.send({ op: 5, d: { id: frameId(), to: b.device, body: body(8), qos: 0, ref: `s${i}` } });
    const limited = await a.next((m) => m.t === "REPLY" && (m.d as { code?: string }).code === "rate_limited");
    expect(limited.d).toMatchObject({ ok: false, code: "rate_limited" });
    for (let i = 0; i < 200 && a.ws.readyState === WebSocket.OPEN; i++)
      a.send({ op: 5, d: { id: frameId(), to: b.device, body: body(8), qos: 0 } });
    expect((await a.closed).code).toBe(4008);
    b.close();
  });

  it("closes 4008 a flood of other ops", async () => {
    const a = await GatewayClient.connect(relay.url);
    await a.auth();
    for (let i = 0; i < 100 && a.ws.readyState === WebSocket.OPEN; i++) a.send({ op: 1, d: null });
    expect((await a.closed).code).toBe(4008);
  });

  it("closes 4011 on a message over the size limit, and the transport cuts a far larger one (1009)", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.sendText(JSON.stringify({ op: 1, d: null, pad: "x".repeat(65 * 1024) }));
    expect((await a.closed).code).toBe(4011);
    const b = await GatewayClient.connect(relay.url);
    b.sendText("x".repeat(200 * 1024));
    expect((await b.closed).code).toBe(1009);
  });

  it("closes 4002 on a binary message", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.ws.send(Buffer.from([1, 2, 3]));
    expect((await a.closed).code).toBe(4002);
  });

  it("keeps serving a working pair while many connections send garbage", async () => {
    const [a, b] = await granted();
    await a.request(8, { peer: b.device });
    const garbage = [
      "not json",
      "[]",
      "null",
      '{"op":"x"}',
      '{"op":1.5,"d":null}',
      '{"op":42,"d":{}}',
      '{"op":5,"d":{"id":1}}',
      '{"op":2,"d":{"device":"x","sig":"y"}}',
      '{"op":2,"d":{"device":null}}',
      '{"op":0,"t":"READY","s":1,"d":{}}',
      "\u0000\uffff",
      JSON.stringify({ op: 2, d: { device: "A".repeat(43), sig: "B".repeat(86), resume: { session: "x", seq: -1 } } }),
    ];
    const closings: Promise<{ code: number }>[] = [];
    for (let i = 0; i < 36; i++) {
      const ws = new WebSocket(relay.url);
      ws.on("error", () => undefined);
      closings.push(new Promise((resolve) => ws.on("close", (code) => resolve({ code }))));
      ws.on("open", () => {
        for (let k = 0; k < 5; k++) ws.send(garbage[(i + k) % garbage.length]!);
      });
    }
    // Meanwhile the pair keeps exchanging frames.
    for (let i = 0; i < 30; i++) {
      // within the burst of 40 ops this relay allows
      const id = frameId();
      expect(await a.request(5, { id, to: b.device, body: body(64), qos: i % 2 === 0 ? 0 : 1 })).toMatchObject({
        ok: true,
      });
      expect((await b.event("FRAME")).d).toMatchObject({ id });
      if (i % 10 === 0) {
        a.send({ op: 1, d: a.lastS });
        b.send({ op: 1, d: b.lastS });
      }
    }
    const codes = (await Promise.all(closings)).map((c) => c.code);
    for (const code of codes) expect([4001, 4002, 4004]).toContain(code);
    const health = await fetch(relay.url.replace("ws://", "http://").replace("/v1/gateway", "/healthz"));
    expect(health.status).toBe(200);
    a.close();
    b.close();
  });
});

describe("byte rate (docs/protocol.md section 2)", () => {
  let slow: RelayHandle;
  let stopSlow: () => Promise<void>;
  beforeAll(async () => {
    ({ relay: slow, stop: stopSlow } = await startTestRelay({
      limits: { bytesPerSecond: 100_000, maxMessageBytes: 64 * 1024 },
    }));
  });
  afterAll(() => stopSlow());

  it("closes 4008 a connection that sends more bytes per second than allowed, and no sooner", async () => {
    const a = await GatewayClient.connect(slow.url);
    const b = await GatewayClient.connect(slow.url);
    await a.auth();
    await b.auth();
    await b.request(8, { peer: a.device });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(30_000), qos: 0 })).toMatchObject({ ok: true });
    for (let i = 0; i < 10 && a.ws.readyState === WebSocket.OPEN; i++)
      a.send({ op: 5, d: { id: frameId(), to: b.device, body: body(30_000), qos: 0 } });
    expect((await a.closed).code).toBe(4008);
    b.close();
  });
});
