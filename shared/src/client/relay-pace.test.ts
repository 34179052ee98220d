import { describe, expect, it } from "vitest";
import { generateIdentity } from "../crypto/identity";
import { DEFAULT_ANNOUNCED_LIMITS } from "../protocol/relay-limits";
import { FakeRelay, until } from "../../test/fake-relay";
import { GatewayClient } from "./gateway-client";
import { paceFor, sizeLimitsFor } from "./relay-pace";
import { GATEWAY_CLIENT_DEFAULTS } from "./settings";

const MiB = 1024 * 1024;
const RAISED = {
  max_message_bytes: 2 * MiB,
  max_body_bytes: 1 * MiB,
  ops_per_second: 1000,
  ops_burst: 2000,
  bytes_per_second: 128 * MiB,
};

describe("pace and sizes from the relay's announced limits (docs/protocol.md section 4)", () => {
  it("at the protocol's defaults: 90% of the rates, half the burst, the size limits as they are", () => {
    expect(paceFor(GATEWAY_CLIENT_DEFAULTS, DEFAULT_ANNOUNCED_LIMITS)).toEqual({
      opsPerSecond: 180,
      opsBurst: 200,
      bytesPerSecond: Math.floor(8 * MiB * 0.9),
    });
    expect(sizeLimitsFor(GATEWAY_CLIENT_DEFAULTS, DEFAULT_ANNOUNCED_LIMITS)).toEqual({
      maxBodyBytes: 512 * 1024,
      maxMessageBytes: MiB,
    });
  });

  it("a cap of the settings holds below the relay, and never lifts the pace above it", () => {
    const capped = { ...GATEWAY_CLIENT_DEFAULTS, bytesPerSecond: MiB, maxBodyBytes: 1000 };
    expect(paceFor(capped, RAISED).bytesPerSecond).toBe(MiB);
    expect(sizeLimitsFor(capped, RAISED).maxBodyBytes).toBe(1000);
    const above = { ...GATEWAY_CLIENT_DEFAULTS, opsPerSecond: 10_000, maxMessageBytes: 64 * MiB };
    expect(paceFor(above, DEFAULT_ANNOUNCED_LIMITS).opsPerSecond).toBe(180);
    expect(sizeLimitsFor(above, DEFAULT_ANNOUNCED_LIMITS).maxMessageBytes).toBe(MiB);
  });
});

describe("GatewayClient adopts HELLO limits", () => {
  async function connected(limits?: unknown) {
    const relay = new FakeRelay();
    const client = new GatewayClient({
      url: "ws://fake/v1/gateway",
      identity: generateIdentity(),
      socketFactory: relay.factory,
    });
    client.start();
    const conn = await relay.waitConns(1);
    conn.hello(60_000, limits);
    await until(() => conn.ops(2).length === 1, "AUTH");
    return { relay, client, conn };
  }

  it("paces and checks sizes by what a raised relay announced", async () => {
    const { client } = await connected(RAISED);
    expect(client.announcedLimits).toEqual(RAISED);
    expect(client.pace()).toEqual({ opsPerSecond: 900, opsBurst: 1000, bytesPerSecond: Math.floor(128 * MiB * 0.9) });
    expect(client.limits()).toEqual({ maxBodyBytes: MiB, maxMessageBytes: 2 * MiB });
    client.stop();
  });

  it("keeps the protocol's defaults when a relay announces nothing, or something ill-formed", async () => {
    for (const limits of [undefined, { ops_per_second: "fast" }, { ...RAISED, bytes_per_second: -1 }, "all"]) {
      const { client, conn } = await connected(limits);
      expect(conn.ops(2)).toHaveLength(1); // an ill-formed `limits` is ignored, not a reason to close
      expect(client.announcedLimits).toEqual(DEFAULT_ANNOUNCED_LIMITS);
      expect(client.pace()).toEqual(paceFor(GATEWAY_CLIENT_DEFAULTS, DEFAULT_ANNOUNCED_LIMITS));
      client.stop();
    }
  });

  it("follows a lower relay too", async () => {
    const { client } = await connected({ ...DEFAULT_ANNOUNCED_LIMITS, ops_per_second: 20, max_body_bytes: 4096 });
    expect(client.pace().opsPerSecond).toBe(18);
    expect(client.limits().maxBodyBytes).toBe(4096);
    client.stop();
  });
});
