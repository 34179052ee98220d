/**
 * One frozen receiver (its socket is never read again, though it keeps
 * sending heartbeats) must never delay other devices' frames, and the relay's
 * memory for it stays bounded (Tailscale's TestSendFreeze idea). Past
 * `maxBufferedBytes` waiting for it, qos 0 frames to it are dropped and qos 1
 * frames stay stored, not buffered; stuck past `sendStallTimeoutMs` (or past
 * `hardMaxBufferedBytes`) it is closed 4009; when it comes back it gets every
 * stored frame. The same load is first run with the receiver reading, as the
 * baseline for the other pair's round trips.
 */
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameId } from "../../relay/test/gateway-client";
import {
  collectFrames,
  FrameLedger,
  type GatewayClient,
  mutualPair,
  online,
  percentile,
  seqBody,
  until,
} from "../support/devices";
import { rssBytes } from "../support/process-stats";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { RoundTripProbe } from "../support/round-trip";

const KiB = 1024;
const MAX_BUFFERED = 256 * KiB;
const HARD_MAX_BUFFERED = 3072 * KiB;
const STALL_MS = 3000;
/** Per phase: frames to the (frozen) receiver, their size and pace: ~13 MiB in all. */
const BODY_BYTES = 32 * KiB;
const FRAMES = 300;
const RATE = 100;
const P99_RATIO_MAX = 5;

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess("frozen-receiver", {
    logLevel: "warn",
    flags: {
      "max-buffered-bytes": MAX_BUFFERED,
      "hard-max-buffered-bytes": HARD_MAX_BUFFERED,
      "send-stall-timeout-ms": STALL_MS,
    },
  });
});
afterAll(() => relay.dispose());

async function metric(name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${relay.httpBase}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(" ")[1]);
}

interface Phase {
  answers: Record<string, number>;
  stored: string[];
  p99: number;
  samples: number;
  maxBuffered: number;
  maxRss: number;
}

/**
 * The sender pushes FRAMES big frames to `receiver` (qos 1 and 0 alternately) and small ones to `healthy`; the probe
 * samples meanwhile.
 */
async function push(
  sender: GatewayClient,
  receiver: GatewayClient,
  healthy: GatewayClient,
  probe: RoundTripProbe,
  offset: number,
): Promise<Phase> {
  const body = Buffer.alloc(BODY_BYTES, 1).toString("base64url");
  const phase: Phase = { answers: {}, stored: [], p99: 0, samples: 0, maxBuffered: 0, maxRss: 0 };
  const onReply = (data: Buffer) => {
    const m = JSON.parse(data.toString()) as {
      t?: string;
      d: { ref?: string; ok?: boolean; status?: string; code?: string };
    };
    if (m.t !== "REPLY" || m.d.ref?.startsWith("z") !== true) return;
    const key = m.d.ok === true ? String(m.d.status) : String(m.d.code);
    phase.answers[key] = (phase.answers[key] ?? 0) + 1;
    if (key === "stored") phase.stored.push(m.d.ref.slice(1));
  };
  sender.ws.on("message", onReply);
  let sending = true;
  const watch = setInterval(() => {
    phase.maxRss = Math.max(phase.maxRss, rssBytes(relay.child.pid));
    void metric("nlink_relay_send_buffered_bytes").then(
      (v) => (phase.maxBuffered = Math.max(phase.maxBuffered, v)),
      () => undefined,
    );
  }, 100);
  const pushing = (async () => {
    for (let i = 0; i < FRAMES; i++) {
      const id = frameId();
      sender.send({ op: 5, d: { id, to: receiver.device, body, qos: i % 2 === 0 ? 1 : 0, ref: `z${id}` } });
      sender.send({ op: 5, d: { id: frameId(), to: healthy.device, body: seqBody(offset + i), qos: 1 } });
      await new Promise((r) => setTimeout(r, 1000 / RATE));
    }
    sending = false;
  })();
  const during = await probe.sampleWhile(() => sending, 2000, 10);
  await pushing;
  await until(
    () => Object.values(phase.answers).reduce((a, b) => a + b, 0) === FRAMES,
    "an answer to every frame for the receiver",
  );
  clearInterval(watch);
  sender.ws.off("message", onReply);
  phase.p99 = percentile(during, 99);
  phase.samples = during.length;
  return phase;
}

describe("a frozen receiver", () => {
  it("delays no one, costs bounded memory, is closed 4009, and loses nothing stored", async () => {
    const [sender, receiver] = await mutualPair(relay.url);
    const [c, d] = await mutualPair(relay.url);
    const healthy = await online(relay.url);
    await healthy.request(8, { peer: sender.device });
    const healthyLedger = new FrameLedger();
    collectFrames(healthy, healthyLedger);
    collectFrames(receiver, new FrameLedger());
    const probe = new RoundTripProbe(c, d);
    await probe.sample(20, 5);

    const reading = await push(sender, receiver, healthy, probe, 0);
    // Freeze: the receiver never reads its socket again, but keeps writing heartbeats.
    (receiver.ws as unknown as { _socket: Socket })._socket.pause();
    const beats = setInterval(() => receiver.send({ op: 1, d: null }), 500);
    const frozen = await push(sender, receiver, healthy, probe, FRAMES);
    await until(() => healthyLedger.unique === 2 * FRAMES, "the healthy device got every frame", 30_000);
    await until(
      () => receiver.ws.readyState === receiver.ws.CLOSED,
      "the frozen receiver closed by the relay",
      STALL_MS * 3 + 10_000,
    );
    clearInterval(beats);
    const closed4009 = await metric("nlink_relay_closes_total", '{code="4009"}');
    probe.dispose();
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    for (const [name, p] of [
      ["reading", reading],
      ["frozen", frozen],
    ] as const) {
      console.log(
        `[faults] receiver ${name}: answers ${JSON.stringify(p.answers)}; max send buffers ${mib(p.maxBuffered)}, max relay RSS ${mib(p.maxRss)}; other pair p99 ${p.p99.toFixed(2)} ms (${p.samples} samples)`,
      );
    }
    console.log(
      `[faults] frozen receiver closed 4009 (count ${closed4009}); p99 ratio frozen/reading ${(frozen.p99 / reading.p99).toFixed(2)}`,
    );
    expect(healthyLedger.orderViolations).toBe(0);
    expect(frozen.p99).toBeLessThanOrEqual(reading.p99 * P99_RATIO_MAX);
    // Bounded: the relay never held more for it than the hard limit (what was sent was ~5x that).
    expect(frozen.maxBuffered).toBeLessThanOrEqual(HARD_MAX_BUFFERED + 64 * KiB);
    expect(frozen.answers.dropped ?? 0).toBeGreaterThan(0);
    expect(closed4009).toBeGreaterThanOrEqual(1);

    // Back, reading again: every frame answered `stored` while it was frozen arrives (those of the
    // reading phase were ACKed then).
    const ledger = new FrameLedger();
    const back = await online(relay.url, receiver.identity);
    collectFrames(back, ledger);
    const stored = frozen.stored;
    await until(
      () => stored.every((id) => ledger.firstSeen.has(id)),
      "every stored frame delivered after the freeze",
      30_000,
    );
    for (const client of [sender, c, d, healthy, back]) client.close();
  });
});
