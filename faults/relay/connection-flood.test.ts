/**
 * Load without harm: thousands of connections that never AUTH and hundreds
 * that AUTH with bad signatures, from another process, while a good pair
 * keeps working. Silent ones are closed 4003 at the AUTH timeout (set short
 * here), bad signatures 4004 at once (docs/protocol.md sections 4 and 12);
 * afterwards the relay's connection count is back to the good pair's and
 * its heap near its baseline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoadClient } from "../support/child-process";
import { keepAlive, mutualPair, percentile, until } from "../support/devices";
import { rssBytes } from "../support/process-stats";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { RoundTripProbe } from "../support/round-trip";

const SILENT = 2000;
const BAD_SIGNATURES = 300;
const AUTH_TIMEOUT_MS = 2000;
/** The heap may end this much above its baseline (V8 keeps some of what it grew). */
const HEAP_SLACK = 2;

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess("connection-flood", { authTimeoutMs: AUTH_TIMEOUT_MS, logLevel: "warn" });
});
afterAll(() => relay.dispose());

async function gauge(name: string): Promise<number> {
  const text = await (await fetch(`${relay.httpBase}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? Number.NaN);
}

describe("connections that never AUTH or AUTH badly", () => {
  it("are closed 4003 and 4004 within the protocol's limits while a good pair keeps working", async () => {
    const [c, d] = await mutualPair(relay.url);
    const beats = [keepAlive(c, 5000), keepAlive(d, 5000)];
    const probe = new RoundTripProbe(c, d);
    await probe.sample(20, 5);
    const idle = await probe.sample(150, 10);
    const heapBefore = await gauge("nodejs_heap_used_bytes");
    const rssBefore = rssBytes(relay.child.pid);
    let flooding = true;
    let maxConnections = 0;
    const watch = setInterval(
      () =>
        void gauge("nlink_relay_connections").then(
          (n) => (maxConnections = Math.max(maxConnections, n)),
          () => undefined,
        ),
      200,
    );
    const flood = Promise.all([
      runLoadClient("connection-flood-silent", "silent", relay.url, SILENT),
      runLoadClient("connection-flood-badsig", "badsig", relay.url, BAD_SIGNATURES),
    ]).finally(() => {
      flooding = false;
    });
    const during = await probe.sampleWhile(() => flooding, 5000, 10);
    const [silent, bad] = (await flood) as unknown as Array<{
      count: number;
      closes: Record<string, number>;
      failedToOpen: Record<string, number>;
    }>;
    clearInterval(watch);
    let connectionsAfter = Number.NaN;
    await until(
      () => {
        void gauge("nlink_relay_connections").then((n) => (connectionsAfter = n));
        return connectionsAfter === 2;
      },
      "the relay's connections back to the good pair's",
      30_000,
      200,
    );
    // Let the relay settle (closed sockets' timers, a GC) before reading its heap.
    await probe.sample(100, 20);
    const heapAfter = await gauge("nodejs_heap_used_bytes");
    const rssAfter = rssBytes(relay.child.pid);
    probe.dispose();
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    console.log(
      `[faults] connection flood: ${SILENT} silent closed ${JSON.stringify(silent!.closes)} (failed to open: ${JSON.stringify(silent!.failedToOpen)}), ${BAD_SIGNATURES} bad signatures closed ${JSON.stringify(bad!.closes)} (failed to open: ${JSON.stringify(bad!.failedToOpen)}); up to ${maxConnections} connections open; ` +
        `heap ${mib(heapBefore)} -> ${mib(heapAfter)}, RSS ${mib(rssBefore)} -> ${mib(rssAfter)}; good pair p99 idle ${percentile(idle, 99).toFixed(2)} ms, during ${percentile(during, 99).toFixed(2)} ms (${during.length} samples)`,
    );
    expect(silent!.closes).toEqual({ 4003: SILENT });
    expect(bad!.closes).toEqual({ 4004: BAD_SIGNATURES });
    expect(silent!.failedToOpen).toEqual({});
    expect(bad!.failedToOpen).toEqual({});
    expect(during.every((ms) => Number.isFinite(ms))).toBe(true);
    expect(heapAfter).toBeLessThan(heapBefore * HEAP_SLACK);
    for (const stop of beats) stop();
    c.close();
    d.close();
  });
});
