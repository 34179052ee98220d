/**
 * A network cut that closes nothing (every packet dropped, no FIN, no RST)
 * for longer than the heartbeat timeout, then healed. Both sides must notice
 * within the protocol's time (docs/protocol.md section 4: the relay closes
 * 4009 after three silent heartbeat intervals; the client drops a connection
 * whose HEARTBEAT went unacknowledged for an interval), the client resumes or
 * AUTHs afresh once the network is back, and no stored frame is lost. The
 * receiving device is the project's own GatewayClient (shared/src/client)
 * behind a loopback proxy that blackholes (tcp-proxy.ts).
 */
import { generateIdentity } from "@neural-link/shared/crypto";
import { GatewayClient as SharedClient, standardSocketFactory, type GatewayState } from "@neural-link/shared/client";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameLedger, keepAlive, online, until } from "../support/devices";
import { FrameStream } from "../support/frame-stream";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { TcpProxy } from "../support/tcp-proxy";

const HEARTBEAT_MS = 400;
/** Missed intervals before 4009 (the protocol's 3). */
const MISS_LIMIT = 3;
/** The cut lasts this many heartbeat timeouts. */
const CUT_TIMEOUTS = 3;
const RATE = 50;

let relay: RelayProcess;
let proxy: TcpProxy;
beforeAll(async () => {
  relay = await startRelayProcess("blackhole", { heartbeatMs: HEARTBEAT_MS, logLevel: "warn" });
  proxy = await TcpProxy.start(relay.port);
});
afterAll(async () => {
  await proxy?.close();
  await relay?.dispose();
});

async function closes4009(): Promise<number> {
  const text = await (await fetch(`${relay.httpBase}/metrics`)).text();
  return Number(/nlink_relay_closes_total\{code="4009"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe("a network blackhole longer than the heartbeat timeout", () => {
  it("is noticed by both sides, healed by resume or a fresh AUTH, and loses no stored frame", async () => {
    const identity = generateIdentity();
    const receiver = new SharedClient({
      url: `ws://127.0.0.1:${proxy.port}/v1/gateway`,
      identity,
      socketFactory: standardSocketFactory(WebSocket as never),
      settings: { reconnectBaseMs: 100, reconnectMaxMs: 500, helloTimeoutMs: 2000 },
    });
    const ledger = new FrameLedger();
    receiver.on("frame", (f) => {
      ledger.record(f);
      if (f.qos === 1) receiver.ack(f.id);
    });
    const states: GatewayState[] = [];
    const readies: boolean[] = [];
    receiver.on("state", (s) => states.push(s.state));
    receiver.on("ready", (r) => readies.push(r.resumed));
    receiver.start();
    await receiver.whenOnline();
    const sender = await online(relay.url);
    const stopBeats = keepAlive(sender, HEARTBEAT_MS / 2);
    await sender.request(8, { peer: receiver.device });
    await receiver.grant(sender.device);
    const stream = new FrameStream(sender, receiver.device);
    let sending = true;
    const running = stream.run(100_000, RATE, () => !sending);
    await until(() => ledger.unique >= 20, "frames before the cut");

    const before4009 = await closes4009();
    proxy.blackhole();
    const cutMs = CUT_TIMEOUTS * HEARTBEAT_MS * MISS_LIMIT;
    await new Promise((r) => setTimeout(r, cutMs));
    // Both sides noticed while the cut lasted: the relay closed the silent session, the client left "online".
    const relayNoticed = (await closes4009()) - before4009;
    const clientNoticed = receiver.status.state !== "online";
    const duringCut = ledger.unique;
    proxy.heal();
    await receiver.whenOnline();
    await new Promise((r) => setTimeout(r, 500));
    sending = false;
    await running;
    await until(() => stream.unanswered === 0, "answers to every frame");
    const stored = stream.answered("stored");
    await until(() => stored.every((f) => ledger.firstSeen.has(f.id)), "every stored frame after the heal", 30_000);
    console.log(
      `[faults] blackhole ${cutMs} ms (heartbeat ${HEARTBEAT_MS} ms): relay closed ${relayNoticed} session(s) 4009 during the cut, client state ${receiver.status.state === "online" ? "online again" : receiver.status.state}, ` +
        `states ${states.join(">")}, sessions ${readies.map((r) => (r ? "resumed" : "fresh")).join(",")}; ${stored.length} stored, ${ledger.unique} delivered (${duringCut} before the heal), ${ledger.duplicates} duplicates`,
    );
    expect(relayNoticed).toBeGreaterThanOrEqual(1);
    expect(clientNoticed).toBe(true);
    expect(readies.length).toBeGreaterThanOrEqual(2);
    expect(ledger.orderViolations).toBe(0);
    receiver.stop();
    stopBeats();
    sender.close();
  });
});
