/**
 * docs/protocol.md section 7 (and READY's peers_online, docs/protocol.md section 4): PRESENCE
 * goes only between mutual peers, when one connects or goes offline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newDevice } from "./client/identity";
import { grantBoth, Session } from "./client/session";
import { Op, type PresenceEvent } from "./client/wire";
import { defaultTarget, type Target } from "./target";

let target: Target;
beforeAll(async () => {
  target = await defaultTarget();
});
afterAll(() => target?.close());

const presences = (s: Session) =>
  s.conn.log.filter((m) => m.op === Op.EVENT && m.t === "PRESENCE").map((m) => m.d as PresenceEvent);

/** How long to wait for an offline PRESENCE: a relay may hold a dropped session for resume_ttl_s first. */
const offlineWaitMs = (s: Session) => (s.ready!.resume_ttl_s + 5) * 1000;

describe("docs/protocol.md section 7: presence between mutual peers", () => {
  it("tells a mutual peer when the other connects, lists it in READY, and tells it when it goes offline", async () => {
    const deviceB = newDevice();
    const a = await Session.connect(target.url);
    const b0 = await Session.connect(target.url, deviceB);
    await grantBoth(a, b0);
    await b0.close();
    await a.conn.event(
      "PRESENCE",
      (d) => (d as PresenceEvent).device === deviceB.id && !(d as PresenceEvent).online,
      offlineWaitMs(a),
    );

    const b = await Session.connect(target.url, deviceB);
    expect(b.ready!.peers_online).toEqual([a.id]);
    const online = await a.conn.event("PRESENCE", (d) => (d as PresenceEvent).device === deviceB.id);
    expect(online.d).toEqual({ device: deviceB.id, online: true });
    await Promise.all([a.close(), b.close()]);
  });

  it("says nothing about a device that is not a mutual peer", async () => {
    const a = await Session.connect(target.url);
    const oneWay = newDevice(); // a grants it, it never grants a
    const other = newDevice(); // it grants a, a never grants it
    await a.grant(oneWay.id);
    const o = await Session.connect(target.url, other);
    await o.grant(a.id);
    await o.close();
    const w = await Session.connect(target.url, oneWay);
    expect(w.ready!.peers_online).toEqual([]);
    await w.close();
    const ow = await Session.connect(target.url, other);
    expect(ow.ready!.peers_online).toEqual([]);

    // A sentinel: a mutual peer connecting after all that. Its PRESENCE arriving
    // proves the relay has handled the strangers' comings and goings.
    const sentinel = newDevice();
    const s0 = await Session.connect(target.url, sentinel);
    await grantBoth(a, s0);
    await s0.close();
    await a.conn.event(
      "PRESENCE",
      (d) => (d as PresenceEvent).device === sentinel.id && !(d as PresenceEvent).online,
      offlineWaitMs(a),
    );
    const s1 = await Session.connect(target.url, sentinel);
    await a.conn.event("PRESENCE", (d) => (d as PresenceEvent).device === sentinel.id && (d as PresenceEvent).online);
    // Becoming mutual while both are online may itself be announced (the protocol is silent); strangers never are.
    expect(new Set(presences(a).map((p) => p.device))).toEqual(new Set([sentinel.id]));
    expect(presences(ow)).toEqual([]);
    await Promise.all([a.close(), ow.close(), s1.close()]);
  });

  it("a device is never its own peer: GRANT of itself is refused with bad_request and it never gets a PRESENCE about itself", async () => {
    const device = newDevice();
    const a0 = await Session.connect(target.url, device);
    expect(await a0.grant(a0.id)).toMatchObject({ ok: false, code: "bad_request" });
    await a0.sync();
    expect(presences(a0).filter((p) => p.device === a0.id)).toEqual([]);
    await a0.close();

    // A later session: READY does not list the device, and its own connect is not announced to it.
    const a = await Session.connect(target.url, device);
    expect(a.ready!.peers_online).toEqual([]);
    await a.sync();
    expect(presences(a).filter((p) => p.device === a.id)).toEqual([]);
    await a.close();
  });

  it("stops presence once a grant is revoked", async () => {
    const deviceB = newDevice();
    const a = await Session.connect(target.url);
    const b0 = await Session.connect(target.url, deviceB);
    await grantBoth(a, b0);
    await b0.revoke(a.id);
    await a.sync();
    // Whatever the relay said up to the revoke (it may announce the end of mutuality), it says nothing after.
    const seenBefore = presences(a).length;
    await b0.close();
    const sentinel = newDevice();
    const s0 = await Session.connect(target.url, sentinel);
    await grantBoth(a, s0);
    await s0.close();
    const b = await Session.connect(target.url, deviceB);
    expect(b.ready!.peers_online).toEqual([]);
    const s1 = await Session.connect(target.url, sentinel);
    await a.conn.event(
      "PRESENCE",
      (d) => (d as PresenceEvent).device === sentinel.id && (d as PresenceEvent).online,
      offlineWaitMs(a),
    );
    expect(
      presences(a)
        .slice(seenBefore)
        .filter((p) => p.device === deviceB.id),
    ).toEqual([]);
    await Promise.all([a.close(), b.close(), s1.close()]);
  });
});
