import { describe, expect, it } from "vitest";
import { verifyAuth } from "../crypto/auth";
import { generateIdentity } from "../crypto/identity";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { randomBytes } from "../crypto/bytes";
import { GatewayReplyError } from "./errors";
import { type FakeConn, FakeRelay, until } from "../../test/fake-relay";
import { GatewayClient, type GatewayClientOptions, type GatewayState } from "./gateway-client";
import { MemoryOutbox } from "./outbox";

const peer = b64uEncode(generateIdentity().signPublicKey);
const frameId = () => b64uEncode(randomBytes(16));

function setup(extra: Partial<GatewayClientOptions> = {}) {
  const relay = new FakeRelay();
  const identity = generateIdentity();
  const states: GatewayState[] = [];
  const client = new GatewayClient({
    url: "ws://fake/v1/gateway",
    identity,
    socketFactory: relay.factory,
    random: () => 0, // no backoff wait: reconnects happen on the next tick
    settings: { ackDelayMs: 5 },
    ...extra,
  });
  client.on("state", (s) => states.push(s.state));
  return { relay, identity, client, states };
}

/** Starts the client and takes it through HELLO and READY on the relay's first connection, which it returns. */
async function startOnline(relay: FakeRelay, client: GatewayClient): Promise<FakeConn> {
  client.start();
  const c1 = await relay.waitConns(1);
  c1.hello();
  ready(c1, client.device);
  await client.whenOnline();
  return c1;
}

function ready(conn: FakeConn, device: string, session = "s1", peers: string[] = [], heartbeatInterval = 60_000) {
  conn.event("READY", {
    session,
    device,
    heartbeat_interval: heartbeatInterval,
    resume_ttl_s: 60,
    peers_online: peers,
  });
}

