/**
 * One noisy device must not degrade everyone (issue 16's finding: 53k SENDs
 * in 4 s were answered `rate_limited` tens of thousands of times, never closed,
 * ~3 s of relay CPU, another pair's p99 from ~5 ms to 338-1678 ms). The relay
 * stops reading a socket whose op bucket is empty and closes 4008 after a
 * bounded number of refused SENDs (`rateViolationsMax`), so the flood costs
 * little and another pair's round trips stay near their idle figure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../relay/src/settings";
import { startLoadClient } from "../support/child-process";
import { mutualPair, percentile } from "../support/devices";
import { cpuMs } from "../support/process-stats";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { RoundTripProbe } from "../support/round-trip";

const FLOOD_SECONDS = 4;
const IDLE_SAMPLES = 200;
/**
 * Generous, because the flooder, the probe and the relay share 2 cores: a few p99 samples
 * land behind the flooder's reconnect handshakes (5.8x was seen once on an otherwise idle
 * machine, with an idle p99 of 3.9 ms). Before the fix the ratio was ~470 (8.7 -> 4123 ms),
 * so this still fails loudly if a flood can degrade other pairs again.
 */
const P99_RATIO_MAX = 15;

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess("noisy-device", { logLevel: "warn" });
});
afterAll(() => relay.dispose());

describe("a device flooding SENDs far past its op rate", () => {
  it("is closed 4008 after a bounded number of refusals, cheaply, and another pair does not notice", async () => {
    const [c, d] = await mutualPair(relay.url);
    const probe = new RoundTripProbe(c, d);
    await probe.sample(20, 5);
    const idle = await probe.sample(IDLE_SAMPLES, 10);
    let flooding = true;
    const flooder = startLoadClient("noisy-device-flooder", "flood", relay.url, FLOOD_SECONDS);
    const flood = flooder.result.finally(() => {
      flooding = false;
    });
    // Measured from the first flooded SEND: the flooder's own start-up is not the relay's doing.
    await flooder.child.waitForLog(/FLOODING/);
    const cpuBefore = cpuMs(relay.child.pid);
    const during = await probe.sampleWhile(() => flooding, 5000, 10);
    const result = (await flood) as {
      sent: number;
      connections: number;
      closes: Record<string, number>;
      replies: Record<string, number>;
    };
    const relayCpu = cpuMs(relay.child.pid) - cpuBefore;
    probe.dispose();
    const idleP99 = percentile(idle, 99);
    const floodP99 = percentile(during, 99);
    console.log(
      `[faults] noisy device: ${result.sent} SENDs written in ${FLOOD_SECONDS} s over ${result.connections} connections, closes ${JSON.stringify(result.closes)}, replies ${JSON.stringify(result.replies)}; ` +
        `relay CPU during the flood ${relayCpu.toFixed(0)} ms; other pair round trip p99 idle ${idleP99.toFixed(2)} ms, during the flood ${floodP99.toFixed(2)} ms (${during.length} samples, ratio ${(floodP99 / idleP99).toFixed(2)})`,
    );
    // Cut off: every flooding connection the relay ended was ended with 4008 ...
    expect(result.closes["4008"] ?? 0).toBeGreaterThanOrEqual(1);
    expect(result.closes["4008"] ?? 0).toBeGreaterThanOrEqual(result.connections - 1);
    // ... after a bounded number of refusals each.
    expect(result.replies.rate_limited ?? 0).toBeLessThanOrEqual(
      result.connections *
        ((DEFAULT_LIMITS as unknown as Record<string, number>).rateViolationsMax ?? DEFAULT_LIMITS.opsBurst),
    );
    expect(during.length).toBeGreaterThan(20);
    expect(floodP99).toBeLessThanOrEqual(idleP99 * P99_RATIO_MAX);
    c.close();
    d.close();
  });
});
