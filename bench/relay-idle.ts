/**
 * Heap per idle authenticated connection at scale, for bench/relay.ts:
 * connections are held by worker processes (a process here may hold fewer
 * than 20,000 sockets: `ulimit -n`), the server is asked for its heap after a
 * full collection before and after. Also times how fast the server
 * authenticates them (HELLO → AUTH → READY, each client signing its own).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { newIdentity, signChallenge } from "../relay/test/gateway-client";

/** Connections opened at once by one worker. */
const BATCH = 200;
/** Sockets a worker holds at most (two workers make the 20k of the issue, below `ulimit -n` each). */
export const PER_WORKER = 9_900;

async function openOne(url: string, relay: boolean): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const identity = newIdentity();
  const first = new Promise<string>((resolve, reject) => {
    ws.once("message", (d) => resolve(d.toString()));
    ws.once("error", reject);
  });
  if (relay) {
    const hello = JSON.parse(await first) as { d: { challenge: string; relay: string } };
    ws.send(
      JSON.stringify({
        op: 2,
        d: { device: identity.device, sig: signChallenge(identity, hello.d.challenge, hello.d.relay) },
      }),
    );
    await new Promise((resolve) => ws.once("message", resolve));
  } else {
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(JSON.stringify({ op: 2, d: { device: identity.device } }));
    await first;
  }
  return ws;
}

/** Worker mode: open `count` authenticated connections, print how long it took, hold them until stdin ends. */
export async function holdClients(url: string, kind: string, count: number): Promise<void> {
  const held: WebSocket[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i += BATCH) {
    held.push(
      ...(await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, () => openOne(url, kind === "relay")))),
    );
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(`${JSON.stringify({ opened: held.length, seconds })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    for (const ws of held) ws.terminate();
    process.exit(0);
  });
}

interface Probe {
  heap: number;
}

/**
 * Opens `total` idle connections to a server through workers and returns the
 * server's heap growth per connection, and connections authenticated per second.
 */
export async function idleAtScale(
  url: string,
  kind: "relay" | "bare",
  total: number,
  memory: () => Promise<Probe>,
): Promise<{ heapPerConn: number; authPerSecond: number }> {
  const self = fileURLToPath(new URL("./relay.ts", import.meta.url));
  const before = await memory();
  const workers: ChildProcess[] = [];
  const results: Promise<{ opened: number; seconds: number }>[] = [];
  for (let left = total; left > 0; left -= PER_WORKER) {
    const n = Math.min(PER_WORKER, left);
    const child = spawn(process.execPath, ["--import", "tsx", self, "hold-clients", url, kind, String(n)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    workers.push(child);
    results.push(
      new Promise((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!) as { opened: number; seconds: number });
        });
        child.once("exit", (code) => reject(new Error(`client worker exited ${code}`)));
      }),
    );
  }
  try {
    const done = await Promise.all(results);
    await new Promise((r) => setTimeout(r, 500));
    const after = await memory();
    const opened = done.reduce((n, d) => n + d.opened, 0);
    const seconds = Math.max(...done.map((d) => d.seconds));
    return { heapPerConn: (after.heap - before.heap) / opened, authPerSecond: opened / seconds };
  } finally {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.removeAllListeners("exit");
            w.once("exit", () => resolve());
            w.stdin!.end();
          }),
      ),
    );
  }
}