describe("GatewayClient", () => {
  it("answers HELLO with a valid AUTH and goes online on READY", async () => {
    const { relay, client, states } = setup({ client: { name: "test", version: "1" } });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    await until(() => conn.ops(2).length === 1, "AUTH");
    const auth = conn.ops(2)[0]!.d;
    expect(auth.device).toBe(client.device);
    expect(verifyAuth(client.device, b64uDecode(conn.challenge), relay.id, String(auth.sig))).toBe(true);
    expect(auth.resume).toBeUndefined();
    expect(auth.client).toEqual({ name: "test", version: "1" });
    ready(conn, client.device, "s1", [peer]);
    await client.whenOnline();
    expect(states).toEqual(["connecting", "authenticating", "online"]);
    expect(client.peersOnline()).toEqual([peer]);
    client.stop();
    expect(client.status.state).toBe("closed");
  });

  it("refuses to sign for a relay whose id is not the expected one: closes 1008, stops, says why", async () => {
    const { relay, client, states } = setup({ expectedRelayId: "the-right-relay" });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    await until(() => client.status.state === "closed", "closed");
    expect(conn.ops(2)).toHaveLength(0);
    expect(conn.closed?.code).toBe(1008);
    expect(client.status).toMatchObject({ state: "closed", lastCloseCode: 1008, relayId: relay.id });
    expect(client.status.lastError).toContain('expected "the-right-relay"');
    expect(client.status.lastError).toContain(`"${relay.id}"`);
    await expect(client.whenOnline()).rejects.toThrow(/relay id mismatch/);
    await new Promise((r) => setTimeout(r, 20));
    expect(relay.conns).toHaveLength(1); // no reconnect
    expect(states).toEqual(["connecting", "closed"]);
  });

  it("signs for the expected relay, and trusts on first use through a getter", async () => {
    let saved: string | null = null;
    const { relay, client } = setup({ expectedRelayId: () => saved });
    const readies: string[] = [];
    client.on("ready", (r) => {
      readies.push(r.relayId);
      saved ??= r.relayId;
    });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    await until(() => conn.ops(2).length === 1, "AUTH");
    ready(conn, client.device);
    await client.whenOnline();
    expect(readies).toEqual([relay.id]);
    expect(saved).toBe(relay.id);
    client.stop();
  });

  it("sends heartbeats with the last s, answers the relay's HEARTBEAT, and drops a zombie", async () => {
    const { relay, client } = setup();
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello(20);
    ready(conn, client.device, "s1", [], 20);
    conn.event("PRESENCE", { device: peer, online: true });
    await until(() => conn.ops(1).length >= 1, "heartbeat");
    expect(conn.ops(1)[0]!.d).toBe(2);
    conn.push({ op: 1, d: null });
    // Never ACKed: after one more interval the client gives up on this socket and reconnects.
    const second = await relay.waitConns(2);
    expect(conn.closed?.reason).toBe("heartbeat not acknowledged");
    second.hello();
    await until(() => second.ops(2).length === 1, "AUTH");
    expect(second.ops(2)[0]!.d.resume).toEqual({ session: "s1", seq: 2 });
    client.stop();
  });

  it("resumes after a drop, and falls back to a fresh AUTH on INVALID_SESSION", async () => {
    const { relay, client } = setup();
    const readies: boolean[] = [];
    client.on("ready", (r) => readies.push(r.resumed));
    const c1 = await startOnline(relay, client);
    c1.event("PRESENCE", { device: peer, online: true });
    c1.drop(1006);
    const c2 = await relay.waitConns(2);
    expect(client.status.state).toBe("connecting");
    c2.hello();
    await until(() => c2.ops(2).length === 1);
    expect(c2.ops(2)[0]!.d.resume).toEqual({ session: "s1", seq: 2 });
    c2.event("RESUMED", { session: "s1" }, undefined);
    await until(() => readies.length === 2);
    expect(readies).toEqual([false, true]);
    c2.drop(1006);
    const c3 = await relay.waitConns(3);
    c3.hello();
    await until(() => c3.ops(2).length === 1);
    c3.push({ op: 9, d: false });
    await until(() => c3.ops(2).length === 2, "fresh AUTH");
    expect(c3.ops(2)[1]!.d.resume).toBeUndefined();
    client.stop();
  });

  it("does not reconnect after a fatal close code", async () => {
    const { relay, client, states } = setup();
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    conn.drop(4004, "bad signature");
    await until(() => client.status.state === "closed");
    expect(client.status).toEqual({
      state: "closed",
      lastError: "bad signature",
      lastCloseCode: 4004,
      relayId: relay.id,
    });
    await new Promise<void>((r) => setTimeout(() => r(), 30));
    expect(relay.conns.length).toBe(1);
    expect(states.at(-1)).toBe("closed");
  });

  it("reconnects at once on RECONNECT", async () => {
    const { relay, client } = setup({ random: () => 0.99, settings: { reconnectBaseMs: 60_000 } });
    const c1 = await startOnline(relay, client);
    c1.push({ op: 7, d: null });
    // attempt 0 after RECONNECT; with base 60 s a non-reset backoff would not reconnect within the test.
    await until(() => client.status.state !== "online");
    expect(client.status.lastError).toBe("relay asked to reconnect");
    client.stop();
  });

  it("retries at once when told the network is back, instead of at the end of its backoff", async () => {
    const { relay, client } = setup({ random: () => 0.99, settings: { reconnectBaseMs: 60_000 } });
    const c1 = await startOnline(relay, client);
    c1.drop(1006, "network gone");
    await until(() => client.status.state === "offline");
    // Waiting out a 59 s backoff: nothing happens until the app says the network is back.
    await new Promise((r) => setTimeout(r, 30));
    expect(relay.conns).toHaveLength(1);
    client.retryNow();
    const c2 = await relay.waitConns(2);
    client.retryNow(); // an attempt under way is left alone
    c2.hello();
    ready(c2, client.device, "s2");
    await client.whenOnline();
    client.retryNow(); // and so is a live connection
    await new Promise((r) => setTimeout(r, 30));
    expect(relay.conns).toHaveLength(2);
    client.stop();
  });

  it("keeps a qos 1 frame in the outbox until the relay stores it, across a drop", async () => {
    const outbox = new MemoryOutbox();
    const { relay, client } = setup({ outbox });
    const c1 = await startOnline(relay, client);
    const id = frameId();
    const sent = client.send({ id, to: peer, body: "aGk", qos: 1 });
    await until(() => c1.ops(5).length === 1, "SEND");
    expect(await outbox.list()).toHaveLength(1);
    c1.drop(1006);
    expect(await sent).toBe("queued");
    const c2 = await relay.waitConns(2);
    c2.hello();
    ready(c2, client.device, "s2");
    await until(() => c2.ops(5).length === 1, "re-sent SEND");
    const resent = c2.ops(5)[0]!.d;
    expect(resent).toMatchObject({ id, to: peer, body: "aGk", qos: 1 });
    c2.event("REPLY", { ref: resent.ref, ok: true, status: "stored" });
    let left = 1;
    await until(() => {
      void outbox.list().then((l) => (left = l.length));
      return left === 0;
    }, "outbox to empty");
    client.stop();
  });

  it("resolves a confirmed send with the relay's status and rejects refusals with their code", async () => {
    const outbox = new MemoryOutbox();
    const { relay, client } = setup({ outbox });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    ready(conn, client.device);
    await client.whenOnline();
    const qos0 = client.send({ id: frameId(), to: peer, body: "", qos: 0 });
    await until(() => conn.ops(5).length === 1);
    conn.event("REPLY", { ref: conn.ops(5)[0]!.d.ref, ok: true, status: "dropped" });
    expect(await qos0).toBe("dropped");
    const refused = client.send({ id: frameId(), to: peer, body: "", qos: 1 });
    await until(() => conn.ops(5).length === 2);
    conn.event("REPLY", { ref: conn.ops(5)[1]!.d.ref, ok: false, code: "not_granted", message: "no grant" });
    await expect(refused).rejects.toBeInstanceOf(GatewayReplyError);
    expect(await outbox.list()).toHaveLength(0);
    expect(await client.send({ id: frameId(), to: peer, body: "", qos: 0 }, { confirm: false })).toBe("unconfirmed");
    expect(conn.ops(5)[2]!.d.ref).toBeUndefined();
    client.stop();
    expect(await client.send({ id: frameId(), to: peer, body: "", qos: 0 })).toBe("dropped");
  });

  it("batches ACKs, resolves GRANT by its REPLY and tracks presence", async () => {
    const { relay, client } = setup();
    const presence: boolean[] = [];
    client.on("presence", (p) => presence.push(p.online));
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    ready(conn, client.device);
    await client.whenOnline();
    const ids = [frameId(), frameId(), frameId()];
    for (const id of ids) client.ack(id);
    await until(() => conn.ops(6).length === 1, "ACK");
    expect(conn.ops(6)[0]!.d).toEqual({ ids });
    const granted = client.grant(peer);
    await until(() => conn.ops(8).length === 1);
    conn.event("REPLY", { ref: conn.ops(8)[0]!.d.ref, ok: true });
    await granted;
    const revoked = client.revoke(peer);
    await until(() => conn.ops(10).length === 1);
    conn.event("REPLY", { ref: conn.ops(10)[0]!.d.ref, ok: false, code: "bad_request", message: "x" });
    await expect(revoked).rejects.toMatchObject({ code: "bad_request" });
    conn.event("PRESENCE", { device: peer, online: true });
    await until(() => presence.length === 1);
    expect(client.peersOnline()).toEqual([peer]);
    conn.event("PRESENCE", { device: peer, online: false });
    await until(() => presence.length === 2);
    expect(client.peersOnline()).toEqual([]);
    client.stop();
  });

  it("drops outbox frames too old for the receiver to accept instead of re-sending them", async () => {
    const outbox = new MemoryOutbox();
    const fresh = frameId();
    await outbox.put({ id: frameId(), to: peer, body: "", qos: 1, createdAt: Date.now() - 8 * 24 * 3600 * 1000 });
    await outbox.put({ id: fresh, to: peer, body: "", qos: 1, createdAt: Date.now() });
    const { relay, client } = setup({ outbox });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    ready(conn, client.device);
    await until(() => conn.ops(5).length === 1, "the fresh frame");
    expect(conn.ops(5)[0]!.d.id).toBe(fresh);
    expect((await outbox.list()).map((f) => f.id)).toEqual([fresh]);
    client.stop();
  });

  it("fails ops while offline instead of hanging", async () => {
    const { client } = setup();
    await expect(client.grant(peer)).rejects.toMatchObject({ reason: "offline" });
  });

  it("asks for binary frames; a relay that does not grant them (an older relay) gets JSON SENDs with a base64url body", async () => {
    const outbox = new MemoryOutbox();
    const { relay, client } = setup({ outbox, binaryFrames: true });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    await until(() => conn.ops(2).length === 1, "AUTH");
    expect(conn.ops(2)[0]!.d.features).toEqual(["binary-frames-1"]);
    ready(conn, client.device); // READY without `features`: not granted
    await client.whenOnline();
    expect(client.binaryActive).toBe(false);
    const envelope = randomBytes(40);
    // The fake relay throws on a binary write, so these can only pass as JSON text.
    expect(await client.send({ id: frameId(), to: peer, envelope, qos: 0 }, { confirm: false })).toBe("unconfirmed");
    const stored = client.send({ id: frameId(), to: peer, envelope, qos: 1 });
    await until(() => conn.ops(5).length === 2, "SENDs");
    expect(conn.ops(5).map((m) => m.d.body)).toEqual([b64uEncode(envelope), b64uEncode(envelope)]);
    conn.event("REPLY", { ref: conn.ops(5)[1]!.d.ref, ok: true, status: "stored" });
    expect(await stored).toBe("stored");
    // Binary from a relay that never granted it is a protocol error.
    conn.handlers.binary?.(new Uint8Array([0, 0]));
    expect(conn.closed?.code).toBe(4002);
    client.stop();
  });

  it("without the option it does not ask, and a READY granting it anyway changes nothing", async () => {
    const { relay, client } = setup();
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    await until(() => conn.ops(2).length === 1, "AUTH");
    expect(conn.ops(2)[0]!.d.features).toBeUndefined();
    conn.event("READY", {
      session: "s1",
      device: client.device,
      heartbeat_interval: 60_000,
      resume_ttl_s: 60,
      peers_online: [],
      features: ["binary-frames-1"],
    });
    await client.whenOnline();
    expect(client.binaryActive).toBe(false);
    expect(await client.send({ id: frameId(), to: peer, envelope: randomBytes(8), qos: 0 }, { confirm: false })).toBe(
      "unconfirmed",
    );
    expect(conn.ops(5)).toHaveLength(1);
    client.stop();
  });

  it("drops the connection on an undecodable relay message and reconnects", async () => {
    const { relay, client } = setup();
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello();
    ready(conn, client.device);
    await client.whenOnline();
    conn.handlers.message("{not json");
    expect(conn.closed?.code).toBe(4002);
    await relay.waitConns(2);
    client.stop();
  });
});
