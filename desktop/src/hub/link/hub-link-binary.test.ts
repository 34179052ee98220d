import { Endpoint, GatewayClient, type IncomingMessage, standardSocketFactory } from "@neural-link/shared/client";
import { generateIdentity, MemorySeenIds } from "@neural-link/shared/crypto";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startEmbeddedRelay } from "../embedded-relay";
import { openTempStore, silentLog } from "../store/test-support";
import { HubLink } from "./hub-link";

/**
 * The hub's link on binary frames (docs/protocol.md section 5) against the real
 * relay: it asks, the relay grants, and a phone that does not ask (a JSON-only
 * client written from the protocol page) still talks to it both ways, qos 0 and
 * qos 1, including answers that go through the hub's SQLite outbox.
 */
let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe("HubLink binary frames", () => {
  it("is granted binary by the relay and still talks JSON phones (qos 0 and qos 1, outbox answers)", async () => {
    const relay = await startEmbeddedRelay({
      dataDir: "/nonexistent",
      host: "127.0.0.1",
      port: 0,
      db: "memory",
      log: silentLog,
    });
    cleanups.push(() => relay.close());
    const { store, cleanup } = await openTempStore();
    const hubId = generateIdentity();
    const link = new HubLink({ identity: hubId, store, log: silentLog, version: "test" });
    cleanups.push(cleanup, () => link.disconnect());
    let pings = 0;
    link.handle("test.ping", async (m) => {
      pings++;
      // Inside the frame's store unit: the answers go through the outbox and leave after commit.
      return async () => {
        await link.send(m.from, "test.pong", { n: (m.d as { n: number }).n, qos: 1 }, 1);
        await link.send(m.from, "test.pong", { n: (m.d as { n: number }).n, qos: 0 }, 0);
      };
    });
    await link.connect(relay.localUrl, { relayId: relay.relayId });
    await until(() => link.status.state === "online", "hub online");
    expect(link.gateway.binaryActive).toBe(true);
    // Every FRAME received: did its envelope come as bytes?
    const hubFrames: boolean[] = [];
    link.gateway.on("frame", (f) => hubFrames.push(f.envelope !== undefined));

    const phoneId = generateIdentity();
    const phone = new GatewayClient({
      url: relay.localUrl,
      identity: phoneId,
      socketFactory: standardSocketFactory(WebSocket as never),
      settings: { ackDelayMs: 5 },
    });
    cleanups.push(() => phone.stop());
    const phoneFrames: boolean[] = [];
    phone.on("frame", (f) => phoneFrames.push(f.envelope !== undefined));
    const endpoint = new Endpoint({ gateway: phone, identity: phoneId, seen: new MemorySeenIds() });
    const inbox: IncomingMessage[] = [];
    endpoint.on("message", (m) => inbox.push(m));
    endpoint.peers.set(link.gateway.device, hubId.boxPublicKey);
    phone.start();
    await phone.whenOnline();
    expect(phone.binaryActive).toBe(false);
    await link.addPeer(phone.device, phoneId.boxPublicKey);
    await phone.grant(link.gateway.device);

    expect((await endpoint.send(link.gateway.device, "test.ping", { n: 1 }, 1)).outcome).toBe("stored");
    expect((await endpoint.send(link.gateway.device, "test.ping", { n: 2 }, 0)).outcome).toBe("sent");
    await until(() => inbox.length === 4, "four answers");
    const answers = inbox.map((m) => m.d as { n: number; qos: number }).sort((a, b) => a.n - b.n || a.qos - b.qos);
    expect(answers).toEqual([
      { n: 1, qos: 0 },
      { n: 1, qos: 1 },
      { n: 2, qos: 0 },
      { n: 2, qos: 1 },
    ]);
    // The hub got the JSON phone's SENDs as binary FRAMEs; the phone got the hub's binary SENDs as JSON FRAMEs.
    expect(hubFrames).toEqual([true, true]);
    expect(pings).toBe(2);
    expect(phoneFrames).toEqual([false, false, false, false]);
    // Every qos 1 answer left the outbox once the relay stored it.
    let left = -1;
    await until(() => {
      void store.outbox.list().then((l) => (left = l.length));
      return left === 0;
    }, "outbox to empty");
  }, 60_000);
});
