import { describe, expect, it } from "vitest";
import { randomBytes } from "../crypto/bytes";
import { openEnvelope, sealEnvelope, sharedKey } from "../crypto/envelope";
import { generateIdentity, type Identity } from "../crypto/identity";
import { MemorySeenIds } from "../crypto/seen-ids";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { Endpoint, type EndpointEvents, type IncomingMessage } from "./endpoint";
import { FakeRelay, until } from "../../test/fake-relay";
import { GatewayClient } from "./gateway-client";

async function online(relay: FakeRelay, identity: Identity) {
  const gateway = new GatewayClient({
    url: "ws://fake",
    identity,
    socketFactory: relay.factory,
    random: () => 0,
    settings: { ackDelayMs: 1 },
  });
  const endpoint = new Endpoint({ gateway, identity, seen: new MemorySeenIds() });
  const messages: IncomingMessage[] = [];
  const dropped: EndpointEvents["dropped"][] = [];
  endpoint.on("message", (m) => messages.push(m));
  endpoint.on("dropped", (d) => dropped.push(d));
  gateway.start();
  await gateway.whenOnline();
  return { gateway, endpoint, messages, dropped, conn: relay.last };
}

const id = (i: Identity) => b64uEncode(i.signPublicKey);

describe("Endpoint", () => {
  it("seals for a known peer and opens what it sends back, in order", async () => {
    const relay = new FakeRelay().routing();
    const a = generateIdentity();
    const b = generateIdentity();
    const ea = await online(relay, a);
    const eb = await online(relay, b);
    ea.endpoint.peers.set(id(b), b.boxPublicKey);
    eb.endpoint.peers.set(id(a), a.boxPublicKey);
    const sent = await ea.endpoint.send(id(b), "ping", { n: 1 }, 1);
    expect(sent.outcome).toBe("stored");
    await ea.endpoint.send(id(b), "ping", { n: 2 }, 0);
    await until(() => eb.messages.length === 2);
    expect(eb.messages.map((m) => m.d)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(eb.messages[0]).toMatchObject({ id: sent.id, from: id(a), t: "ping", qos: 1 });
    // Only the qos 1 frame is ACKed.
    await until(() => eb.conn.ops(6).length === 1);
    expect(eb.conn.ops(6)[0]!.d.ids).toEqual([sent.id]);
    // The body on the wire is an envelope only the pair's key opens.
    const body = ea.conn.ops(5)[0]!.d.body as string;
    const inner = openEnvelope(
      sharedKey(a.boxPublicKey, b.boxSecretKey),
      b64uDecode(body),
      { id: sent.id, from: id(a) },
      id(b),
      Date.now(),
    );
    expect(inner.d).toEqual({ n: 1 });
    await expect(ea.endpoint.send(id(generateIdentity()), "x", {}, 0)).rejects.toThrow("not a known peer");
    ea.gateway.stop();
    eb.gateway.stop();
  });

  it("drops, and still ACKs, unknown peers, bad envelopes and replays", async () => {
    const relay = new FakeRelay().routing();
    const me = generateIdentity();
    const peer = generateIdentity();
    const stranger = generateIdentity();
    const e = await online(relay, me);
    e.endpoint.peers.set(id(peer), peer.boxPublicKey);
    const key = sharedKey(me.boxPublicKey, peer.boxSecretKey);
    const frame = (from: string, body: string, frameId = b64uEncode(randomBytes(16))) => {
      e.conn.event("FRAME", { id: frameId, from, body, qos: 1, ts: Date.now() });
      return frameId;
    };
    const seal = (frameId: string, over: Record<string, unknown> = {}) =>
      b64uEncode(
        sealEnvelope(key, { v: 1, id: frameId, from: id(peer), to: id(me), ts: Date.now(), t: "x", d: 1, ...over }),
      );

    const good = b64uEncode(randomBytes(16));
    frame(id(peer), seal(good), good);
    frame(id(peer), seal(good), good); // replay
    frame(id(stranger), seal(good));
    const wrongTo = b64uEncode(randomBytes(16));
    frame(id(peer), seal(wrongTo, { to: id(stranger) }), wrongTo);
    const old = b64uEncode(randomBytes(16));
    frame(id(peer), seal(old, { ts: Date.now() - 9 * 24 * 3600 * 1000 }), old);
    frame(id(peer), "AAAA");
    await until(() => e.dropped.length === 5, "drops");
    expect(e.messages).toHaveLength(1);
    expect(e.dropped.map((d) => d.reason)).toEqual(["replayed", "unknown_peer", "to_mismatch", "too_old", "malformed"]);
    await until(() => e.conn.ops(6).flatMap((m) => m.d.ids as string[]).length === 6, "every frame ACKed");
    // Revoked: forgetting the peer makes its frames unknown from then on.
    e.endpoint.peers.delete(id(peer));
    frame(id(peer), seal(b64uEncode(randomBytes(16))));
    await until(() => e.dropped.length === 6);
    expect(e.dropped[5]!.reason).toBe("unknown_peer");
    e.gateway.stop();
  });
});
