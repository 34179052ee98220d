/**
 * Cluster benchmark (`npm run bench:cluster`, docs/relay.md "Running a
 * cluster"). Relay nodes run as child processes (this file in `serve` mode:
 * the library with benchmark limits, cluster mode on the real NATS server and
 * Postgres). In each run, against a baseline measured in the same run:
 *  - forwarding of 1 KiB qos 0 frames with a window of WINDOW in flight,
 *    sender and receiver on the same node (baseline) and on two nodes;
 *  - latency of one frame at a time, SEND written to FRAME read, same node
 *    and across nodes: the difference of the p50s is the hop's added latency;
 *  - node loss: three nodes behind HAProxy, PAIRS pairs of devices on the
 *    project's client (default reconnect backoff) sending qos 1 frames; one
 *    node is SIGKILLed; recovery = time from the kill until each pair that
 *    lost its node delivers a frame sent after the kill (p50, p99), and frames
 *    lost = frames handed to a sender never delivered once everything settled.
 * Takes `--runs N` (default 3) and prints medians with the load average.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { ClusterLoad } from "../faults/support/cluster-load";
import { percentile, until } from "../faults/support/devices";
import { startHaproxy } from "../faults/support/haproxy";
import { startRelay } from "../relay/src/index";
import { newIdentity, signChallenge } from "../relay/test/gateway-client";
import { TEST_NATS_URL } from "../relay/test/test-cluster";
import { dropSchema, randomSchema, silentLogger, TEST_DATABASE_URL } from "../relay/test/test-databases";

const WINDOW = 64;
const THROUGHPUT_MS = 2000;
const LATENCY_SAMPLES = 1000;
const PAIRS = 15;
const RATE = 20;
const BENCH_LIMITS = {
  opsPerSecond: 1e9,
  opsBurst: 1e9,
  bytesPerSecond: 1e12,
  queueMaxFrames: 1e6,
  queueMaxBytes: 1e10,
};

// ---------- child mode: one relay node ----------
async function serve(schema: string, prefix: string, name: string): Promise<void> {
  const relay = await startRelay({
    port: 0,
    db: TEST_DATABASE_URL,
    dbSchema: schema,
    logger: silentLogger,
    appDir: null,
    relayId: "bench-cluster",
    limits: BENCH_LIMITS,
    exceedProtocolLimits: true,
    cluster: { bus: TEST_NATS_URL, nodeName: name, subjectPrefix: prefix },
  });
  process.stdout.write(`${JSON.stringify({ port: relay.port })}\n`);
  process.once("SIGTERM", () => void relay.drain().then(() => process.exit(0)));
}

interface Node {
  port: number;
  url: string;
  child: ChildProcess;
}

async function spawnNode(schema: string, prefix: string, name: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "serve", schema, prefix, name],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`node ${name} exited ${code}`)));
  });
  return { port, url: `ws://127.0.0.1:${port}/v1/gateway`, child };
}

async function metric(node: Node, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${node.port}/metrics`)).text();
  return Number(
    text
      .split("\n")
      .find((l) => l.startsWith(`${series} `))
      ?.split(" ")[1] ?? Number.NaN,
  );
}

/** n nodes on a fresh schema and subject prefix, once every node sees them all. */
async function startNodes(n: number): Promise<{ nodes: Node[]; stop: () => Promise<void> }> {
  const schema = randomSchema();
  const prefix = `nlb${randomBytes(4).toString("hex")}`;
  const nodes = [await spawnNode(schema, prefix, "b1")];
  nodes.push(...(await Promise.all(Array.from({ length: n - 1 }, (_, i) => spawnNode(schema, prefix, `b${i + 2}`)))));
  const deadline = Date.now() + 20_000;
  while ((await Promise.all(nodes.map((node) => metric(node, "nlink_relay_cluster_nodes")))).some((v) => v !== n)) {
    if (Date.now() > deadline) throw new Error("cluster did not form");
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    for (const node of nodes) node.child.kill("SIGKILL");
    await dropSchema(schema).catch(() => undefined);
  };
  return { nodes, stop };
}

