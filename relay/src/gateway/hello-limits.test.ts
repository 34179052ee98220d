import { DEFAULT_ANNOUNCED_LIMITS, relayLimitsSchema } from "@neural-link/shared/protocol";
import { describe, expect, it } from "vitest";
import { GatewayClient } from "../../test/gateway-client";
import { startTestRelay } from "../../test/test-databases";

const MiB = 1024 * 1024;

/** HELLO's `limits` (docs/protocol.md sections 2 and 4): a relay says what it enforces, raised or not. */
describe("HELLO limits (docs/protocol.md section 4)", () => {
  async function helloOf(options: Parameters<typeof startTestRelay>[0]): Promise<GatewayClient["hello"]> {
    const { relay, stop } = await startTestRelay(options);
    try {
      const c = await GatewayClient.connect(relay.url);
      c.close();
      return c.hello;
    } finally {
      await stop();
    }
  }

  it("a relay at the defaults announces the protocol's defaults", async () => {
    const hello = await helloOf({});
    expect(relayLimitsSchema.parse(hello.limits)).toEqual(DEFAULT_ANNOUNCED_LIMITS);
    expect(hello.limits).toEqual({
      max_message_bytes: 1 * MiB,
      max_body_bytes: 512 * 1024,
      ops_per_second: 200,
      ops_burst: 400,
      bytes_per_second: 8 * MiB,
    });
  });

  it("a relay configured above the defaults says so: every raised value is on the wire", async () => {
    const hello = await helloOf({
      exceedProtocolLimits: true,
      limits: { bytesPerSecond: 128 * MiB, opsPerSecond: 1000, opsBurst: 2000, maxMessageBytes: 2 * MiB },
    });
    expect(hello.limits).toEqual({
      max_message_bytes: 2 * MiB,
      max_body_bytes: 512 * 1024,
      ops_per_second: 1000,
      ops_burst: 2000,
      bytes_per_second: 128 * MiB,
    });
  });

  it("a relay configured lower announces the lower values", async () => {
    const hello = await helloOf({ limits: { opsPerSecond: 50, maxBodyBytes: 64 * 1024 } });
    expect(hello.limits).toMatchObject({ ops_per_second: 50, max_body_bytes: 64 * 1024, ops_burst: 400 });
  });
});
