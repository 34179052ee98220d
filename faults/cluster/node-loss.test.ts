/**
 * Node loss and drain in a three-node relay cluster behind HAProxy, under a
 * steady qos 1 load (docs/relay.md, "Running a cluster"): SIGKILL one node,
 * then SIGTERM another. The devices are the project's own client with its
 * default reconnect backoff; they reconnect through HAProxy to the nodes
 * left, resume or AUTH afresh, and every frame handed to a sender reaches
 * its receiver (at least once, deduplicated by id), in order per sender.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterLoad } from "../support/cluster-load";
import { percentile, until } from "../support/devices";
import { type RelayCluster, startRelayCluster } from "../support/relay-cluster";

/** Pairs of devices (two connections each) and frames per second per sender. */
const PAIRS = 9;
const RATE = 20;
/** Frames delivered under load before each fault, and after it before the next step. */
const WARMUP_FRAMES = PAIRS * 20;

let cluster: RelayCluster;
let load: ClusterLoad;

beforeAll(async () => {
  cluster = await startRelayCluster("cluster-loss", 3);
  load = await ClusterLoad.start(cluster.url, PAIRS, RATE);
  load.startSending();
});
afterAll(async () => {
  load?.stop();
  await cluster?.dispose();
});

/** Every node's live sessions, by node (NaN for a node that is gone). */
async function spread(): Promise<number[]> {
  return Promise.all(cluster.nodes.map((_, i) => cluster.metric(i, "nlink_relay_sessions_live")));
}

describe("a three-node cluster under qos 1 load", () => {
  it("loses nothing when a node is SIGKILLed: its devices reconnect to the others", async () => {
    await until(() => load.delivered >= WARMUP_FRAMES, "deliveries before the kill");
    const before = await spread();
    // HAProxy spreads devices round robin: the victim holds some of them.
    expect(before[0]).toBeGreaterThan(0);
    const killedAt = Date.now();
    const exit = await cluster.nodes[0]!.kill();
    expect(exit.signal).toBe("SIGKILL");
    await until(
      () => load.recoveries(killedAt).length > 0 && load.recoveries(killedAt).every((r) => !Number.isNaN(r)),
      "every affected pair delivering again",
      60_000,
      50,
    );
    const recoveries = load.recoveries(killedAt);
    await cluster.waitForMembership(2);
    const delivered = load.delivered;
    await until(() => load.delivered >= delivered + WARMUP_FRAMES, "deliveries after the kill");
    console.log(
      `[faults] cluster node SIGKILL: sessions per node before ${before.join("/")}, ${recoveries.length} pairs reconnected, ` +
        `recovery p50 ${percentile(recoveries, 50)} ms, p99 ${percentile(recoveries, 99)} ms; ${load.sent} sent, ${load.missing} not yet delivered`,
    );
    expect((await spread()).slice(1).reduce((a, b) => a + b, 0)).toBe(PAIRS * 2);
  });

  it("drains a node on SIGTERM: RECONNECT, it exits by itself, nothing is lost", async () => {
    const before = await spread();
    expect(before[1]).toBeGreaterThan(0);
    const drainedAt = Date.now();
    // stop(): SIGTERM, and SIGKILL only if it has not exited within the grace period.
    const exit = await cluster.nodes[1]!.child.stop(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    await until(
      () => load.recoveries(drainedAt).length > 0 && load.recoveries(drainedAt).every((r) => !Number.isNaN(r)),
      "every drained pair delivering again",
      60_000,
      50,
    );
    await cluster.waitForMembership(1);
    load.stopSending();
    await until(() => load.missing === 0, "every frame handed to a sender delivered", 60_000, 50);
    console.log(
      `[faults] cluster drain: ${load.sent} frames sent in all, ${load.delivered} delivered, ${load.duplicates} duplicates deduplicated, ${load.orderViolations} out of order`,
    );
    expect(load.delivered).toBe(load.sent);
    expect(load.orderViolations).toBe(0);
    expect(await cluster.metric(2, "nlink_relay_sessions_live")).toBe(PAIRS * 2);
  });
});
