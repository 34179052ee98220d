/**
 * The shared gateway client and endpoint with binary frames (docs/protocol.md
 * section 5) against the real relay on loopback over the real Postgres: a
 * binary device and a JSON device talk both ways, qos 0 and qos 1, and the
 * qos 1 outbox reaches a device that was offline.
 */
import { Endpoint, GatewayClient, type IncomingMessage, standardSocketFactory } from "@neural-link/shared/client";
import { generateIdentity, type Identity, MemorySeenIds } from "@neural-link/shared/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestRelay } from "../../relay/test/test-databases";
import type { RelayHandle } from "../../relay/src/relay";

let relay: RelayHandle;
let stop: () => Promise<void>;
const started: GatewayClient[] = [];

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay());
});
afterAll(async () => {
  for (const g of started) g.stop();
  await stop();
});

class Device {
  readonly gateway: GatewayClient;
  readonly endpoint: Endpoint;
  readonly inbox: IncomingMessage[] = [];
  /** How each FRAME arrived: true when its envelope came as bytes. */
  readonly arrivedBinary: boolean[] = [];

  constructor(
    readonly identity: Identity,
    binaryFrames: boolean,
  ) {
    this.gateway = new GatewayClient({
      url: relay.url,
      identity,
      socketFactory: standardSocketFactory(WebSocket as never),
      binaryFrames,
      settings: { ackDelayMs: 5 },
    });
    this.gateway.on("frame", (f) => this.arrivedBinary.push(f.envelope !== undefined));
    this.endpoint = new Endpoint({ gateway: this.gateway, identity, seen: new MemorySeenIds() });
    this.endpoint.on("message", (m) => this.inbox.push(m));
    started.push(this.gateway);
  }

  get device(): string {
    return this.gateway.device;
  }

  async online(): Promise<void> {
    this.gateway.start();
    await this.gateway.whenOnline();
  }

  async next(n: number): Promise<IncomingMessage[]> {
    for (let i = 0; i < 500 && this.inbox.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return this.inbox.splice(0, n);
  }
}

async function knowEachOther(a: Device, b: Device): Promise<void> {
  a.endpoint.peers.set(b.device, b.identity.boxPublicKey);
  b.endpoint.peers.set(a.device, a.identity.boxPublicKey);
  await a.gateway.grant(b.device);
  await b.gateway.grant(a.device);
}

describe("GatewayClient with binaryFrames", () => {
  it("negotiates binary with the relay; a client without the option stays on JSON", async () => {
    const a = new Device(generateIdentity(), true);
    const b = new Device(generateIdentity(), false);
    await a.online();
    await b.online();
    expect(a.gateway.binaryActive).toBe(true);
    expect(b.gateway.binaryActive).toBe(false);
    await knowEachOther(a, b);

    expect((await a.endpoint.send(b.device, "test.msg", { n: 1 }, 0)).outcome).toBe("sent");
    expect((await a.endpoint.send(b.device, "test.msg", { n: 2 }, 1)).outcome).toBe("stored");
    expect((await b.endpoint.send(a.device, "test.msg", { n: 3 }, 0)).outcome).toBe("sent");
    expect((await b.endpoint.send(a.device, "test.msg", { n: 4 }, 1)).outcome).toBe("stored");
    expect((await b.next(2)).map((m) => m.d)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await a.next(2)).map((m) => m.d)).toEqual([{ n: 3 }, { n: 4 }]);
    expect(b.arrivedBinary).toEqual([false, false]);
    expect(a.arrivedBinary).toEqual([true, true]);
  });

  it("a qos 1 frame sent binary to an offline JSON device reaches it when it comes back, and the other way", async () => {
    const aId = generateIdentity();
    const bId = generateIdentity();
    const a = new Device(aId, true);
    const b = new Device(bId, false);
    await a.online();
    await b.online();
    await knowEachOther(a, b);
    b.gateway.stop();
    expect((await a.endpoint.send(b.device, "test.msg", { n: 5 }, 1)).outcome).toBe("stored");
    const b2 = new Device(bId, false);
    b2.endpoint.peers.set(a.device, aId.boxPublicKey);
    await b2.online();
    expect((await b2.next(1)).map((m) => m.d)).toEqual([{ n: 5 }]);
    expect(b2.arrivedBinary).toEqual([false]);

    a.gateway.stop();
    expect((await b2.endpoint.send(a.device, "test.msg", { n: 6 }, 1)).outcome).toBe("stored");
    const a2 = new Device(aId, true);
    a2.endpoint.peers.set(b.device, bId.boxPublicKey);
    await a2.online();
    expect((await a2.next(1)).map((m) => m.d)).toEqual([{ n: 6 }]);
    expect(a2.arrivedBinary).toEqual([true]);
  });
});
