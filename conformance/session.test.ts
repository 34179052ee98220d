/**
 * docs/protocol.md section 4: AUTH and its close codes, READY, one live session
 * per device, heartbeats, sequence numbers and resume.
 */
import nacl from "tweetnacl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64u } from "./client/b64u";
import { Connection } from "./client/connection";
import { authSigningInput, newDevice, randomId, signAuth } from "./client/identity";
import { Session } from "./client/session";
import { Close, Op, type Ready, type WireMessage } from "./client/wire";
import { defaultTarget, type Target } from "./target";

let target: Target;
beforeAll(async () => {
  target = await defaultTarget();
});
afterAll(() => target?.close());

async function closeCodeOf(conn: Connection): Promise<number> {
  return (await conn.waitClose()).code;
}

describe("docs/protocol.md section 4: AUTH", () => {
  it("answers a good AUTH with READY {session, device, heartbeat_interval, resume_ttl_s, peers_online} as s = 1", async () => {
    const device = newDevice();
    const s = await Session.connect(target.url, device, { client: { name: "conformance", version: "1" } });
    expect(s.first.s).toBe(1);
    const ready = s.ready as Ready;
    expect(typeof ready.session === "string" && ready.session.length > 0).toBe(true);
    expect(ready.device).toBe(device.id);
    expect(ready.heartbeat_interval).toBe(s.conn.hello.heartbeat_interval);
    expect(Number.isInteger(ready.resume_ttl_s) && ready.resume_ttl_s > 0).toBe(true);
    expect(ready.peers_online).toEqual([]);
    await s.close();
  });

  it("numbers events from 1, rising by one", async () => {
    const s = await Session.connect(target.url);
    for (let i = 0; i < 5; i++) await s.sync();
    const seqs = s.conn.log.filter((m) => m.op === Op.EVENT).map((m) => m.s);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    await s.close();
  });

  it("accepts shard [0, 1] and closes any other shard with 4010", async () => {
    const ok = await Session.connect(target.url, newDevice(), { shard: [0, 1] });
    expect(ok.ready).not.toBeNull();
    await ok.close();
    for (const shard of [
      [1, 2],
      [0, 2],
      [1, 1],
    ] as [number, number][]) {
      const conn = await Connection.open(target.url);
      Session.sendAuth(conn, newDevice(), { shard });
      expect(await closeCodeOf(conn), `shard ${shard.join(",")}`).toBe(Close.INVALID_SHARD);
    }
  });

  it("closes a bad signature or a malformed device id with 4004", async () => {
    const device = newDevice();
    const other = newDevice();
    const cases: ((conn: Connection) => Record<string, unknown>)[] = [
      // Signed by another key.
      (c) => ({ device: device.id, sig: signAuth(other, c.hello.challenge, c.hello.relay) }),
      // Signed over another relay id: a signature must not travel between deployments.
      (c) => ({ device: device.id, sig: signAuth(device, c.hello.challenge, `${c.hello.relay}-elsewhere`) }),
      // Signed over another challenge (a replayed AUTH).
      (c) => ({
        device: device.id,
        sig: b64u(nacl.sign.detached(authSigningInput(nacl.randomBytes(32), c.hello.relay), device.sign.secretKey)),
      }),
      // Malformed device ids: 42 characters, padded.
      (c) => ({ device: device.id.slice(0, 42), sig: signAuth(device, c.hello.challenge, c.hello.relay) }),
      (c) => ({ device: `${device.id}=`, sig: signAuth(device, c.hello.challenge, c.hello.relay) }),
    ];
    for (const [i, make] of cases.entries()) {
      const conn = await Connection.open(target.url);
      conn.send(Op.AUTH, make(conn));
      expect(await closeCodeOf(conn), `case ${i}`).toBe(Close.AUTHENTICATION_FAILED);
    }
  });

  it("closes any op but HEARTBEAT before AUTH with 4003", async () => {
    const ops: [number, unknown][] = [
      [Op.SEND, { id: randomId(), to: newDevice().id, body: "AAAA", qos: 0 }],
      [Op.GRANT, { peer: newDevice().id }],
      [Op.ACK, { ids: [] }],
      [Op.PAIR_CLOSE, { rendezvous: "AAAAAAAAAAAAAAAAAAAAAA" }],
    ];
    for (const [op, d] of ops) {
      const conn = await Connection.open(target.url);
      conn.send(op, d);
      expect(await closeCodeOf(conn), `op ${op}`).toBe(Close.NOT_AUTHENTICATED);
    }
  });

  it("answers HEARTBEAT before AUTH with HEARTBEAT_ACK, then still accepts AUTH", async () => {
    const conn = await Connection.open(target.url);
    conn.send(Op.HEARTBEAT, null);
    const ack = await conn.next((m) => m.op === Op.HEARTBEAT_ACK, "HEARTBEAT_ACK");
    expect(ack.d).toBeNull();
    const s = await Session.authenticate(conn, newDevice());
    expect(s.ready).not.toBeNull();
    await s.close();
  });

  it("closes a second AUTH with 4005", async () => {
    const s = await Session.connect(target.url);
    Session.sendAuth(s.conn, s.device);
    expect(await closeCodeOf(s.conn)).toBe(Close.ALREADY_AUTHENTICATED);
  });
});

