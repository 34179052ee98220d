/**
 * Bus benchmark (`npm run bench:cluster-bus`): the candidates for the relay
 * cluster's node-to-node hop, measured in one run on this machine. Each
 * candidate carries 1 KiB messages from a publishing connection ("node A")
 * to a subscribing connection ("node B"):
 *  - throughput: THROUGHPUT_MSGS messages published back to back, timed until
 *    the last one is received (a window of WINDOW unreceived messages bounds
 *    what is in flight, as a relay forwarding live frames would);
 *  - latency: one message at a time, publish to receipt, p50 and p99.
 * Candidates: Redis pub/sub (ioredis), NATS core (nats.js), NATS JetStream
 * (a stream, publish acknowledged by the server, push consumer) and Postgres
 * LISTEN/NOTIFY (`pg`; payload limit 8000 bytes, so 1 KiB fits).
 * Takes `--runs N` (default 3) and prints medians. Needs Redis on
 * 127.0.0.1:6379, NATS with JetStream on 127.0.0.1:4222, Postgres at
 * NLINK_TEST_DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from "nats";
import pg from "pg";

const PAYLOAD_BYTES = 1024;
const THROUGHPUT_MSGS = 20_000;
const WINDOW = 256;
const LATENCY_MSGS = 2000;
const REDIS_URL = process.env.NLINK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const NATS_URL = process.env.NLINK_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const PG_URL = process.env.NLINK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** One candidate: a publisher and a subscriber on separate connections. */
interface Link {
  publish(data: Buffer): void | Promise<unknown>;
  onMessage(handler: (data: Buffer) => void): void;
  close(): Promise<void>;
}

const channel = () => `nlink-bench-${randomBytes(4).toString("hex")}`;

async function redisLink(): Promise<Link> {
  const pub = new Redis(REDIS_URL);
  const sub = new Redis(REDIS_URL);
  const name = channel();
  let handler: (data: Buffer) => void = () => undefined;
  sub.on("messageBuffer", (_ch: Buffer, data: Buffer) => handler(data));
  await sub.subscribe(name);
  return {
    publish: (data) => void pub.publish(name, data).catch(() => undefined),
    onMessage: (h) => (handler = h),
    close: async () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

async function natsLink(): Promise<Link> {
  const pub = await connect({ servers: NATS_URL });
  const sub = await connect({ servers: NATS_URL });
  const name = channel();
  let handler: (data: Buffer) => void = () => undefined;
  sub.subscribe(name, { callback: (_err, msg) => handler(Buffer.from(msg.data)) });
  await sub.flush();
  return {
    publish: (data) => pub.publish(name, data),
    onMessage: (h) => (handler = h),
    close: async () => {
      await pub.close();
      await sub.close();
    },
  };
}

async function jetStreamLink(): Promise<Link> {
  const pub = await connect({ servers: NATS_URL });
  const sub: NatsConnection = await connect({ servers: NATS_URL });
  const name = channel();
  const jsm = await pub.jetstreamManager();
  await jsm.streams.add({ name, subjects: [name], max_msgs: 100_000 });
  const js = pub.jetstream();
  let handler: (data: Buffer) => void = () => undefined;
  const consumer = await sub
    .jetstream()
    .consumers.get(
      name,
      (await jsm.consumers.add(name, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.New })).name,
    );
  const messages = await consumer.consume({ max_messages: WINDOW * 2 });
  void (async () => {
    for await (const m of messages) handler(Buffer.from(m.data));
  })();
  return {
    // A JetStream publish resolves once the server has stored it (what durability costs).
    publish: (data) => js.publish(name, data),
    onMessage: (h) => (handler = h),
    close: async () => {
      await messages.close();
      await jsm.streams.delete(name);
      await pub.close();
      await sub.close();
    },
  };
}

async function postgresLink(): Promise<Link> {
  const pub = new pg.Client({ connectionString: PG_URL });
  const sub = new pg.Client({ connectionString: PG_URL });
  await pub.connect();
  await sub.connect();
  const name = channel().replace(/-/g, "_");
  let handler: (data: Buffer) => void = () => undefined;
  // NOTIFY payloads are text (at most 8000 bytes): the 1 KiB message travels as base64 (1368 bytes).
  sub.on("notification", (n) => handler(Buffer.from(n.payload ?? "", "base64")));
  await sub.query(`LISTEN ${name}`);
  return {
    // Queued on the one connection (pg runs them in order); a NOTIFY can arrive before its query's result.
    publish: (data) => pub.query("SELECT pg_notify($1, $2)", [name, data.toString("base64")]).catch(() => undefined),
    onMessage: (h) => (handler = h),
    close: async () => {
      await pub.query("SELECT 1");
      await pub.end();
      await sub.end();
    },
  };
}

/** Messages per second, with at most WINDOW published and not yet received. */
async function throughput(link: Link): Promise<number> {
  const data = randomBytes(PAYLOAD_BYTES);
  let received = 0;
  let sent = 0;
  let wake: (() => void) | null = null;
  link.onMessage(() => {
    received += 1;
    wake?.();
  });
  const start = performance.now();
  while (received < THROUGHPUT_MSGS) {
    while (sent < THROUGHPUT_MSGS && sent - received < WINDOW) {
      void link.publish(data);
      sent += 1;
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  return THROUGHPUT_MSGS / ((performance.now() - start) / 1000);
}

/** Publish-to-receipt latencies, one message at a time, in ms. */
async function latencies(link: Link): Promise<number[]> {
  const out: number[] = [];
  let wake: (() => void) | null = null;
  link.onMessage(() => wake?.());
  for (let i = 0; i < LATENCY_MSGS; i++) {
    const data = randomBytes(PAYLOAD_BYTES);
    const t0 = performance.now();
    const got = new Promise<void>((resolve) => (wake = resolve));
    void link.publish(data);
    await got;
    out.push(performance.now() - t0);
  }
  return out;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const CANDIDATES: [string, () => Promise<Link>][] = [
  ["Redis pub/sub", redisLink],
  ["NATS core", natsLink],
  ["NATS JetStream", jetStreamLink],
  ["Postgres LISTEN/NOTIFY", postgresLink],
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  const runs = Number(values.runs);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const results = new Map<string, { rate: number[]; p50: number[]; p99: number[] }>(
    CANDIDATES.map(([name]) => [name, { rate: [], p50: [], p99: [] }]),
  );
  for (let run = 0; run < runs; run++) {
    // Interleaved: each run measures every candidate, so a load spike hits all of them.
    for (const [name, make] of CANDIDATES) {
      const r = results.get(name)!;
      const link = await make();
      try {
        r.rate.push(await throughput(link));
        const lat = (await latencies(link)).sort((a, b) => a - b);
        r.p50.push(pct(lat, 50));
        r.p99.push(pct(lat, 99));
      } finally {
        await link.close();
      }
    }
  }
  console.log(
    `bus candidates, ${PAYLOAD_BYTES} B messages, medians of ${runs} runs; load average at start ${load}, at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log("| bus | msgs/s | vs NATS core | p50 ms | p99 ms |");
  console.log("|---|--:|--:|--:|--:|");
  const base = median(results.get("NATS core")!.rate);
  for (const [name, r] of results) {
    const rate = median(r.rate);
    console.log(
      `| ${name} | ${Math.round(rate).toLocaleString("en-US")} | ${(rate / base).toFixed(2)}x | ${median(r.p50).toFixed(3)} | ${median(r.p99).toFixed(3)} |`,
    );
  }
}

await main();
process.exit(0);
