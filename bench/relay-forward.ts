/**
 * Forwarding through a server (bench/relay.ts): a stream of qos 0 frames
 * from one client to another with a bounded in-flight window, and round
 * trips. The relay and the bare forwarder get the same clients, the same
 * messages, the same window and the same number of frames; each run measures
 * both back to back, in alternating order, so that a change in the machine's
 * load falls on both alike.
 */
import { type Client, grantedPair, sendBinary, sendText } from "./relay-client";
import type { Server } from "./relay-server";

/** Frames in flight from the sender at most. */
const WINDOW = 64;
/**
 * Frames forwarded before each measured stream and not counted: the JIT has
 * compiled the path, the relay's resume buffer is full (so each frame also
 * drops the oldest, as in a long-lived session) and the sockets are warm.
 */
const WARMUP_FRAMES = 5_000;

/** Numbers the profiles of measured streams (NLINK_BENCH_CPU_PROF). */
let profiles = 0;

export interface ForwardResult {
  fps: number;
  mbps: number;
  /** The server process's CPU time (user + system) per forwarded frame, µs. */
  cpuPerFrame: number;
  /** Of which in user mode: the server's own code, its GC and `ws`; the rest is the kernel's socket work. */
  userPerFrame: number;
}

/** Sends `frames` copies of `message` from a to b, at most WINDOW unanswered; resolves when b has them all. */
function stream(a: Client, b: Client, message: string | Buffer, frames: number): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const pump = () => {
      while (sent - received < WINDOW && sent < frames) {
        a.ws.send(message);
        sent += 1;
      }
    };
    b.onText = () => {
      received += 1;
      if (received === frames) resolve();
      else pump();
    };
    pump();
  });
}

/**
 * Frames/s through the server, and the server's CPU time per frame over a
 * fixed number of frames. CPU per frame does not depend on whether the
 * (single-threaded) driver or the server is the bottleneck, so it is the
 * fairer comparison of the two servers. A full collection in the server
 * before the measured stream keeps garbage of earlier steps out of it; the
 * garbage the stream itself makes is collected within it and counted.
 */
export async function throughput(
  server: Server,
  bytes: number,
  binary: boolean,
  frames: number,
): Promise<ForwardResult> {
  const [a, b] = await grantedPair(server, binary);
  try {
    const message = binary ? sendBinary(b.device, bytes) : sendText(b.device, bytes);
    await stream(a, b, message, WARMUP_FRAMES);
    const profile = await server.profile();
    const cpuBefore = await server.collect();
    const t0 = process.hrtime.bigint();
    await stream(a, b, message, frames);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpuAfter = await server.cpu();
    await profile.stop(`${bytes}-${binary ? "binary" : "json"}-${(profiles += 1)}`);
    return {
      fps: frames / seconds,
      mbps: (frames * bytes) / seconds / 1e6,
      cpuPerFrame: (cpuAfter.cpuUs - cpuBefore.cpuUs) / frames,
      userPerFrame: (cpuAfter.userUs - cpuBefore.userUs) / frames,
    };
  } finally {
    a.close();
    b.close();
  }
}

const RTT_ROUNDS = 1000;

/** One frame at a time a → b → a (b answers each at once), p50 and p99 of the round trip in ms. */
export async function roundTrip(server: Server): Promise<{ p50: number; p99: number }> {
  const [a, b] = await grantedPair(server);
  try {
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
    return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
  } finally {
    a.close();
    b.close();
  }
}

/**
 * `runs` paired measurements of the relay and the bare forwarder: run i
 * measures both, relay first in even runs and bare first in odd ones.
 */
export async function interleaved<T>(
  runs: number,
  relay: Server,
  bare: Server,
  measure: (server: Server) => Promise<T>,
): Promise<{ relay: T[]; bare: T[] }> {
  const out: { relay: T[]; bare: T[] } = { relay: [], bare: [] };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      out.relay.push(await measure(relay));
      out.bare.push(await measure(bare));
    } else {
      out.bare.push(await measure(bare));
      out.relay.push(await measure(relay));
    }
  }
  return out;
}
