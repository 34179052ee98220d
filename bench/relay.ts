/**
 * Relay benchmark (`npm run bench:relay -- --runs 3 [--idle-runs 1]`). Each
 * figure is the median of `--runs` runs (the idle-connection step of
 * `--idle-runs`, default `--runs`), against a baseline measured in the same runs:
 *  - forwarding throughput of 1 KiB frames on the binary path (docs/protocol.md
 *    section 5, "Binary frames") against a bare `ws` binary forwarder, and of
 *    1 KiB and 16 KiB qos 0 frames as JSON against a bare JSON forwarder,
 *    between two clients on loopback with a bounded in-flight window, with
 *    the server's CPU time per forwarded frame; round-trip p50/p99;
 *  - heap per idle authenticated connection at 19,800 connections (two
 *    client workers of 9,900: `ulimit -n` is 20,000 here), fresh servers each run;
 *  - AUTH verifications in the relay process, per second of its CPU time
 *    and of wall time (signatures made beforehand);
 *  - qos 1 store (until `stored`) and drain (redelivery + ACK) rates on
 *    PGlite and on Postgres.
 * Servers run in child processes (this file with `serve-relay`/`serve-bare`)
 * so that clients and server do not share one thread.
 * Needs Postgres at NLINK_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { startRelay } from "../relay/src/index";
import { startBareForwarder } from "../relay/test/bare-forwarder";
import { newIdentity, signChallenge, type Identity } from "../relay/test/gateway-client";
import { dropSchema, randomSchema, silentLogger, TEST_DATABASE_URL } from "../relay/test/test-databases";
import { type AuthRate, authVerificationRate } from "./relay-auth";
import { holdClients, idleAtScale, PER_WORKER } from "./relay-idle";
import { loadLine, median, printTable, type Row, runsArg, type Target } from "./relay-report";

const WINDOW = 64;
/** Runs when `--runs` is not given; each figure is the median, relay and baseline interleaved. */
const DEFAULT_RUNS = 3;
const THROUGHPUT_MS = 1500;
const RTT_ROUNDS = 1000;
const QOS1_FRAMES = 5000;
const QOS1_WINDOW = 256;
const IDLE_CONNECTIONS = 2 * PER_WORKER;
const BENCH_LIMITS = {
  opsPerSecond: 1e9,
  opsBurst: 1e9,
  bytesPerSecond: 1e12,
  queueMaxFrames: 1e6,
  queueMaxBytes: 1e10,
};

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
    for (const command of chunk.split("\n").filter((l) => l.length > 0)) {
      // "cpu": CPU time used so far, without the collections of "mem" (which would count as the server's).
      if (command === "cpu") {
        const cpu = process.cpuUsage();
        process.stdout.write(`${JSON.stringify({ rss: 0, heap: 0, cpuUs: cpu.user + cpu.system })}\n`);
        continue;
      }
      if (command === "auth") {
        process.stdout.write(`${JSON.stringify({ rss: 0, heap: 0, cpuUs: 0, auth: authVerificationRate("bench") })}\n`);
        continue;
      }
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
  auth?: AuthRate;
}

interface Server {
  kind: Kind;
  url: string;
  child: ChildProcess;
  memory(): Promise<Stats>;
  /** CPU time used so far (no collection first). */
  cpu(): Promise<number>;
  /** AUTH signatures the server process verifies, per second of wall time and of its own CPU time. */
  authRate(): Promise<AuthRate>;
  stop(): Promise<void>;
}

