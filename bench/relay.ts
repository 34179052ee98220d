/**
 * Relay benchmark (`npm run bench:relay`). In one run, against a baseline
 * measured in the same run:
 *  - forwarding throughput of 1 KiB and 16 KiB qos 0 frames between two
 *    clients on loopback with a bounded in-flight window, and round-trip
 *    p50/p99, through the relay and through a bare `ws` forwarder;
 *  - qos 1 store (until `stored`) and drain (redelivery + ACK) rates on
 *    PGlite and on Postgres;
 *  - memory per idle authenticated connection at 5000 connections.
 * Servers run in child processes (this file with `serve-relay`/`serve-bare`)
 * so that clients and server do not share one thread.
 * Needs Postgres at NLINK_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * and `ulimit -n` above 10000 (the memory step holds 5000 sockets on each side).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { startRelay } from "../relay/src/index";
import { startBareForwarder } from "../relay/test/bare-forwarder";
import { newIdentity, signChallenge, type Identity } from "../relay/test/gateway-client";
import { dropSchema, randomSchema, silentLogger, TEST_DATABASE_URL } from "../relay/test/test-databases";

const WINDOW = 64;
/** This machine is shared: each figure is the best of ROUNDS runs, relay and baseline interleaved. */
const ROUNDS = 3;
const THROUGHPUT_MS = 1500;
const RTT_ROUNDS = 1000;
const QOS1_FRAMES = 5000;
const QOS1_WINDOW = 256;
const IDLE_CONNECTIONS = 5000;
const BENCH_LIMITS = { opsPerSecond: 1e9, opsBurst: 1e9, bytesPerSecond: 1e12, queueMaxFrames: 1e6, queueMaxBytes: 1e10 };

type Kind = "relay" | "bare";