// ---------- raw clients ----------
interface Raw {
  ws: WebSocket;
  device: string;
  onText: (text: string) => void;
}

async function open(url: string): Promise<Raw> {
  const identity = newIdentity();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const hello = JSON.parse(
    await new Promise<string>((resolve) => ws.once("message", (d) => resolve(d.toString()))),
  ) as { d: { challenge: string; relay: string } };
  ws.send(
    JSON.stringify({
      op: 2,
      d: { device: identity.device, sig: signChallenge(identity, hello.d.challenge, hello.d.relay) },
    }),
  );
  await new Promise((resolve) => ws.once("message", resolve));
  const raw: Raw = { ws, device: identity.device, onText: () => undefined };
  ws.on("message", (d) => raw.onText(d.toString()));
  return raw;
}

async function request(c: Raw, op: number, d: Record<string, unknown>): Promise<void> {
  const ref = randomBytes(6).toString("hex");
  await new Promise<void>((resolve) => {
    c.onText = (text) => text.includes(ref) && resolve();
    c.ws.send(JSON.stringify({ op, d: { ...d, ref } }));
  });
}

/**
 * A sender on `fromUrl` and a receiver on `toUrl` that granted it, once the sender's node knows where the receiver is.
 */
async function pairOf(fromUrl: string, toUrl: string): Promise<[Raw, Raw]> {
  const a = await open(fromUrl);
  const b = await open(toUrl);
  await request(b, 8, { peer: a.device });
  await request(a, 8, { peer: b.device });
  // A qos 1 frame stored and delivered proves the route is known on the sender's node.
  const probe = new Promise<void>((resolve) => (b.onText = (t) => t.includes('"FRAME"') && resolve()));
  await request(a, 5, { id: randomBytes(16).toString("base64url"), to: b.device, body: "AA", qos: 1 });
  await probe;
  return [a, b];
}

const sendText = (to: string) =>
  JSON.stringify({
    op: 5,
    d: { id: randomBytes(16).toString("base64url"), to, body: randomBytes(1024).toString("base64url"), qos: 0 },
  });

async function throughput(fromUrl: string, toUrl: string): Promise<number> {
  const [a, b] = await pairOf(fromUrl, toUrl);
  let sent = 0;
  let received = 0;
  const stopAt = Date.now() + THROUGHPUT_MS;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent - received < WINDOW && Date.now() < stopAt) {
        a.ws.send(sendText(b.device));
        sent += 1;
      }
      if (Date.now() >= stopAt && received >= sent) resolve();
    };
    b.onText = (t) => {
      if (t.includes('"FRAME"')) received += 1;
      pump();
    };
    pump();
  });
  const fps = received / ((performance.now() - start) / 1000);
  a.ws.close();
  b.ws.close();
  return fps;
}

/** SEND written to FRAME read, one frame at a time, ms. */
async function latency(fromUrl: string, toUrl: string): Promise<number[]> {
  const [a, b] = await pairOf(fromUrl, toUrl);
  const out: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const got = new Promise<void>((resolve) => (b.onText = (t) => t.includes('"FRAME"') && resolve()));
    const t0 = performance.now();
    a.ws.send(sendText(b.device));
    await got;
    out.push(performance.now() - t0);
  }
  a.ws.close();
  b.ws.close();
  return out;
}

