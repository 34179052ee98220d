import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayClient, type Message } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay());
});
afterAll(() => stop());

const presence = (c: GatewayClient): Message[] => c.received.filter((m) => m.t === "PRESENCE");

async function online(): Promise<GatewayClient> {
  const c = await GatewayClient.connect(relay.url);
  await c.auth();
  return c;
}

/** A round trip that proves every earlier event for `c` has arrived. */
async function settle(c: GatewayClient): Promise<void> {
  await c.request(10, { peer: "A".repeat(43) });
}

describe("grants and presence (docs/protocol.md section 7)", () => {
  it("lists connected mutual peers in READY and tells mutual peers when a device connects and goes offline", async () => {
    const a = await online();
    const b = await online();
    await a.request(8, { peer: b.device });
    await b.request(8, { peer: a.device });
    // Becoming mutual while both are connected tells each about the other.
    expect((await a.event("PRESENCE")).d).toEqual({ device: b.device, online: true });
    expect((await b.event("PRESENCE")).d).toEqual({ device: a.device, online: true });
    b.close();
    expect((await a.event("PRESENCE")).d).toEqual({ device: b.device, online: false });
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    const ready = await b2.auth();
    expect((ready.d as { peers_online: string[] }).peers_online).toEqual([a.device]);
    expect((await a.event("PRESENCE")).d).toEqual({ device: b.device, online: true });
    a.close();
    b2.close();
  });

  it("refuses a self-grant, so a device is never told about itself", async () => {
    const a = await online();
    const reply = await a.request(8, { peer: a.device });
    expect(reply).toMatchObject({ ok: false, code: "bad_request" });
    await settle(a);
    expect(presence(a)).toEqual([]);
    a.close();
    const again = await GatewayClient.connect(relay.url, a.identity);
    const ready = await again.auth();
    expect((ready.d as { peers_online: string[] }).peers_online).toEqual([]);
    again.close();
  });

  it("tells nothing to a one-way grantee or to a stranger", async () => {
    const a = await online();
    const b = await online();
    const stranger = await online();
    await a.request(8, { peer: b.device }); // a accepts b, b does not accept a
    b.close();
    await b.closed;
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    const ready = await b2.auth();
    expect((ready.d as { peers_online: string[] }).peers_online).toEqual([]);
    await settle(a);
    await settle(stranger);
    await settle(b2);
    expect(presence(a)).toEqual([]);
    expect(presence(stranger)).toEqual([]);
    expect(presence(b2)).toEqual([]);
    for (const c of [a, b2, stranger]) c.close();
  });

  it("keeps grants durably: they hold for a new session", async () => {
    const a = await online();
    const b = await online();
    await b.request(8, { peer: a.device });
    b.close();
    await b.closed;
    const b2 = await GatewayClient.connect(relay.url, b.identity);
    await b2.auth();
    expect(await a.request(5, { id: "AAAAAAAAAAAAAAAAAAAAAA", to: b.device, body: "", qos: 0 })).toMatchObject({
      ok: true,
      status: "sent",
    });
    a.close();
    b2.close();
  });

  it("after REVOKE the former mutual peers are told offline and hear nothing more", async () => {
    const a = await online();
    const b = await online();
    await a.request(8, { peer: b.device });
    await b.request(8, { peer: a.device });
    await a.event("PRESENCE");
    await b.event("PRESENCE");
    await a.request(10, { peer: b.device });
    expect((await b.event("PRESENCE")).d).toEqual({ device: a.device, online: false });
    a.close();
    await a.closed;
    await settle(b);
    expect(presence(b)).toEqual([]);
    b.close();
  });
});
