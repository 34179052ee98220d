import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, frameId, GatewayClient, newIdentity, signChallenge } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;
let slowRelay: RelayHandle;
let stopSlow: () => Promise<void>;

// Short heartbeats for the heartbeat rules; default ones (so no test races 4009) for resume.
beforeAll(async () => {
  ({ relay, stop } = await startTestRelay({ heartbeatMs: 150 }));
  ({ relay: slowRelay, stop: stopSlow } = await startTestRelay({ resumeTtlS: 2, limits: { resumeMaxEvents: 5 } }));
});
afterAll(async () => {
  await stop();
  await stopSlow();
});

/** Two authenticated clients that granted each other. */
async function pair(): Promise<[GatewayClient, GatewayClient]> {
  const a = await GatewayClient.connect(relay.url);
  const b = await GatewayClient.connect(relay.url);
  await a.auth();
  await b.auth();
  await a.request(8, { peer: b.device });
  await b.request(8, { peer: a.device });
  return [a, b];
}

function beat(c: GatewayClient): NodeJS.Timeout {
  return setInterval(() => c.send({ op: 1, d: c.lastS }), 50);
}

describe("heartbeats (docs/protocol.md section 4)", () => {
  it("answers HEARTBEAT with HEARTBEAT_ACK and keeps a beating client connected past three intervals", async () => {
    const a = await GatewayClient.connect(relay.url);
    await a.auth();
    const timer = beat(a);
    await new Promise((r) => setTimeout(r, 600));
    clearInterval(timer);
    expect(a.received.some((m) => m.op === 3)).toBe(true);
    expect(a.ws.readyState).toBe(a.ws.OPEN);
    a.close();
  });

  it("asks for a heartbeat (op 1), then closes 4009 after three silent intervals and counts the device offline", async () => {
    const [a, b] = await pair();
    await a.event("PRESENCE");
    const timer = beat(a);
    const closed = await b.closed;
    expect(closed.code).toBe(4009);
    expect(b.received.some((m) => m.op === 1)).toBe(true);
    const presence = await a.event("PRESENCE");
    expect(presence.d).toEqual({ device: b.device, online: false });
    clearInterval(timer);
    a.close();
  });
});

describe("resume (docs/protocol.md section 4)", () => {
  async function sessionWithEvents(): Promise<{
    a: GatewayClient;
    b: GatewayClient;
    session: string;
    events: number[];
  }> {
    const a = await GatewayClient.connect(slowRelay.url);
    const b = await GatewayClient.connect(slowRelay.url);
    const ready = await a.auth();
    await b.auth();
    await a.request(8, { peer: b.device });
    for (let i = 0; i < 3; i++) await b.request(5, { id: frameId(), to: a.device, body: body(8), qos: 0 });
    const frames = [await a.event("FRAME"), await a.event("FRAME"), await a.event("FRAME")];
    return { a, b, session: (ready.d as { session: string }).session, events: frames.map((f) => f.s!) };
  }

  it("replays every event after seq, with the original s, after RESUMED (which carries no s)", async () => {
    const { a, b, session, events } = await sessionWithEvents();
    a.close();
    await a.closed;
    const again = await GatewayClient.connect(slowRelay.url, a.identity);
    const resumed = await again.auth({ resume: { session, seq: events[0] } });
    expect(resumed).toMatchObject({ op: 0, t: "RESUMED", d: { session } });
    expect(resumed.s).toBeUndefined();
    const replay = [await again.event("FRAME"), await again.event("FRAME")];
    expect(replay.map((m) => m.s)).toEqual(events.slice(1));
    // New events continue the same sequence.
    await b.request(5, { id: frameId(), to: a.device, body: body(8), qos: 0 });
    expect((await again.event("FRAME")).s).toBe(events[2]! + 1);
    again.close();
    b.close();
  });

  it("delivers qos 1 frames stored while the session was away after the replay", async () => {
    const { a, b, session, events } = await sessionWithEvents();
    a.close();
    await a.closed;
    const id = frameId();
    expect(await b.request(5, { id, to: a.device, body: body(8), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
    const again = await GatewayClient.connect(slowRelay.url, a.identity);
    await again.auth({ resume: { session, seq: events[2] } });
    const frame = await again.event("FRAME");
    expect(frame.d).toMatchObject({ id, from: b.device, qos: 1 });
    again.send({ op: 6, d: { ids: [id] } });
    again.close();
    b.close();
  });

  it("sends INVALID_SESSION for an unknown session, then accepts a fresh AUTH on the same connection", async () => {
    const a = await GatewayClient.connect(slowRelay.url);
    expect((await a.auth({ resume: { session: "no-such-session", seq: 0 } })).op).toBe(9);
    expect((await a.auth()).t).toBe("READY");
    a.close();
  });

  it("sends INVALID_SESSION when seq is no longer covered or ahead of the session", async () => {
    const { a, b, session } = await sessionWithEvents();
    for (let i = 0; i < 6; i++) await b.request(5, { id: frameId(), to: a.device, body: body(8), qos: 0 });
    for (let i = 0; i < 6; i++) await a.event("FRAME");
    a.close();
    await a.closed;
    const again = await GatewayClient.connect(slowRelay.url, a.identity);
    expect((await again.auth({ resume: { session, seq: 1 } })).op).toBe(9);
    expect((await again.auth({ resume: { session, seq: 10_000 } })).op).toBe(9);
    again.close();
    b.close();
  });

  it("sends INVALID_SESSION for a session of another device", async () => {
    const { a, b, session } = await sessionWithEvents();
    const stranger = await GatewayClient.connect(slowRelay.url);
    expect((await stranger.auth({ resume: { session, seq: 1 } })).op).toBe(9);
    stranger.close();
    a.close();
    b.close();
  });

  it("forgets a session resume_ttl_s after its connection dropped", async () => {
    const { a, b, session, events } = await sessionWithEvents();
    a.close();
    await a.closed;
    await new Promise((r) => setTimeout(r, 2300));
    const again = await GatewayClient.connect(slowRelay.url, a.identity);
    expect((await again.auth({ resume: { session, seq: events[2] } })).op).toBe(9);
    again.close();
    b.close();
  });

  it("a resume from a second connection replaces the first with 4006", async () => {
    const { a, b, session, events } = await sessionWithEvents();
    const again = await GatewayClient.connect(slowRelay.url, a.identity);
    expect((await again.auth({ resume: { session, seq: events[2] } })).t).toBe("RESUMED");
    expect((await a.closed).code).toBe(4006);
    again.close();
    b.close();
  });

  it("needs a valid signature for a resume too", async () => {
    const { a, session } = await sessionWithEvents();
    const again = await GatewayClient.connect(slowRelay.url, a.identity);
    again.send({
      op: 2,
      d: {
        device: a.device,
        sig: signChallenge(newIdentity(), again.hello.challenge, again.hello.relay),
        resume: { session, seq: 1 },
      },
    });
    expect((await again.closed).code).toBe(4004);
    a.close();
  });
});