async function nodeKill(): Promise<{ p50: number; p99: number; lost: number; pairs: number }> {
  const { nodes, stop } = await startNodes(3);
  const haproxy = await startHaproxy(
    "bench-cluster",
    nodes.map((n) => n.port),
  ).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  const load = await ClusterLoad.start(haproxy.url, PAIRS, RATE);
  try {
    load.startSending();
    await until(() => load.delivered >= PAIRS * 20, "deliveries before the kill", 60_000);
    const killedAt = Date.now();
    nodes[0]!.child.kill("SIGKILL");
    await until(
      () => load.recoveries(killedAt).length > 0 && load.recoveries(killedAt).every((r) => !Number.isNaN(r)),
      "recovery",
      60_000,
      10,
    );
    const recoveries = load.recoveries(killedAt);
    await new Promise((r) => setTimeout(r, 1000));
    load.stopSending();
    await until(() => load.missing === 0, "every frame delivered", 30_000).catch(() => undefined);
    return {
      p50: percentile(recoveries, 50),
      p99: percentile(recoveries, 99),
      lost: load.missing,
      pairs: recoveries.length,
    };
  } finally {
    load.stop();
    await haproxy.stop();
    await stop();
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } }, allowPositionals: true });
  const runs = Number(values.runs);
  const loadStart = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const r = {
    same: [] as number[],
    cross: [] as number[],
    p50Same: [] as number[],
    p50Cross: [] as number[],
    p99Same: [] as number[],
    p99Cross: [] as number[],
    killP50: [] as number[],
    killP99: [] as number[],
    lost: [] as number[],
  };
  for (let run = 0; run < runs; run++) {
    const { nodes, stop } = await startNodes(2);
    try {
      // Interleaved, so that a load spike hits both.
      r.same.push(await throughput(nodes[0]!.url, nodes[0]!.url));
      r.cross.push(await throughput(nodes[0]!.url, nodes[1]!.url));
      const same = (await latency(nodes[0]!.url, nodes[0]!.url)).sort((x, y) => x - y);
      const cross = (await latency(nodes[0]!.url, nodes[1]!.url)).sort((x, y) => x - y);
      r.p50Same.push(percentile(same, 50));
      r.p50Cross.push(percentile(cross, 50));
      r.p99Same.push(percentile(same, 99));
      r.p99Cross.push(percentile(cross, 99));
    } finally {
      await stop();
    }
    const kill = await nodeKill();
    r.killP50.push(kill.p50);
    r.killP99.push(kill.p99);
    r.lost.push(kill.lost);
    console.error(
      `run ${run + 1}: same ${fmt(r.same.at(-1)!)} f/s, cross ${fmt(r.cross.at(-1)!)} f/s, kill recovery p99 ${fmt(kill.p99)} ms over ${kill.pairs} pairs, lost ${kill.lost}`,
    );
  }
  console.log(
    `relay cluster, medians of ${runs} runs; load average at start ${loadStart}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log("| measure | same node (baseline) | across nodes | ratio / added | target |");
  console.log("|---|--:|--:|--:|---|");
  // Ratios and differences are taken within each run (same load), then their median.
  const ratios = r.same.map((same, i) => r.cross[i]! / same);
  const added = r.p50Same.map((same, i) => r.p50Cross[i]! - same);
  console.log(
    `| qos 0 forward 1 KiB, frames/s | ${fmt(median(r.same))} | ${fmt(median(r.cross))} | ${median(ratios).toFixed(2)}x (runs ${ratios.map((x) => x.toFixed(2)).join(", ")}) | ≥ 0.5x |`,
  );
  console.log(
    `| SEND to FRAME p50, ms | ${fmt(median(r.p50Same), 3)} | ${fmt(median(r.p50Cross), 3)} | +${fmt(median(added), 3)} ms | ≤ +1 ms |`,
  );
  console.log(
    `| SEND to FRAME p99, ms | ${fmt(median(r.p99Same), 3)} | ${fmt(median(r.p99Cross), 3)} | +${fmt(median(r.p99Cross) - median(r.p99Same), 3)} ms | |`,
  );
  console.log(
    `| node SIGKILL → its pairs delivering again, p50 / p99 ms | | ${fmt(median(r.killP50))} / ${fmt(median(r.killP99))} | | p99 ≤ 5000 |`,
  );
  console.log(
    `| frames lost after node SIGKILL (${PAIRS} pairs, ${RATE}/s each, qos 1) | | ${Math.max(...r.lost)} (worst run) | | 0 |`,
  );
}

if (process.argv[2] === "serve") await serve(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else {
  await main();
  process.exit(0);
}
