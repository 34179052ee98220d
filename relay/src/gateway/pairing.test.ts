import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, GatewayClient } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ relay, stop } = await startTestRelay());
});
afterAll(() => stop());

const rdv = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");

async function online(): Promise<GatewayClient> {
  const c = await GatewayClient.connect(relay.url);
  await c.auth();
  return c;
}

describe("pairing rendezvous (docs/protocol.md section 10)", () => {
  it("forwards PAIR_REQUEST to the opener with from set by the relay, never stored", async () => {
    const desktop = await online();
    const phone = await online();
    const r = rdv();
    expect(await desktop.request(11, { rendezvous: r, ttl_s: 60 })).toMatchObject({ ok: true });
    expect(await phone.request(12, { rendezvous: r, body: body(100) })).toMatchObject({ ok: true });
    expect((await desktop.event("PAIR_REQUEST")).d).toEqual({ rendezvous: r, from: phone.device, body: body(100) });
    expect(await desktop.request(13, { rendezvous: r })).toMatchObject({ ok: true });
    expect(await phone.request(12, { rendezvous: r, body: body(10) })).toMatchObject({
      ok: false,
      code: "rendezvous_closed",
    });
    desktop.close();
    phone.close();
  });

  it("answers rendezvous_closed when none is open or its opener is offline", async () => {
    const desktop = await online();
    const phone = await online();
    expect(await phone.request(12, { rendezvous: rdv(), body: body(10) })).toMatchObject({ code: "rendezvous_closed" });
    const r = rdv();
    await desktop.request(11, { rendezvous: r, ttl_s: 60 });
    desktop.close();
    await desktop.closed;
    expect(await phone.request(12, { rendezvous: r, body: body(10) })).toMatchObject({ code: "rendezvous_closed" });
    phone.close();
  });

  it("refuses a rendezvous open elsewhere with rendezvous_taken, and ttl_s over the maximum with bad_request", async () => {
    const one = await online();
    const two = await online();
    const r = rdv();
    await one.request(11, { rendezvous: r, ttl_s: 600 });
    expect(await two.request(11, { rendezvous: r, ttl_s: 60 })).toMatchObject({ code: "rendezvous_taken" });
    expect(await two.request(11, { rendezvous: rdv(), ttl_s: 601 })).toMatchObject({ code: "bad_request" });
    one.close();
    two.close();
  });

  it("allows at most 4 open rendezvous per device", async () => {
    const desktop = await online();
    for (let i = 0; i < 4; i++)
      expect(await desktop.request(11, { rendezvous: rdv(), ttl_s: 60 })).toMatchObject({ ok: true });
    expect(await desktop.request(11, { rendezvous: rdv(), ttl_s: 60 })).toMatchObject({ code: "too_many_rendezvous" });
    desktop.close();
  });

  it("closes a rendezvous by itself after 10 requests", async () => {
    const desktop = await online();
    const phone = await online();
    const r = rdv();
    await desktop.request(11, { rendezvous: r, ttl_s: 60 });
    for (let i = 0; i < 10; i++)
      expect(await phone.request(12, { rendezvous: r, body: body(4) })).toMatchObject({ ok: true });
    expect(await phone.request(12, { rendezvous: r, body: body(4) })).toMatchObject({ code: "rendezvous_closed" });
    // And it no longer counts against the opener's four.
    for (let i = 0; i < 4; i++)
      expect(await desktop.request(11, { rendezvous: rdv(), ttl_s: 60 })).toMatchObject({ ok: true });
    desktop.close();
    phone.close();
  });

  it("closes a rendezvous when its ttl passes", async () => {
    const desktop = await online();
    const phone = await online();
    const r = rdv();
    await desktop.request(11, { rendezvous: r, ttl_s: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await phone.request(12, { rendezvous: r, body: body(4) })).toMatchObject({ code: "rendezvous_closed" });
    desktop.close();
    phone.close();
  });
});
