import { describe, expect, it } from "vitest";
import { generateIdentity } from "../crypto/identity";
import { b64uEncode } from "../encoding/b64u";
import { FrameTooLargeError } from "./errors";
import { FakeRelay, until } from "../../test/fake-relay";
import { GatewayClient } from "./gateway-client";
import { MemoryOutbox } from "./outbox";

const frameId = (n: number) => b64uEncode(new Uint8Array(16).fill(n));

function setup(outbox: MemoryOutbox, settings: Record<string, number> = {}) {
  const relay = new FakeRelay().routing();
  const client = new GatewayClient({
    url: "ws://fake",
    identity: generateIdentity(),
    socketFactory: relay.factory,
    outbox,
    random: () => 0,
    settings: { reconnectBaseMs: 1, ...settings },
  });
  const dropped: { id: string; reason: string }[] = [];
  client.on("outboxDropped", (d) => dropped.push(d));
  return { relay, client, dropped };
}

// docs/protocol.md section 11, "Sizes and paging": nothing over the relay's limits is ever written.
describe("frame size limits", () => {
  it("refuses a frame over the body limit before it reaches the outbox", async () => {
    const outbox = new MemoryOutbox();
    const { client } = setup(outbox, { maxBodyBytes: 1000 });
    client.start();
    await client.whenOnline();
    const to = b64uEncode(generateIdentity().signPublicKey);
    await expect(client.send({ id: frameId(1), to, body: "A".repeat(2000), qos: 1 })).rejects.toBeInstanceOf(
      FrameTooLargeError,
    );
    expect(await outbox.list()).toHaveLength(0);
    expect(await client.send({ id: frameId(2), to, body: "A".repeat(400), qos: 1 })).toBe("stored");
    client.stop();
  });

  it("drops an oversize outbox entry at the next session and sends the ones behind it", async () => {
    const outbox = new MemoryOutbox();
    const to = b64uEncode(generateIdentity().signPublicKey);
    // As an older build stored it: far over the 1 MiB message limit, first in line.
    await outbox.put({ id: frameId(3), to, body: "A".repeat(3 * 1024 * 1024), qos: 1, createdAt: Date.now() });
    await outbox.put({ id: frameId(4), to, body: "AAAA", qos: 1, createdAt: Date.now() });
    const { relay, client, dropped } = setup(outbox);
    client.start();
    await client.whenOnline();
    await until(() => relay.last.ops(5).length === 1, "the small frame sent");
    expect(relay.last.ops(5)[0]!.d.id).toBe(frameId(4));
    await until(() => dropped.length === 1, "the oversize frame dropped");
    expect(dropped[0]).toMatchObject({ id: frameId(3), reason: "too_large" });
    await until(() => relay.last.closed === null && relay.conns.length === 1, "still the first connection");
    client.stop();
  });

  it("after a 4011 close, refuses what caused it instead of cutting every later connection", async () => {
    const outbox = new MemoryOutbox();
    const to = b64uEncode(generateIdentity().signPublicKey);
    const { relay, client, dropped } = setup(outbox);
    // A relay configured lower than the protocol's defaults: 300 KB messages close the link.
    const route = relay.auto!;
    relay.auto = (conn, msg) => {
      if (msg.op === 5 && String(msg.d.body).length > 300_000) return conn.drop(4011, "message too large");
      route(conn, msg);
    };
    client.start();
    await client.whenOnline();
    void client.send({ id: frameId(5), to, body: "A".repeat(400_000), qos: 1 }).catch(() => undefined);
    await until(() => relay.conns.length >= 2 && client.status.state === "online", "reconnected");
    await until(() => dropped.some((d) => d.id === frameId(5)), "the frame that caused 4011 dropped");
    // Lowered below the largest message of the closed connection (the 400 KB SEND), from 1 MiB.
    expect(client.limits().maxMessageBytes).toBeLessThan(400_200);
    expect(await client.send({ id: frameId(6), to, body: "AAAA", qos: 1 })).toBe("stored");
    expect(relay.conns.filter((c) => c.closed?.code === 4011)).toHaveLength(1);
    client.stop();
  });
});
