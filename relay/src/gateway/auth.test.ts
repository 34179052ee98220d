import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayClient, newIdentity, signChallenge } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay({ authTimeoutMs: 300 }));
});
afterAll(() => stop());

describe("HELLO and AUTH (docs/protocol.md section 4)", () => {
  it("sends HELLO with v1, the heartbeat interval, a fresh 32-byte challenge and the relay id", async () => {
    const a = await GatewayClient.connect(relay.url);
    const b = await GatewayClient.connect(relay.url);
    expect(a.hello.v).toBe(1);
    expect(a.hello.heartbeat_interval).toBe(30000);
    expect(a.hello.relay).toBe("test-relay");
    expect(Buffer.from(a.hello.challenge, "base64url")).toHaveLength(32);
    expect(a.hello.challenge).not.toBe(b.hello.challenge);
    a.close();
    b.close();
  });

  it("answers a good AUTH with READY (s = 1) naming the session and device", async () => {
    const a = await GatewayClient.connect(relay.url);
    const ready = await a.auth({ client: { name: "test", version: "1" } });
    expect(ready).toMatchObject({ op: 0, t: "READY", s: 1 });
    expect(ready.d).toMatchObject({ device: a.device, heartbeat_interval: 30000, resume_ttl_s: 60, peers_online: [] });
    expect(typeof (ready.d as { session: string }).session).toBe("string");
    a.close();
  });

  it("closes 4004 on a bad signature", async () => {
    const a = await GatewayClient.connect(relay.url);
    const other = newIdentity();
    a.send({ op: 2, d: { device: a.device, sig: signChallenge(other, a.hello.challenge, a.hello.relay) } });
    expect((await a.closed).code).toBe(4004);
  });

  it("closes 4004 on a signature for another relay id (the relay id is signed)", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.send({ op: 2, d: { device: a.device, sig: signChallenge(a.identity, a.hello.challenge, "another-relay") } });
    expect((await a.closed).code).toBe(4004);
  });

  it("closes 4004 on a malformed device id", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.send({ op: 2, d: { device: "not-a-key", sig: signChallenge(a.identity, a.hello.challenge, a.hello.relay) } });
    expect((await a.closed).code).toBe(4004);
  });

  it("closes 4003 on an op other than HEARTBEAT before AUTH, and lets HEARTBEAT through", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.send({ op: 1, d: null });
    expect((await a.next((m) => m.op === 3)).d).toBeNull();
    a.send({ op: 8, d: { peer: newIdentity().device } });
    expect((await a.closed).code).toBe(4003);
  });

  it("closes 4003 when no AUTH arrives in time", async () => {
    const a = await GatewayClient.connect(relay.url);
    expect((await a.closed).code).toBe(4003);
  });

  it("closes 4005 on a second AUTH", async () => {
    const a = await GatewayClient.connect(relay.url);
    await a.auth();
    a.send({ op: 2, d: { device: a.device, sig: signChallenge(a.identity, a.hello.challenge, a.hello.relay) } });
    expect((await a.closed).code).toBe(4005);
  });

  it("accepts shard [0, 1] and closes 4010 on any other shard", async () => {
    const a = await GatewayClient.connect(relay.url);
    expect((await a.auth({ shard: [0, 1] })).t).toBe("READY");
    const b = await GatewayClient.connect(relay.url);
    b.send({
      op: 2,
      d: { device: b.device, sig: signChallenge(b.identity, b.hello.challenge, b.hello.relay), shard: [1, 2] },
    });
    expect((await b.closed).code).toBe(4010);
    a.close();
  });

  it("closes 4006 on the older connection when the same device authenticates again", async () => {
    const id = newIdentity();
    const first = await GatewayClient.connect(relay.url, id);
    await first.auth();
    const second = await GatewayClient.connect(relay.url, id);
    expect((await second.auth()).t).toBe("READY");
    expect((await first.closed).code).toBe(4006);
    second.close();
  });

  it("closes 4001 on an unknown op and on a relay-only op", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.send({ op: 99, d: null });
    expect((await a.closed).code).toBe(4001);
    const b = await GatewayClient.connect(relay.url);
    await b.auth();
    b.send({ op: 7, d: null });
    expect((await b.closed).code).toBe(4001);
  });

  it("closes 4002 on text that is not JSON, and on a payload that does not fit its op", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.sendText("{nope");
    expect((await a.closed).code).toBe(4002);
    const b = await GatewayClient.connect(relay.url);
    await b.auth();
    b.send({ op: 5, d: { id: "short", to: b.device, body: "", qos: 1 } });
    expect((await b.closed).code).toBe(4002);
  });

  it("ignores unknown keys in a message", async () => {
    const a = await GatewayClient.connect(relay.url);
    a.send({ op: 1, d: null, extra: { x: 1 } } as { op: number; d: unknown });
    expect((await a.next((m) => m.op === 3)).op).toBe(3);
    a.close();
  });
});

describe("transport (docs/protocol.md section 2)", () => {
  it("upgrades other gateway versions and closes them with 4012", async () => {
    const url = relay.url.replace("/v1/", "/v2/");
    const { default: WebSocket } = await import("ws");
    const ws = new WebSocket(url);
    const code = await new Promise<number>((resolve) => ws.on("close", (c) => resolve(c)));
    expect(code).toBe(4012);
  });

  it("serves /healthz and Prometheus /metrics", async () => {
    const base = relay.url.replace("ws://", "http://").replace("/v1/gateway", "");
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    for (const name of [
      "nlink_relay_connections",
      "nlink_relay_sessions",
      "nlink_relay_frames_in_total",
      "nlink_relay_frames_out_total",
      "nlink_relay_bytes_in_total",
      "nlink_relay_stored_frames",
      "nlink_relay_rejections_total",
      "nlink_relay_closes_total",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/nlink_relay_closes_total\{code="4004"\} [1-9]/);
  });
});