// ---------- child mode: serve one server and print its port ----------
async function serve(kind: Kind, db: string, schema: string | undefined): Promise<void> {
  const port =
    kind === "bare"
      ? (await startBareForwarder()).port
      : (
          await startRelay({
            port: 0,
            db,
            ...(schema !== undefined ? { dbSchema: schema } : {}),
            logger: silentLogger,
            appDir: null,
            relayId: "bench",
            heartbeatMs: 600_000,
            authTimeoutMs: 600_000,
            limits: BENCH_LIMITS,
            exceedProtocolLimits: true,
          })
        ).port;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  // "mem" on stdin: report memory after a full collection (so that garbage does not count) and CPU time used.
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    for (const _ of chunk.split("\n").filter((l) => l === "mem")) {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      const cpu = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ rss: m.rss, heap: m.heapUsed, cpuUs: cpu.user + cpu.system })}\n`);
    }
  });
  process.stdin.on("end", () => process.exit(0));
}

interface Stats {
  rss: number;
  heap: number;
  /** CPU time the server process has used, user + system, µs. */
  cpuUs: number;
}

interface Server {
  kind: Kind;
  url: string;
  child: ChildProcess;
  memory(): Promise<Stats>;
  stop(): Promise<void>;
}

async function spawnServer(kind: Kind, db = "none", schema?: string): Promise<Server> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, `serve-${kind}`, db, ...(schema !== undefined ? [schema] : [])], { stdio: ["pipe", "pipe", "inherit"] });
  const lines: string[] = [];
  let waiting: (() => void) | null = null;
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
    const parts = out.split("\n");
    out = parts.pop()!;
    lines.push(...parts.filter((l) => l.length > 0));
    waiting?.();
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
    return lines.shift()!;
  };
  child.on("exit", (code) => {
    if (code !== 0) console.error(`${kind} server exited ${code}`);
  });
  const port = (JSON.parse(await nextLine()) as { port: number }).port;
  const url = kind === "relay" ? `ws://127.0.0.1:${port}/v1/gateway` : `ws://127.0.0.1:${port}`;
  return {
    kind,
    url,
    child,
    memory: async () => {
      child.stdin!.write("mem\n");
      return JSON.parse(await nextLine()) as Stats;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

// ---------- clients ----------
class Client {
  onText: (text: string) => void = () => undefined;
  private constructor(
    readonly ws: WebSocket,
    readonly identity: Identity,
  ) {}

  static async open(server: Server, identity: Identity = newIdentity()): Promise<Client> {
    const ws = new WebSocket(server.url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const client = new Client(ws, identity);
    const first = new Promise<string>((resolve, reject) => {
      ws.once("message", (d) => resolve(d.toString()));
      ws.once("error", reject);
    });
    if (server.kind === "relay") {
      const hello = JSON.parse(await first) as { d: { challenge: string; relay: string } };
      ws.send(JSON.stringify({ op: 2, d: { device: identity.device, sig: signChallenge(identity, hello.d.challenge, hello.d.relay) } }));
    } else {
      await new Promise((r) => ws.once("open", r));
      ws.send(JSON.stringify({ op: 2, d: { device: identity.device } }));
    }
    await new Promise<void>((resolve) => ws.once("message", () => resolve()));
    ws.on("message", (d) => client.onText(d.toString()));
    return client;
  }

  /** Sends an op with a ref and waits for its REPLY (setup only). */
  async request(op: number, d: Record<string, unknown>): Promise<void> {
    const ref = randomBytes(6).toString("hex");
    await new Promise<void>((resolve) => {
      const previous = this.onText;
      this.onText = (text) => {
        if (text.includes(ref)) {
          this.onText = previous;
          resolve();
        }
      };
      this.ws.send(JSON.stringify({ op, d: { ...d, ref } }));
    });
  }

  get device(): string {
    return this.identity.device;
  }
}

const frameId = () => randomBytes(16).toString("base64url");
const sendText = (to: string, bytes: number, qos = 0, id = frameId(), ref?: string) =>
  JSON.stringify({ op: 5, d: { id, to, body: randomBytes(bytes).toString("base64url"), qos, ...(ref !== undefined ? { ref } : {}) } });

async function grantedPair(server: Server): Promise<[Client, Client]> {
  const a = await Client.open(server);
  const b = await Client.open(server);
  if (server.kind === "relay") {
    await a.request(8, { peer: b.device });
    await b.request(8, { peer: a.device });
  }
  return [a, b];
}

// ---------- measurements ----------
/**
 * Frames/s through the server, and the server's CPU time per frame. The
 * latter does not depend on whether the (single-threaded) driver or the
 * server is the bottleneck, so it is the fairer comparison of the two servers.
 */
async function throughput(server: Server, bytes: number): Promise<{ fps: number; mbps: number; cpuPerFrame: number }> {
  const [a, b] = await grantedPair(server);
  const cpuBefore = (await server.memory()).cpuUs;
  const text = sendText(b.device, bytes);
  let sent = 0;
  let received = 0;
  let stopAt = 0;
  const done = new Promise<void>((resolve) => {
    const pump = () => {
      while (sent - received < WINDOW && Date.now() < stopAt) {
        a.ws.send(text);
        sent += 1;
      }
      if (received === sent && Date.now() >= stopAt) resolve();
    };
    b.onText = () => {
      received += 1;
      pump();
    };
    stopAt = Date.now() + THROUGHPUT_MS;
    pump();
  });
  const started = Date.now();
  await done;
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = (await server.memory()).cpuUs;
  a.ws.close();
  b.ws.close();
  // The two "mem" probes each run two full GCs; their CPU is small next to thousands of frames.
  return { fps: received / seconds, mbps: (received * bytes) / seconds / 1e6, cpuPerFrame: (cpuAfter - cpuBefore) / received };
}

async function roundTrip(server: Server): Promise<{ p50: number; p99: number }> {
  const [a, b] = await grantedPair(server);
  const toB = sendText(b.device, 1024);
  const toA = sendText(a.device, 1024);
  b.onText = () => b.ws.send(toA);
  const samples: number[] = [];
  for (let i = 0; i < RTT_ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve) => {
      a.onText = () => resolve();
      a.ws.send(toB);
    });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((x, y) => x - y);
  a.ws.close();
  b.ws.close();
  return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

async function storeAndDrain(server: Server): Promise<{ store: number; drain: number }> {
  const [a, b] = await grantedPair(server);
  b.ws.close();
  await new Promise((r) => b.ws.once("close", r));
  const texts = Array.from({ length: QOS1_FRAMES }, (_, i) => sendText(b.device, 256, 1, frameId(), `q${i}`));
  let sent = 0;
  let stored = 0;
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent - stored < QOS1_WINDOW && sent < texts.length) a.ws.send(texts[sent++]!);
      if (stored === texts.length) resolve();
    };
    a.onText = (text) => {
      if (!text.includes('"t":"REPLY"')) return; // PRESENCE and the like
      if (!text.includes('"status":"stored"')) throw new Error(`unexpected: ${text.slice(0, 200)}`);
      stored += 1;
      pump();
    };
    pump();
  });
  const storeSeconds = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  let got = 0;
  let acks: string[] = [];
  const back = await Client.open(server, b.identity);
  await new Promise<void>((resolve) => {
    back.onText = (text) => {
      const m = JSON.parse(text) as { t?: string; d: { id: string } };
      if (m.t !== "FRAME") return;
      got += 1;
      acks.push(m.d.id);
      if (acks.length === 500 || got === QOS1_FRAMES) {
        back.ws.send(JSON.stringify({ op: 6, d: { ids: acks } }));
        acks = [];
      }
      if (got === QOS1_FRAMES) resolve();
    };
  });
  const drainSeconds = (Date.now() - t1) / 1000;
  a.ws.close();
  back.ws.close();
  return { store: QOS1_FRAMES / storeSeconds, drain: QOS1_FRAMES / drainSeconds };
}

