/**
 * Relay benchmark (`npm run bench:relay -- --runs 5 [--idle-runs 1]`). Each
 * figure is the median of `--runs` runs (the idle-connection step of
 * `--idle-runs`, default `--runs`) with its spread, against a baseline
 * measured in the same runs (relay-report.ts):
 *  - forwarding of 1 KiB frames on the binary path (docs/protocol.md
 *    section 5, "Binary frames") against a bare `ws` binary forwarder, and of
 *    1 KiB and 16 KiB qos 0 frames as JSON against a bare JSON forwarder:
 *    frames/s and the server's CPU time per frame over a fixed number of
 *    frames, relay and bare interleaved in each run (relay-forward.ts);
 *    round-trip p50/p99;
 *  - heap per idle authenticated connection at 19,800 connections (two
 *    client workers of 9,900: `ulimit -n` is 20,000 here), fresh servers each run;
 *  - AUTH verifications in the relay process, per second of its CPU time
 *    and of wall time (signatures made beforehand);
 *  - qos 1 store (until `stored`) and drain (redelivery + ACK) rates on
 *    PGlite and on Postgres.
 * Servers run in child processes (relay-server.ts; this file is their entry
 * with `serve-relay`/`serve-bare`) so that clients and server do not share a thread.
 * Needs Postgres at NLINK_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { dropSchema, randomSchema, TEST_DATABASE_URL } from "../relay/test/test-databases";
import { holdClients, idleAtScale, PER_WORKER } from "./relay-idle";
import { Client, frameId, grantedPair, sendText } from "./relay-client";
import { interleaved, roundTrip, throughput } from "./relay-forward";
import { loadLine, printTable, type Row, runsArg, type Target } from "./relay-report";
import { serve, type Server, spawnServer } from "./relay-server";

/** Runs when `--runs` is not given; each figure is the median, relay and baseline interleaved. */
const DEFAULT_RUNS = 3;
/** Frames per measured stream, by frame size: about a second each at this machine's rates. */
const FRAMES: Record<number, number> = { 1024: 50_000, [16 * 1024]: 5_000 };
const QOS1_FRAMES = 5000;
const QOS1_WINDOW = 256;
const IDLE_CONNECTIONS = 2 * PER_WORKER;

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

/** Runs `fn` `runs` times, one after the other. */
async function repeat<T>(runs: number, fn: () => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let i = 0; i < runs; i++) all.push(await fn());
  return all;
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

/** The forwarding rows: each size and form, relay and bare interleaved in every run. */
async function forwardRows(runs: number, relay: Server, bare: Server, rows: Row[]): Promise<void> {
  const forwards: [string, number, boolean, Target | undefined, Target | undefined][] = [
    ["binary", 1024, true, { ratio: ">=", value: 0.8 }, { ratio: "<=", value: 1.25 }],
    ["JSON", 1024, false, undefined, undefined],
    ["JSON", 16 * 1024, false, undefined, undefined],
  ];
  for (const [form, bytes, binary, fpsTarget, cpuTarget] of forwards) {
    const frames = FRAMES[bytes]!;
    const m = await interleaved(runs, relay, bare, (server) => throughput(server, bytes, binary, frames));
    const name = `qos 0 forward ${bytes / 1024} KiB ${form}`;
    const pick = (key: "fps" | "mbps" | "cpuPerFrame" | "userPerFrame") => ({
      relay: m.relay.map((r) => r[key]),
      baseline: m.bare.map((r) => r[key]),
    });
    rows.push({ name: `${name}, frames/s`, ...pick("fps"), digits: 0, ...(fpsTarget ? { target: fpsTarget } : {}) });
    rows.push({ name: `${name}, MB/s`, ...pick("mbps"), digits: 1 });
    rows.push({
      name: `${name}, server CPU µs/frame (${frames.toLocaleString("en-US")} frames)`,
      ...pick("cpuPerFrame"),
      digits: 1,
      ...(cpuTarget ? { target: cpuTarget } : {}),
    });
    rows.push({ name: `${name}, of which user mode, µs/frame`, ...pick("userPerFrame"), digits: 1 });
  }
}

async function main(): Promise<void> {
  const runs = runsArg(process.argv, DEFAULT_RUNS);
  // `--forward-only`: the forwarding rows alone (a quick check, or with NLINK_BENCH_CPU_PROF a profile of them).
  const forwardOnly = process.argv.includes("--forward-only");
  const rows: Row[] = [];
  const one = (name: string, value: number) => rows.push({ name, relay: [value], baseline: null, digits: 0 });
  console.log(`before: ${loadLine()}`);
  // The idle step holds ~20k sockets twice per run (minutes on a loaded machine): `--idle-runs` may run it fewer times.
  // `--idle-runs 0` skips it (its rows are then not printed).
  const idleRuns = forwardOnly ? 0 : runsArg(process.argv, runs, "--idle-runs", 0);
  if (idleRuns > 0) {
    const idle = await repeat(idleRuns, idleRun);
    rows.push({
      name: `heap per idle authenticated connection (${IDLE_CONNECTIONS}), KiB`,
      relay: idle.map((r) => r.relayHeap),
      baseline: idle.map((r) => r.bareHeap),
      digits: 2,
      target: { ratio: "<=", value: 1.5 },
    });
    rows.push({
      name: `connections authenticated/s (HELLO to READY, clients signing, ${IDLE_CONNECTIONS})`,
      relay: idle.map((r) => r.relayAuth),
      baseline: null,
      digits: 0,
    });
  }
  const relaySchema = randomSchema();
  const relay = await spawnServer("relay", TEST_DATABASE_URL, relaySchema);
  const bare = await spawnServer("bare");
  try {
    if (!forwardOnly) {
      // Signatures made beforehand: only the relay process's verification is measured. Per second of its
      // own CPU time is what one core does (the target); per second of wall time depends on the machine's load.
      const auth = await repeat(runs, () => relay.authRate());
      rows.push({
        name: "AUTH verifications per relay CPU-second (node:crypto ed25519)",
        relay: auth.map((a) => a.perCpuSecond),
        baseline: null,
        digits: 0,
        target: { figure: ">=", value: 5000 },
      });
      rows.push({
        name: "AUTH verifications/s, wall time at this load",
        relay: auth.map((a) => a.perSecond),
        baseline: null,
        digits: 0,
      });
    }
    await forwardRows(runs, relay, bare, rows);
    if (!forwardOnly) {
      const rt = await interleaved(runs, relay, bare, roundTrip);
      for (const p of ["p50", "p99"] as const)
        rows.push({
          name: `round trip 1 KiB JSON ${p}, ms`,
          relay: rt.relay.map((r) => r[p]),
          baseline: rt.bare.map((r) => r[p]),
          digits: 3,
        });
      const pg = await storeAndDrain(relay);
      one(`qos 1 store 256 B on Postgres (${QOS1_FRAMES}), frames/s (one run)`, pg.store);
      one(`qos 1 drain + ACK on Postgres, frames/s (one run)`, pg.drain);
    }
  } finally {
    await relay.stop();
    await bare.stop();
    await dropSchema(relaySchema);
  }
  if (!forwardOnly) {
    const lite = await spawnServer("relay", "memory");
    try {
      const pl = await storeAndDrain(lite);
      one(`qos 1 store 256 B on PGlite (${QOS1_FRAMES}), frames/s (one run)`, pl.store);
      one(`qos 1 drain + ACK on PGlite, frames/s (one run)`, pl.drain);
    } finally {
      await lite.stop();
    }
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
