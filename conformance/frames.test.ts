/**
 * docs/protocol.md sections 5 and 6: SEND, FRAME, ACK, qos 0 and 1, redelivery,
 * order, idempotent retry, not_granted, and the REPLY / ERROR shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64u } from "./client/b64u";
import { newDevice, randomId } from "./client/identity";
import { grantBoth, Session } from "./client/session";
import {
  Close,
  ERROR_CODES,
  type ErrorEvent,
  type Frame,
  Op,
  type PresenceEvent,
  PROTOCOL_LIMITS,
  type Reply,
} from "./client/wire";
import { connectWithBacklog } from "./backlog";
import { defaultTarget, type Target } from "./target";

let target: Target;
beforeAll(async () => {
  target = await defaultTarget();
});
afterAll(() => target?.close());

/** Waits for the PRESENCE that tells `watcher` its mutual peer `device` is offline. */
const wentOffline = (watcher: Session, device: string) =>
  watcher.conn.event(
    "PRESENCE",
    (d) => (d as PresenceEvent).device === device && !(d as PresenceEvent).online,
    (watcher.ready!.resume_ttl_s + 5) * 1000,
  );
const body = (text: string) => b64u(new TextEncoder().encode(text));
/** Ten minutes: how far the relay's clock may differ from ours when judging FRAME ts. */
const CLOCK_SLACK_MS = 10 * 60 * 1000;

describe("docs/protocol.md section 5: qos 0", () => {
  it("writes to a connected recipient: status sent, FRAME {id, from, body, qos, ts}", async () => {
    const [a, b] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    expect((await a.grant(b.id)).ok).toBe(true);
    const before = Date.now();
    // A `from` of the sender's own choosing is an unknown key: the relay sets `from` itself.
    const id = randomId();
    b.conn.send(Op.SEND, { id, to: a.id, body: body("hi"), qos: 0, ref: "q0", from: newDevice().id });
    const reply = (await b.conn.event("REPLY")).d as Reply;
    expect(reply).toMatchObject({ ref: "q0", ok: true, status: "sent" });
    const frame = await a.frame(id);
    expect(frame).toMatchObject({ id, from: b.id, body: body("hi"), qos: 0 });
    expect(Number.isInteger(frame.ts)).toBe(true);
    expect(Math.abs(frame.ts - before)).toBeLessThan(CLOCK_SLACK_MS);
    await Promise.all([a.close(), b.close()]);
  });

  it("drops for an offline recipient: status dropped, never delivered later", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await grantBoth(a, b);
    await a.close();
    // The relay's word that a is offline; before it, the relay may not have seen the socket close yet.
    await wentOffline(b, device.id);
    const dropped = await b.sendFrame({ to: device.id, body: body("lost"), qos: 0 });
    expect(dropped).toMatchObject({ ok: true, status: "dropped" });
    const { session: s, frames } = await connectWithBacklog(target.url, device, b);
    expect(frames.map((f) => f.id)).not.toContain(dropped.frameId);
    await Promise.all([s.close(), b.close()]);
  });

  it("drops qos 0 for a recipient whose connection was lost, and never delivers it later", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await grantBoth(a, b);
    await a.drop();
    await wentOffline(b, device.id);
    const r = await b.sendFrame({ to: device.id, body: body("lost"), qos: 0 });
    expect(r).toMatchObject({ ok: true, status: "dropped" });
    const { session: s, frames } = await connectWithBacklog(target.url, device, b);
    expect(frames.map((f) => f.id)).not.toContain(r.frameId);
    await Promise.all([s.close(), b.close()]);
  });
});