async function idleMemory(server: Server): Promise<{ rssPerConn: number; heapPerConn: number }> {
  const before = await server.memory();
  const clients: Client[] = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i += 250) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(250, IDLE_CONNECTIONS - i) }, () => Client.open(server)))));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = await server.memory();
  for (const c of clients) c.ws.terminate();
  return { rssPerConn: (after.rss - before.rss) / IDLE_CONNECTIONS, heapPerConn: (after.heap - before.heap) / IDLE_CONNECTIONS };
}

// ---------- report ----------
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const rows: [string, string, string, string][] = [];
  const row = (name: string, relay: number, bare: number | null, digits = 0) =>
    rows.push([name, fmt(relay, digits), bare === null ? "" : fmt(bare, digits), bare === null ? "" : `${(relay / bare).toFixed(2)}x`]);
  const relaySchema = randomSchema();
  const relay = await spawnServer("relay", TEST_DATABASE_URL, relaySchema);
  const bare = await spawnServer("bare");
  try {
    // Memory first, on fresh servers, so that earlier load does not blur RSS.
    const mr = await idleMemory(relay);
    const mb = await idleMemory(bare);
    row(`memory per idle authenticated connection (${IDLE_CONNECTIONS}), RSS KiB`, mr.rssPerConn / 1024, mb.rssPerConn / 1024, 1);
    row(`memory per idle authenticated connection (${IDLE_CONNECTIONS}), heap KiB`, mr.heapPerConn / 1024, mb.heapPerConn / 1024, 1);
    for (const bytes of [1024, 16 * 1024]) {
      const r = { fps: 0, mbps: 0, cpuPerFrame: Infinity };
      const b = { fps: 0, mbps: 0, cpuPerFrame: Infinity };
      for (let i = 0; i < ROUNDS; i++) {
        const ri = await throughput(relay, bytes);
        const bi = await throughput(bare, bytes);
        r.fps = Math.max(r.fps, ri.fps);
        r.mbps = Math.max(r.mbps, ri.mbps);
        r.cpuPerFrame = Math.min(r.cpuPerFrame, ri.cpuPerFrame);
        b.fps = Math.max(b.fps, bi.fps);
        b.mbps = Math.max(b.mbps, bi.mbps);
        b.cpuPerFrame = Math.min(b.cpuPerFrame, bi.cpuPerFrame);
      }
      row(`qos 0 forward ${bytes / 1024} KiB, frames/s`, r.fps, b.fps);
      row(`qos 0 forward ${bytes / 1024} KiB, MB/s`, r.mbps, b.mbps, 1);
      row(`qos 0 forward ${bytes / 1024} KiB, server CPU µs/frame`, r.cpuPerFrame, b.cpuPerFrame, 1);
      row(`qos 0 forward ${bytes / 1024} KiB, frames/s per server CPU core`, 1e6 / r.cpuPerFrame, 1e6 / b.cpuPerFrame);
    }
    const rr = { p50: Infinity, p99: Infinity };
    const rb = { p50: Infinity, p99: Infinity };
    for (let i = 0; i < ROUNDS; i++) {
      const ri = await roundTrip(relay);
      const bi = await roundTrip(bare);
      rr.p50 = Math.min(rr.p50, ri.p50);
      rr.p99 = Math.min(rr.p99, ri.p99);
      rb.p50 = Math.min(rb.p50, bi.p50);
      rb.p99 = Math.min(rb.p99, bi.p99);
    }
    row("round trip 1 KiB p50, ms", rr.p50, rb.p50, 3);
    row("round trip 1 KiB p99, ms", rr.p99, rb.p99, 3);
    const pg = await storeAndDrain(relay);
    row(`qos 1 store 256 B on Postgres (${QOS1_FRAMES}), frames/s`, pg.store, null);
    row(`qos 1 drain + ACK on Postgres, frames/s`, pg.drain, null);
  } finally {
    await relay.stop();
    await bare.stop();
    await dropSchema(relaySchema);
  }
  const lite = await spawnServer("relay", "memory");
  try {
    const pl = await storeAndDrain(lite);
    row(`qos 1 store 256 B on PGlite (${QOS1_FRAMES}), frames/s`, pl.store, null);
    row(`qos 1 drain + ACK on PGlite, frames/s`, pl.drain, null);
  } finally {
    await lite.stop();
  }
  const header: [string, string, string, string] = ["measure", "relay", "bare ws baseline", "relay/baseline"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

const [mode, db, schema] = process.argv.slice(2);
if (mode === "serve-relay" || mode === "serve-bare") {
  void serve(mode === "serve-relay" ? "relay" : "bare", db ?? "memory", schema);
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
