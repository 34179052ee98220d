/**
 * The relay-through rows of bench/terminal.ts: a phone (the phone app's own
 * TerminalSession over a TestPhone written with `shared` alone, see
 * mobile/e2e/phone-terminal.ts) paired with a real HubNode through a real relay
 * on loopback. The hub and the phone run in this process, the relay in a child
 * process (terminal-relay-serve.ts), as on its own machine. Output travels
 * pty -> hub (sealed) -> relay -> phone (opened, drawn, acked); keystrokes
 * travel phone -> relay -> hub -> pty.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { PROTOCOL_DEFAULTS } from "@neural-link/shared/protocol";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import WebSocket from "ws";
import { spawnPty } from "../desktop/src/hub/executor/pty-process";
import { HubNode } from "../desktop/src/hub/hub-node";
import { OUTPUT_FLOW_DEFAULTS } from "../desktop/src/hub/terminals/output-flow";
import { TestPhone } from "../desktop/test/test-phone";
import { openViewer } from "../mobile/e2e/phone-terminal";

/** Keystrokes timed per latency row (a named setting: enough for a stable p99). */
export const ECHO_SAMPLES = Number(process.env.BENCH_TERMINAL_ECHO_SAMPLES ?? 300);
/**
 * Pause between timed keystrokes, ms: 50 keys a second, faster than anyone types. Back to back
 * (100+ a second, each a term.in and an ack) they would pass the phone's own op budget (the relay
 * allows 200 ops/s) and time its write pacer rather than the path.
 */
export const ECHO_GAP_MS = Number(process.env.BENCH_TERMINAL_ECHO_GAP_MS ?? 20);
/**
 * Bytes per second per connection of the "raised" relay: the protocol's default is
 * 8 MiB/s (docs/protocol.md section 2), which caps a terminal through any relay at its
 * defaults near 5 MB/s of output. A relay may be configured higher, explicitly.
 */
export const RAISED_BYTES_PER_SECOND = Number(process.env.BENCH_TERMINAL_RELAY_BPS ?? 128 * 1024 * 1024);
const END = "__NL_BENCH_END__";

export interface RelayRig {
  hub: HubNode;
  phone: TestPhone;
  relayUrl: string;
  /** What the relay allows per connection, for the table's notes. */
  bytesPerSecond: number;
  close(): Promise<void>;
}

/**
 * Starts a relay and a hub, and pairs a phone with terminal rights. `raised`: relay and hub allow
 * RAISED_BYTES_PER_SECOND.
 */
