/**
 * A client in the relay's process (the hub of an embedded relay) connected
 * through memory (in-process-socket.ts), against the real relay over the real
 * Postgres, talking with a peer on a real WebSocket written from the protocol
 * page: the same AUTH, frames both ways in order in both forms, presence, the
 * relay's rate limits, and the ends of a connection from either side.
 */
import { GatewayClient as ProjectClient } from "@neural-link/shared/client";
import { b64uEncode } from "@neural-link/shared/encoding";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameId, GatewayClient as WsClient } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay());
});
afterAll(() => stop());

/** An ed25519 identity in the form shared's client signs with (seed || public key), from Node's own crypto. */
function identity(): { signPublicKey: Uint8Array; signSecretKey: Uint8Array } {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  const publicKey = Buffer.from(jwk.x!, "base64url");
  return { signPublicKey: publicKey, signSecretKey: Buffer.concat([Buffer.from(jwk.d!, "base64url"), publicKey]) };
}

/** The hub's own client (shared's GatewayClient, binary frames asked for), connected through memory. */
async function inProcessClient(target: RelayHandle = relay) {
  const frames: { id: string; from: string; envelope: Uint8Array | undefined; body: string }[] = [];
  const client = new ProjectClient({
    url: "ws://in-process/v1/gateway",
    identity: identity(),
    socketFactory: target.inProcessSocket,
    binaryFrames: true,
    expectedRelayId: () => "test-relay",
  });
  client.on("frame", (f) => frames.push({ id: f.id, from: f.from, envelope: f.envelope, body: f.body }));
  client.start();
  await client.whenOnline();
  return { client, frames };
}

/** Polls `cond` every 5 ms until it holds (or fails after `ms`). */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const deadline = Date.now() + ms; !cond();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An in-process client and a phone on a WebSocket, each granting the other. */
async function hubAndPhone() {
  const hub = await inProcessClient();
  const phone = await WsClient.connect(relay.url);
  await phone.auth();
  expect(await phone.request(8, { peer: hub.client.device })).toMatchObject({ ok: true });
  await hub.client.grant(phone.device);
  return { hub, phone };
}

describe("a client in the relay's process", () => {
  it("authenticates with a signed AUTH and exchanges frames with a WebSocket peer, in order, both ways", async () => {
    const { hub, phone } = await hubAndPhone();
    expect(hub.client.status.relayId).toBe("test-relay");

    // Phone -> hub: JSON SENDs of both qos, arriving in the order sent (as binary FRAMEs: the hub asked for them).
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = frameId();
      sent.push(id);
      phone.send({ op: 5, d: { id, to: hub.client.device, qos: (i % 2) as 0 | 1, body: b64uEncode(randomBytes(64)) } });
    }
    await until(() => hub.frames.length === 50, "50 frames at the hub");
    expect(hub.frames.map((f) => f.id)).toEqual(sent);
    expect(hub.frames.every((f) => f.from === phone.device && f.envelope !== undefined)).toBe(true);

    // Hub -> phone: binary SENDs; qos 0 unconfirmed, in the order sent; then qos 1, each stored before it resolves.
    const back: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = b64uEncode(randomBytes(16));
      back.push(id);
      void hub.client.send({ id, to: phone.device, qos: 0, envelope: randomBytes(100) }, { confirm: false });
    }
    for (let i = 0; i < 5; i++) {
      const id = b64uEncode(randomBytes(16));
      back.push(id);
      expect(await hub.client.send({ id, to: phone.device, qos: 1, envelope: randomBytes(100) })).toBe("stored");
    }
    const got: string[] = [];
    while (got.length < back.length) got.push(((await phone.event("FRAME")).d as { id: string }).id);
    expect(got).toEqual(back);
    hub.client.stop();
    phone.close();
  });

  it("is a device like any other: its peer sees it online and offline", async () => {
    const { hub, phone } = await hubAndPhone();
    hub.client.stop();
    const offline = await phone.next(
      (m) => m.t === "PRESENCE" && (m.d as { device: string; online: boolean }).online === false,
    );
    expect((offline.d as { device: string }).device).toBe(hub.client.device);
    phone.close();
  });

  it("is held to the relay's rate limits: a burst past them is paced, not lost or reordered", async () => {
    const { hub, phone } = await hubAndPhone();
    // Written straight to the socket, past the client's own pacer: 600 SENDs against a burst of 400 ops.
    const socket = (hub.client as unknown as { socket: { send(text: string): void } }).socket;
    const ids = Array.from({ length: 600 }, () => frameId());
    for (const id of ids)
      socket.send(JSON.stringify({ op: 5, d: { id, to: phone.device, qos: 0, body: b64uEncode(randomBytes(32)) } }));
    const got: string[] = [];
    while (got.length < ids.length) got.push(((await phone.event("FRAME", 10_000)).d as { id: string }).id);
    expect(got).toEqual(ids);
    expect(hub.client.status.state).toBe("online");
    hub.client.stop();
    phone.close();
  });

  it("learns of the relay's end: closed when the relay closes; told to reconnect when it drains (RECONNECT)", async () => {
    const own = await startTestRelay();
    const draining = await startTestRelay();
    try {
      const a = await inProcessClient(own.relay);
      const b = await inProcessClient(draining.relay);
      const closes: number[] = [];
      a.client.on("state", (s) => s.lastCloseCode !== null && closes.push(s.lastCloseCode));
      const bErrors: string[] = [];
      b.client.on("state", (s) => s.lastError !== null && bErrors.push(s.lastError));
      await own.relay.close();
      await until(() => closes.length > 0, "a close at the client");
      expect(closes[0]).toBe(1006);
      // Its reconnects fail without opening, as against a closed port, and leave it waiting to retry.
      await until(() => a.client.status.lastError === "the relay has closed", "a refused reconnect");
      expect(a.client.status.state).not.toBe("online");
      await draining.relay.drain();
      // RECONNECT (op 7): the client drops the connection itself to come back at once.
      await until(() => bErrors.length > 0, "RECONNECT at the draining relay's client");
      expect(bErrors[0]).toBe("relay asked to reconnect");
      a.client.stop();
      b.client.stop();
    } finally {
      await own.stop();
      await draining.stop();
    }
  });
});