async function spawnServer(kind: Kind, db = "none", schema?: string): Promise<Server> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ["--expose-gc", "--import", "tsx", self, `serve-${kind}`, db, ...(schema !== undefined ? [schema] : [])],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
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
    cpu: async () => {
      child.stdin!.write("cpu\n");
      return (JSON.parse(await nextLine()) as Stats).cpuUs;
    },
    authRate: async () => {
      child.stdin!.write("auth\n");
      return (JSON.parse(await nextLine()) as Stats).auth!;
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

  static async open(server: Server, identity: Identity = newIdentity(), binary = false): Promise<Client> {
    const ws = new WebSocket(server.url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const client = new Client(ws, identity);
    const first = new Promise<string>((resolve, reject) => {
      ws.once("message", (d) => resolve(d.toString()));
      ws.once("error", reject);
    });
    if (server.kind === "relay") {
      const hello = JSON.parse(await first) as { d: { challenge: string; relay: string } };
      const features = binary ? { features: ["binary-frames-1"] } : {};
      ws.send(
        JSON.stringify({
          op: 2,
          d: { device: identity.device, sig: signChallenge(identity, hello.d.challenge, hello.d.relay), ...features },
        }),
      );
    } else {
      await new Promise((r) => ws.once("open", r));
      ws.send(JSON.stringify({ op: 2, d: { device: identity.device } }));
    }
    await new Promise<void>((resolve) => ws.once("message", () => resolve()));
    // A binary FRAME is counted, not read: the client's work must not blur the server's figures.
    ws.on("message", (d, isBinary) => client.onText(isBinary ? "" : d.toString()));
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
  JSON.stringify({
    op: 5,
    d: { id, to, body: randomBytes(bytes).toString("base64url"), qos, ...(ref !== undefined ? { ref } : {}) },
  });

/** A binary SEND (docs/protocol.md section 5): 0x05, qos, id, to, no ref, the envelope. */
const sendBinary = (to: string, bytes: number): Buffer =>
  Buffer.concat([
    Buffer.from([5, 0]),
    randomBytes(16),
    Buffer.from(to, "base64url"),
    Buffer.from([0]),
    randomBytes(bytes),
  ]);

async function grantedPair(server: Server, binary = false): Promise<[Client, Client]> {
  const a = await Client.open(server, newIdentity(), binary);
  const b = await Client.open(server, newIdentity(), binary);
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
async function throughput(
  server: Server,
  bytes: number,
  binary = false,
): Promise<{ fps: number; mbps: number; cpuPerFrame: number }> {
  const [a, b] = await grantedPair(server, binary);
  const cpuBefore = await server.cpu();
  const text = binary ? sendBinary(b.device, bytes) : sendText(b.device, bytes);
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
  const cpuAfter = await server.cpu();
  a.ws.close();
  b.ws.close();
  return {
    fps: received / seconds,
    mbps: (received * bytes) / seconds / 1e6,
    cpuPerFrame: (cpuAfter - cpuBefore) / received,
  };
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

/** Runs `fn` `runs` times and returns the median of each numeric field. */
async function medianOf<T extends Record<string, number>>(runs: number, fn: () => Promise<T>): Promise<T> {
  const all: T[] = [];
  for (let i = 0; i < runs; i++) all.push(await fn());
  return Object.fromEntries(Object.keys(all[0]!).map((k) => [k, median(all.map((r) => r[k]!))])) as T;
}

/** Heap per idle connection on fresh servers (a server that held connections keeps their sessions for resume). */
async function idleRun(): Promise<{ relayHeap: number; bareHeap: number; relayAuth: number }> {
  // On Postgres: each AUTH reads the device's stored frames, and PGlite would do that on the relay's own thread.
  const schema = randomSchema();
  const relay = await spawnServer("relay", TEST_DATABASE_URL, schema);
  const bare = await spawnServer("bare");
  try {
    const r = await idleAtScale(relay.url, "relay", IDLE_CONNECTIONS, relay.memory);
    const b = await idleAtScale(bare.url, "bare", IDLE_CONNECTIONS, bare.memory);
    return { relayHeap: r.heapPerConn / 1024, bareHeap: b.heapPerConn / 1024, relayAuth: r.authPerSecond };
  } finally {
    await relay.stop();
    await bare.stop();
    await dropSchema(schema);
  }
}

async function main(): Promise<void> {
  const runs = runsArg(process.argv, DEFAULT_RUNS);
  const rows: Row[] = [];
  const row = (name: string, relay: number, bare: number | null, digits = 0, target?: Target) =>
    rows.push({ name, relay, baseline: bare, digits, ...(target ? { target } : {}) });
  console.log(`before: ${loadLine()}`);
  // The idle step holds ~20k sockets twice per run (minutes on a loaded machine): `--idle-runs` may run it fewer times.
  // `--idle-runs 0` skips it (its rows are then not printed).
  const idleRuns = runsArg(process.argv, runs, "--idle-runs", 0);
  if (idleRuns > 0) {
    const idle = await medianOf(idleRuns, idleRun);
    row(
      `heap per idle authenticated connection (${IDLE_CONNECTIONS}, median of ${idleRuns}), KiB`,
      idle.relayHeap,
      idle.bareHeap,
      2,
      { ratio: "<=", value: 1.5 },
    );
    row(`connections authenticated/s (HELLO to READY, clients signing, ${IDLE_CONNECTIONS})`, idle.relayAuth, null);
  }
  const relaySchema = randomSchema();
  const relay = await spawnServer("relay", TEST_DATABASE_URL, relaySchema);
  const bare = await spawnServer("bare");
  try {
    // Signatures made beforehand: only the relay process's verification is measured. Per second of its
    // own CPU time is what one core does (the target); per second of wall time depends on the machine's load.
    const auth = await medianOf(runs, () => relay.authRate() as Promise<AuthRate & Record<string, number>>);
    row("AUTH verifications per relay CPU-second (node:crypto ed25519)", auth.perCpuSecond, null, 0, {
      figure: ">=",
      value: 5000,
    });
    row("AUTH verifications/s, wall time at this load", auth.perSecond, null, 0);
    const forwards: [string, number, boolean, Target | undefined, Target | undefined][] = [
      ["binary", 1024, true, { ratio: ">=", value: 0.8 }, { ratio: "<=", value: 1.25 }],
      ["JSON", 1024, false, undefined, undefined],
      ["JSON", 16 * 1024, false, undefined, undefined],
    ];
    for (const [form, bytes, binary, fpsTarget, cpuTarget] of forwards) {
      const m = await medianOf(runs, async () => {
        const r = await throughput(relay, bytes, binary);
        const b = await throughput(bare, bytes, binary);
        return { rFps: r.fps, rMbps: r.mbps, rCpu: r.cpuPerFrame, bFps: b.fps, bMbps: b.mbps, bCpu: b.cpuPerFrame };
      });
      const name = `qos 0 forward ${bytes / 1024} KiB ${form}`;
      row(`${name}, frames/s`, m.rFps, m.bFps, 0, fpsTarget);
      row(`${name}, MB/s`, m.rMbps, m.bMbps, 1);
      row(`${name}, server CPU µs/frame`, m.rCpu, m.bCpu, 1, cpuTarget);
    }
    const rt = await medianOf(runs, async () => {
      const r = await roundTrip(relay);
      const b = await roundTrip(bare);
      return { rp50: r.p50, rp99: r.p99, bp50: b.p50, bp99: b.p99 };
    });
    row("round trip 1 KiB JSON p50, ms", rt.rp50, rt.bp50, 3);
    row("round trip 1 KiB JSON p99, ms", rt.rp99, rt.bp99, 3);
    const pg = await storeAndDrain(relay);
    row(`qos 1 store 256 B on Postgres (${QOS1_FRAMES}), frames/s (one run)`, pg.store, null);
    row(`qos 1 drain + ACK on Postgres, frames/s (one run)`, pg.drain, null);
  } finally {
    await relay.stop();
    await bare.stop();
    await dropSchema(relaySchema);
  }
  const lite = await spawnServer("relay", "memory");
  try {
    const pl = await storeAndDrain(lite);
    row(`qos 1 store 256 B on PGlite (${QOS1_FRAMES}), frames/s (one run)`, pl.store, null);
    row(`qos 1 drain + ACK on PGlite, frames/s (one run)`, pl.drain, null);
  } finally {
    await lite.stop();
  }
  printTable(rows, runs);
  console.log(`after: ${loadLine()}`);
}

const [mode, db, schema, count] = process.argv.slice(2);
if (mode === "serve-relay" || mode === "serve-bare") {
  void serve(mode === "serve-relay" ? "relay" : "bare", db ?? "memory", schema);
} else if (mode === "hold-clients") {
  // A worker of the idle-memory step: db = the server's URL, schema = its kind, count = connections.
  void holdClients(db!, schema!, Number(count));
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
