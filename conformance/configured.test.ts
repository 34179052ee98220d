/**
 * The timers and limits of docs/protocol.md sections 4, 5 and 10 that take too long
 * at their defaults, checked on a local relay configured with short ones. The
 * rules are the same; only the numbers shrink. Always a local relay, even when
 * NLINK_CONFORMANCE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64u } from "./client/b64u";
import { Connection } from "./client/connection";
import { newDevice } from "./client/identity";
import { newToken, rendezvousOf } from "./client/pairing";
import { grantBoth, Session } from "./client/session";
import { Close, Op, type Frame, type PresenceEvent } from "./client/wire";
import { connectWithBacklog } from "./backlog";
import { localTarget, type Target } from "./target";

/** The shortened settings; each test names the rule it exercises. */
const SHORT = {
  heartbeatMs: 500,
  authTimeoutMs: 500,
  resumeTtlS: 1,
  limits: { queueMaxFrames: 3, resumeMaxEvents: 5, frameExpiryMs: 1000 },
};

let target: Target;
beforeAll(async () => {
  target = await localTarget(SHORT);
});
afterAll(() => target?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The waits below overlap: each test uses its own devices, so they run concurrently. (Not docs/protocol.md section 5:
// its expiry sweep must not meet the queue test's frames.)
describe.concurrent("docs/protocol.md section 4 timers", () => {
  it("closes a connection that does not AUTH in time with 4003", async () => {
    const conn = await Connection.open(target.url);
    expect((await conn.waitClose(SHORT.authTimeoutMs * 20)).code).toBe(Close.NOT_AUTHENTICATED);
  });

  it("closes a session that stops heartbeating with 4009, and counts the device offline", async () => {
    const watcher = await Session.connect(target.url);
    const silent = await Session.connect(target.url, newDevice(), { heartbeat: false });
    await grantBoth(watcher, silent);
    expect((await silent.conn.waitClose(SHORT.heartbeatMs * 20)).code).toBe(Close.SESSION_TIMED_OUT);
    const offline = await watcher.conn.event(
      "PRESENCE",
      (d) => (d as PresenceEvent).device === silent.id && !(d as PresenceEvent).online,
      SHORT.heartbeatMs * 20,
    );
    expect(offline.d).toEqual({ device: silent.id, online: false });
    await watcher.close();
  });

  it("keeps a heartbeating session open", async () => {
    const conn = await Connection.open(target.url);
    const s = await Session.authenticate(conn, newDevice(), { heartbeat: false });
    // Twice as often as asked, so a busy test machine cannot make it look late.
    conn.startHeartbeat(SHORT.heartbeatMs / 2);
    await sleep(SHORT.heartbeatMs * 6);
    expect(conn.isOpen).toBe(true);
    await s.sync();
    await s.close();
  });

  it("refuses a resume once resume_ttl_s has passed, with INVALID_SESSION", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    expect(a.ready!.resume_ttl_s).toBe(SHORT.resumeTtlS);
    await a.drop();
    await sleep(SHORT.resumeTtlS * 1000 + 1500);
    const conn = await Connection.open(target.url);
    Session.sendAuth(conn, device, { resume: { session: a.ready!.session, seq: 1 } });
    expect(await conn.next((m) => m.op === Op.INVALID_SESSION || m.op === Op.EVENT)).toMatchObject({
      op: Op.INVALID_SESSION,
      d: false,
    });
    await conn.close();
  });

  it("refuses a resume whose seq is no longer covered, and accepts one that is", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    for (let i = 0; i < SHORT.limits.resumeMaxEvents * 2; i++) await a.sync();
    const last = a.conn.lastSeq!;
    await a.drop();
    const conn = await Connection.open(target.url);
    Session.sendAuth(conn, device, { resume: { session: a.ready!.session, seq: 1 } });
    expect(await conn.next((m) => m.op === Op.INVALID_SESSION || m.op === Op.EVENT)).toMatchObject({
      op: Op.INVALID_SESSION,
      d: false,
    });
    // The same connection waits for a new AUTH; a resume within the kept window works.
    const resumed = await Session.authenticate(conn, device, { resume: { session: a.ready!.session, seq: last - 2 } });
    expect(resumed.first.t).toBe("RESUMED");
    await conn.next((m) => m.s === last, `replayed s=${last}`);
    await resumed.close();
  });
});

describe("docs/protocol.md section 5 storage limits and expiry", () => {
  it("answers queue_full past the per-recipient limit and drops nothing stored", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await a.grant(b.id);
    await a.close();
    const stored: string[] = [];
    for (let i = 0; i < SHORT.limits.queueMaxFrames; i++) {
      const r = await b.sendFrame({ to: device.id, body: b64u(new Uint8Array([i])), qos: 1 });
      expect(r).toMatchObject({ ok: true, status: "stored" });
      stored.push(r.frameId);
    }
    expect(await b.sendFrame({ to: device.id, body: "AA", qos: 1 })).toMatchObject({ ok: false, code: "queue_full" });
    const again = await Session.connect(target.url, device);
    await again.frame(stored.at(-1));
    expect(again.conn.log.filter((m) => m.t === "FRAME").map((m) => (m.d as Frame).id)).toEqual(stored);
    again.ack(stored);
    await again.sync();
    expect(await b.sendFrame({ to: device.id, body: "AA", qos: 1 })).toMatchObject({ ok: true, status: "stored" });
    await Promise.all([again.close(), b.close()]);
  });

  it("stops redelivering a frame once it has expired", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await a.grant(b.id);
    await a.close();
    expect(await b.sendFrame({ to: device.id, body: "AA", qos: 1 })).toMatchObject({ ok: true, status: "stored" });
    await sleep(SHORT.limits.frameExpiryMs * 1.5);
    await target.sweep();
    // The sentinel has a whole expiry period to arrive; the expired frame must not come before it.
    const again = await connectWithBacklog(target.url, device, b);
    expect(again.frames).toEqual([]);
    await Promise.all([again.session.close(), b.close()]);
  });
});

describe.concurrent("docs/protocol.md section 10 rendezvous lifetime", () => {
  it("closes a rendezvous when its ttl_s has passed", async () => {
    const [desk, phone] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    const rdv = rendezvousOf(newToken());
    expect(await desk.pairOpen(rdv, 1)).toMatchObject({ ok: true });
    await sleep(1500);
    await target.sweep();
    expect(await phone.pairRequest(rdv, "AAAA")).toMatchObject({ ok: false, code: "rendezvous_closed" });
    await Promise.all([desk.close(), phone.close()]);
  });
});

// Last in this file: it shuts the relay down.
describe("docs/protocol.md section 3: RECONNECT", () => {
  it("tells every client to reconnect (op 7, d null) when the relay drains", async () => {
    const [a, b] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    const draining = target.drain();
    for (const s of [a, b])
      expect(await s.conn.next((m) => m.op === Op.RECONNECT, "RECONNECT")).toEqual({ op: Op.RECONNECT, d: null });
    await draining;
    await Promise.all([a.conn.waitClose(), b.conn.waitClose()]);
  });
});