describe("docs/protocol.md section 5: qos 1", () => {
  it("stores for an offline recipient and delivers after READY, oldest first, until ACKed", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await a.grant(b.id);
    await a.close();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await b.sendFrame({ to: device.id, body: body(`m${i}`), qos: 1 });
      expect(r).toMatchObject({ ok: true, status: "stored" });
      ids.push(r.frameId);
    }
    // Not ACKed: delivered again, in the same order, on every new session, with the same accept time.
    const seen: Frame[][] = [];
    for (let round = 0; round < 2; round++) {
      const { session: s, frames } = await connectWithBacklog(target.url, device, b);
      expect(s.conn.log[0]).toMatchObject({ op: Op.EVENT, t: "READY", s: 1 });
      expect(frames.map((f) => f.id)).toEqual(ids);
      expect(frames.every((f) => f.qos === 1 && f.from === b.id)).toBe(true);
      seen.push(frames);
      if (round === 1) expect(seen[1]).toEqual(seen[0]);
      if (round === 1) s.ack(ids.slice(0, 2));
      await s.sync();
      await s.close();
    }
    const third = await connectWithBacklog(target.url, device, b);
    expect(third.frames.map((f) => f.id)).toEqual(ids.slice(2));
    third.session.ack(ids.slice(2));
    await third.session.sync();
    await third.session.close();
    const fourth = await connectWithBacklog(target.url, device, b);
    expect(fourth.frames).toEqual([]);
    await Promise.all([fourth.session.close(), b.close()]);
  });

  it("delivers to a connected recipient at once, and keeps order with qos 0 frames", async () => {
    const [a, b] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    await a.grant(b.id);
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = randomId();
      sent.push(id);
      b.conn.send(Op.SEND, { id, to: a.id, body: body(`n${i}`), qos: i % 2 });
    }
    await a.frame(sent.at(-1));
    const got = a.conn.log.filter((m) => m.t === "FRAME").map((m) => (m.d as Frame).id);
    expect(got).toEqual(sent);
    a.ack(sent);
    await Promise.all([a.close(), b.close()]);
  });

  it("accepts a retried SEND (same id, same sender) once, answering stored again", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await a.grant(b.id);
    await a.close();
    const id = randomId();
    expect(await b.sendFrame({ id, to: device.id, body: body("once"), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
    expect(await b.sendFrame({ id, to: device.id, body: body("once"), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
    const { session: s, frames } = await connectWithBacklog(target.url, device, b);
    expect(frames.map((f) => f.id)).toEqual([id]);
    s.ack([id]);
    await Promise.all([s.close(), b.close()]);
  });

  it("treats an ACK of ids it does not store as harmless", async () => {
    const s = await Session.connect(target.url);
    s.ack([randomId(), randomId()]);
    s.ack([]);
    await s.sync();
    expect(s.conn.log.filter((m) => m.t === "ERROR")).toEqual([]);
    expect(s.conn.isOpen).toBe(true);
    await s.close();
  });
});

describe("docs/protocol.md sections 5 and 7: grants gate SEND", () => {
  it("refuses with not_granted, the same for a stranger, a one-way grant and an unknown device", async () => {
    const [a, b, c] = await Promise.all([
      Session.connect(target.url),
      Session.connect(target.url),
      Session.connect(target.url),
    ]);
    await b.grant(a.id); // b accepts from a; a does not accept from b
    await a.grant(c.id); // a accepts from c only
    for (const to of [a.id, newDevice().id]) {
      const r = await b.sendFrame({ to, body: body("x"), qos: 1 });
      expect(r).toMatchObject({ ok: false, code: "not_granted" });
      expect(typeof (r as { message?: unknown }).message).toBe("string");
    }
    expect(await a.sendFrame({ to: b.id, body: body("ok"), qos: 0 })).toMatchObject({ ok: true, status: "sent" });
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it("REVOKE withdraws the grant and deletes the revoked peer's stored frames, not others'", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const [b, c] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    await Promise.all([a.grant(b.id), a.grant(c.id)]);
    await a.close();
    const fromB = await b.sendFrame({ to: device.id, body: body("b"), qos: 1 });
    const fromC = await c.sendFrame({ to: device.id, body: body("c"), qos: 1 });
    const first = await connectWithBacklog(target.url, device, c);
    expect(first.frames.map((f) => f.id)).toEqual([fromB.frameId, fromC.frameId]);
    expect((await first.session.revoke(b.id)).ok).toBe(true);
    await first.session.close();
    const second = await connectWithBacklog(target.url, device, c);
    expect(second.frames.map((f) => f.id)).toEqual([fromC.frameId]);
    expect(await b.sendFrame({ to: device.id, body: body("b2"), qos: 1 })).toMatchObject({
      ok: false,
      code: "not_granted",
    });
    second.session.ack([fromC.frameId]);
    await Promise.all([second.session.close(), b.close(), c.close()]);
  });
});

describe("docs/protocol.md section 6: replies and errors", () => {
  it("answers each op with ref with exactly one REPLY, and a ref of 64 characters is allowed", async () => {
    const s = await Session.connect(target.url);
    const ref = "r".repeat(PROTOCOL_LIMITS.maxRefChars);
    s.conn.send(Op.REVOKE, { peer: newDevice().id, ref });
    s.conn.send(Op.GRANT, { peer: newDevice().id, ref: "g1" });
    await s.sync();
    const replies = s.conn.log.filter((m) => m.t === "REPLY").map((m) => (m.d as Reply).ref);
    expect(replies.filter((r) => r === ref)).toHaveLength(1);
    expect(replies.filter((r) => r === "g1")).toHaveLength(1);
    await s.close();
  });

  it("gives no reply to a successful op without ref, and ERROR {op, id, code, message} to a failed one", async () => {
    const s = await Session.connect(target.url);
    s.conn.send(Op.GRANT, { peer: newDevice().id });
    const id = randomId();
    s.conn.send(Op.SEND, { id, to: newDevice().id, body: body("x"), qos: 1 });
    await s.sync();
    const events = s.conn.log.filter((m) => m.op === Op.EVENT && m.t !== "READY");
    expect(events.map((m) => m.t)).toEqual(["ERROR", "REPLY"]);
    const error = events[0]!.d as ErrorEvent;
    expect(error).toMatchObject({ op: Op.SEND, code: "not_granted" });
    expect(typeof error.message).toBe("string");
    // `id` is optional in the protocol (docs/protocol.md section 5); when present it must name the frame.
    if (error.id !== undefined) expect(error.id).toBe(id);
    await s.close();
  });

  it("refuses a body over 512 KiB with too_large and keeps the connection", async () => {
    const [a, b] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    await a.grant(b.id);
    const big = b64u(new Uint8Array(PROTOCOL_LIMITS.maxBodyBytes + 1));
    const r = await b.sendFrame({ to: a.id, body: big, qos: 1 });
    expect(r).toMatchObject({ ok: false, code: "too_large" });
    const fits = await b.sendFrame({ to: a.id, body: b64u(new Uint8Array(PROTOCOL_LIMITS.maxBodyBytes)), qos: 1 });
    expect(fits).toMatchObject({ ok: true, status: "stored" });
    a.ack([fits.frameId]);
    await Promise.all([a.close(), b.close()]);
  });

  it("uses only the error codes of docs/protocol.md section 6, and refuses a body that is not base64url", async () => {
    const [a, b] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    await a.grant(b.id);
    const r = await b.sendFrame({ to: a.id, body: "not base64url!", qos: 0 }).catch(() => null);
    // The relay may answer bad_request or treat the payload as not fitting its op (4002).
    if (r === null || !b.conn.isOpen) expect((await b.conn.waitClose()).code).toBe(Close.DECODE_ERROR);
    else expect(r).toMatchObject({ ok: false, code: "bad_request" });
    const codes = [...a.conn.log, ...b.conn.log]
      .filter((m) => m.t === "ERROR" || (m.t === "REPLY" && (m.d as Reply).ok === false))
      .map((m) => (m.d as { code: string }).code);
    for (const code of codes) expect(ERROR_CODES).toContain(code);
    await Promise.all([a.close(), b.close()]);
  });
});