export async function startRig(opts: { raised?: boolean } = {}): Promise<RelayRig> {
  const dir = mkdtempSync(join(tmpdir(), "nl-bench-relay-"));
  const log = pino({ level: "silent" });
  const bytesPerSecond = opts.raised ? RAISED_BYTES_PER_SECOND : PROTOCOL_DEFAULTS.bytesPerSecond;
  const relay = await relayProcess(opts.raised ? bytesPerSecond : null);
  const gatewayBps = Math.floor(bytesPerSecond * 0.9);
  const hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    relay: relay.url,
    name: "Bench",
    log,
    settings: {
      defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"],
      ...(opts.raised
        ? {
            gateway: { bytesPerSecond: gatewayBps },
            termStream: { ...OUTPUT_FLOW_DEFAULTS, charsPerSecond: Math.floor(gatewayBps / 1.45) },
          }
        : {}),
    },
    // /bin/sh rather than $SHELL: rc files (pyenv, prompts) would make the runs differ by machine.
    executor: { terminalShell: "/bin/sh" },
  });
  await hub.whenOnline();
  // Binary frames, as the phone app asks for them (docs/protocol.md section 5); the hub asks too.
  const phone = new TestPhone(relay.url, "Bench Phone", { binaryFrames: true });
  await phone.connect();
  hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
  // Terminals open only once approved (docs/risk-policy.md): the desktop side says yes at once here.
  hub.on("approval.request", (t) => void hub.approveTask({ task: t.id, approve: true }));
  const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
  await phone.completePairing(invite);
  return {
    hub,
    phone,
    relayUrl: relay.url,
    bytesPerSecond,
    close: async () => {
      phone.stop();
      await hub.stop();
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts bench/terminal-relay-serve.ts in a child process: the relay on its own core, as on its own machine. */
async function relayProcess(bytesPerSecond: number | null): Promise<{ url: string; close(): Promise<void> }> {
  const script = fileURLToPath(new URL("./terminal-relay-serve.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, bytesPerSecond === null ? "default" : String(bytesPerSecond)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]!.trim());
    });
    child.once("exit", (code) => reject(new Error(`the relay process exited (${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

/** `cat file` in a phone's terminal, drawn by a phone that only counts (one that keeps up). */
export async function catThroughRelay(
  rig: RelayRig,
  file: string,
): Promise<{ units: number; ms: number; gaps: number; frames: number }> {
  const v = await openViewer(rig.phone, { cols: 120, rows: 40 }, { draw: false });
  let units = 0;
  let frames = 0;
  let gaps = 0;
  let lastSeq = -1;
  let tail = "";
  const start = process.hrtime.bigint();
  const done = new Promise<void>((resolve) => {
    const off = rig.phone.endpoint.on("message", (m) => {
      if (m.t !== AppType.TERM_OUTPUT) return;
      const d = m.d as { term: string; seq: number; data: string };
      if (d.term !== v.term) return;
      frames++;
      if (lastSeq >= 0 && d.seq > lastSeq + 1) gaps += d.seq - lastSeq - 1;
      lastSeq = d.seq;
      units += d.data.length;
      tail = (tail + d.data).slice(-64);
      if (tail.includes(END)) {
        off();
        resolve();
      }
    });
  });
  rig.phone.inbox.length = 0;
  // The marker is assembled by the shell, so the echoed command line does not contain it.
  await v.session.input(`cat '${file}'; printf '%s%s\\n' __NL_BENCH_ END__\r`);
  await done;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  rig.phone.inbox.length = 0;
  await v.close();
  return { units, ms, gaps, frames };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Latency {
  p50: number;
  p99: number;
}

function summary(times: number[]): Latency {
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Round trip of single keystrokes typed in the phone app's session into `cat` (tty echo), until drawn on the phone. */
export async function echoThroughRelay(rig: RelayRig): Promise<{ drawn: Latency; arrived: Latency }> {
  const v = await openViewer(rig.phone, { cols: 80, rows: 24 });
  await v.session.input("stty -icanon; cat\r");
  await new Promise((r) => setTimeout(r, 300));
  let want: string | null = null;
  let seen = false;
  let arrivedAt = 0n;
  let waiting: (() => void) | null = null;
  const offMsg = rig.phone.endpoint.on("message", (m) => {
    if (m.t === AppType.TERM_OUTPUT && want !== null && !seen && (m.d as { data: string }).data.includes(want)) {
      seen = true;
      arrivedAt = process.hrtime.bigint();
    }
  });
  const offDrawn = v.onDrawn(() => {
    if (seen) waiting?.();
  });
  const times: number[] = [];
  const arrivals: number[] = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    seen = false;
    want = ch;
    const echoed = new Promise<void>((resolve) => (waiting = resolve));
    const t0 = process.hrtime.bigint();
    void v.session.input(ch);
    await echoed;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    arrivals.push(Number(arrivedAt - t0) / 1e6);
    await new Promise((r) => setTimeout(r, ECHO_GAP_MS));
  }
  offMsg();
  offDrawn();
  rig.phone.inbox.length = 0;
  await v.close();
  return { drawn: summary(times), arrived: summary(arrivals) };
}

/** The same keystroke round trip on a local pty: the first baseline of the latency rows. */
export async function echoLocal(): Promise<Latency> {
  const p = spawnPty({ file: "/bin/sh", args: ["-c", "stty -icanon; exec cat"], cwd: tmpdir(), cols: 80, rows: 24 });
  let waiting: ((data: string) => void) | null = null;
  p.onText((t) => waiting?.(t));
  await new Promise((r) => setTimeout(r, 200));
  const times: number[] = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    const t0 = process.hrtime.bigint();
    const echoed = new Promise<void>((resolve) => (waiting = (data) => data.includes(ch) && resolve()));
    p.write(ch);
    await echoed;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  // ^C: the tty turns it into SIGINT for cat (ISIG stays on under -icanon).
  const exited = new Promise<void>((resolve) => p.onExit(() => resolve()));
  p.write("\x03");
  await exited;
  return summary(times);
}

/** The second baseline: a WebSocket round trip through the relay (HEARTBEAT -> HEARTBEAT_ACK, allowed before AUTH). */
export async function wsRoundTrip(rig: RelayRig): Promise<Latency> {
  const ws = new WebSocket(rig.relayUrl);
  const inbox: ((op: number) => void)[] = [];
  ws.on("message", (raw) => {
    const op = (JSON.parse(String(raw)) as { op: number }).op;
    inbox.shift()?.(op);
  });
  const hello = new Promise<number>((resolve) => inbox.push(resolve));
  await hello;
  const times: number[] = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    const t0 = process.hrtime.bigint();
    const ack = new Promise<number>((resolve) => inbox.push(resolve));
    ws.send(JSON.stringify({ op: 1, d: null }));
    await ack;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ws.close();
  return summary(times);
}

/** Idle RPC round trips (hub.info) on the phone's link. */
export async function rpcRoundTrips(rig: RelayRig, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await rig.phone.rpc!.call("hub.info", {});
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}