describe("docs/protocol.md section 4: one session per device, heartbeats", () => {
  it("closes the older connection of a device with 4006 when it connects again", async () => {
    const device = newDevice();
    const first = await Session.connect(target.url, device);
    const second = await Session.connect(target.url, device);
    expect(await closeCodeOf(first.conn)).toBe(Close.SESSION_REPLACED);
    expect(second.conn.isOpen).toBe(true);
    await second.sync();
    await second.close();
  });

  it("answers HEARTBEAT (last s, or null) with HEARTBEAT_ACK d null", async () => {
    const s = await Session.connect(target.url, newDevice(), { heartbeat: false });
    for (const d of [s.conn.lastSeq, null]) {
      s.conn.send(Op.HEARTBEAT, d);
      const ack = await s.conn.next((m) => m.op === Op.HEARTBEAT_ACK, "HEARTBEAT_ACK");
      expect(ack.d).toBeNull();
    }
    await s.close();
  });
});

/** Events of the log with `s` above `after`, as [s, t, d] for comparison. */
const eventsAfter = (log: WireMessage[], after: number) =>
  log.filter((m) => m.op === Op.EVENT && (m.s ?? 0) > after).map((m) => [m.s, m.t, m.d]);

describe("docs/protocol.md section 4: resume", () => {
  it("replays every event after seq with its original s, after RESUMED", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const session = a.ready!.session;
    for (let i = 0; i < 3; i++) await a.sync();
    const before = eventsAfter(a.conn.log, 1);
    await a.drop();
    const conn = await Connection.open(target.url);
    const b = await Session.authenticate(conn, device, { resume: { session, seq: 1 } });
    expect(b.first.t).toBe("RESUMED");
    // The protocol does not say whether RESUMED has an `s`; we accept either (see docs/conformance.md).
    await conn.event("REPLY", (d) => (d as { ref: string }).ref === (before.at(-1)![2] as { ref: string }).ref);
    expect(eventsAfter(conn.log, 1)).toEqual(before);
    // The resumed session goes on numbering where it left off.
    await b.sync();
    expect(conn.log.at(-1)!.s).toBe(5);
    await b.close();
  });

  it("replays at least the last 1000 events", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const senders = await Promise.all([0, 1, 2].map(() => Session.connect(target.url)));
    await Promise.all(senders.map((s) => a.grant(s.id)));
    const perSender = 350;
    // qos 0 without ref: silent on the sender's side, one FRAME event each at A; within each sender's burst.
    for (const s of senders)
      for (let i = 0; i < perSender; i++) s.conn.send(Op.SEND, { id: randomId(), to: a.id, body: "AAAA", qos: 0 });
    const last = 1 + 3 + senders.length * perSender;
    await a.conn.next((m) => m.s === last, `event s=${last}`, 20_000);
    // Resume from the 1000th event from the end: all 1000 after it must still be covered.
    const from = last - 1000;
    const before = eventsAfter(a.conn.log, from);
    expect(before).toHaveLength(1000);
    await a.drop();
    const conn = await Connection.open(target.url);
    await Session.authenticate(conn, device, { resume: { session: a.ready!.session, seq: from } });
    await conn.next((m) => m.s === last, `replayed event s=${last}`, 20_000);
    expect(eventsAfter(conn.log, from)).toEqual(before);
    await Promise.all([conn.close(), ...senders.map((s) => s.close())]);
  });

  it("delivers a qos 1 frame sent while the connection was down, once resumed", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    const b = await Session.connect(target.url);
    await a.grant(b.id);
    await a.drop();
    const sent = await b.sendFrame({ to: a.id, body: "AAAA", qos: 1 });
    expect(sent).toMatchObject({ ok: true });
    const conn = await Connection.open(target.url);
    const resumed = await Session.authenticate(conn, device, {
      resume: { session: a.ready!.session, seq: a.conn.lastSeq! },
    });
    const frame = await resumed.frame(sent.frameId);
    expect(frame).toMatchObject({ from: b.id, body: "AAAA", qos: 1 });
    resumed.ack([frame.id]);
    await Promise.all([resumed.close(), b.close()]);
  });

  it("resumes on a new connection while the old one is still open, closing the old one with 4006", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    await a.sync();
    const conn = await Connection.open(target.url);
    const b = await Session.authenticate(conn, device, { resume: { session: a.ready!.session, seq: a.conn.lastSeq! } });
    expect(b.first.t).toBe("RESUMED");
    expect(await closeCodeOf(a.conn)).toBe(Close.SESSION_REPLACED);
    await b.sync();
    await b.close();
  });

  it("answers an unknown session, or another device's, with INVALID_SESSION false and waits for a fresh AUTH", async () => {
    const owner = await Session.connect(target.url);
    for (const session of [randomId(), owner.ready!.session]) {
      const device = newDevice();
      const conn = await Connection.open(target.url);
      Session.sendAuth(conn, device, { resume: { session, seq: 1 } });
      const answer = await conn.next((m) => m.op === Op.INVALID_SESSION || m.op === Op.EVENT, "INVALID_SESSION");
      expect(answer).toMatchObject({ op: Op.INVALID_SESSION, d: false });
      const fresh = await Session.authenticate(conn, device);
      expect(fresh.ready?.device).toBe(device.id);
      await fresh.close();
    }
    await owner.close();
  });

  it("closes a resume with a bad signature with 4004", async () => {
    const device = newDevice();
    const a = await Session.connect(target.url, device);
    await a.drop();
    const conn = await Connection.open(target.url);
    conn.send(Op.AUTH, {
      device: device.id,
      sig: signAuth(newDevice(), conn.hello.challenge, conn.hello.relay),
      resume: { session: a.ready!.session, seq: 1 },
    });
    expect(await closeCodeOf(conn)).toBe(Close.AUTHENTICATION_FAILED);
  });
});
