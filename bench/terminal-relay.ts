/**
 * The rig of bench/terminal.ts's relay-through rows: a real HubNode in this process, a real
 * relay in a child process (terminal-relay-serve.ts), and a phone in another child process
 * (terminal-phone.ts: the phone app's own TerminalSession over a TestPhone written with
 * `shared` alone), paired through the relay on loopback: three processes, as on three
 * machines. Output travels pty -> hub (sealed) -> relay -> phone (opened, drawn, acked);
 * keystrokes travel phone -> relay -> hub -> pty. The baselines of the latency rows are here too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { PROTOCOL_DEFAULTS } from "@neural-link/shared/protocol";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import WebSocket from "ws";
import { spawnPty } from "../desktop/src/hub/executor/pty-process";
import { HubNode } from "../desktop/src/hub/hub-node";
import { TestPhone } from "../desktop/test/test-phone";
import { PhoneProcess } from "./phone-process";
import { cpuSecondsOf, ownCpuSeconds } from "./process-cpu";
import { type Latency, summary } from "./terminal-phone";

/** Keystrokes timed per latency row (a named setting: enough for a stable p99). */
export const ECHO_SAMPLES = Number(process.env.BENCH_TERMINAL_ECHO_SAMPLES ?? 300);
/**
 * Keystrokes typed untimed before each latency row, at its pace: a JIT's code is compiled by then in every
 * process on the path, as after a few seconds of typing (the first few hundred keystrokes of a fresh process
 * ran ~25% slower at the median here).
 */
export const ECHO_WARMUP = Number(process.env.BENCH_TERMINAL_ECHO_WARMUP ?? 300);
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

export interface RelayRig {
  hub: HubNode;
  phone: PhoneProcess;
  relayUrl: string;
  /** What the relay allows per connection, for the table's notes. */
  bytesPerSecond: number;
  /** CPU-seconds each process has used so far: the hub (this process), the relay, the phone. */
  cpu(): { hub: number; relay: number; phone: number };
  close(): Promise<void>;
}

/**
 * Starts a relay and a hub, and pairs a phone with terminal rights. `raised`: the relay allows
 * RAISED_BYTES_PER_SECOND and says so in its HELLO (docs/protocol.md section 4); the hub and the phone
 * follow what it announced, with no setting of their own. `embedded`: no relay process; the hub runs its
 * own relay in its process, as `npm run hub` does by default, and the phone connects to it on loopback.
 */
export async function startRig(opts: { raised?: boolean; embedded?: boolean } = {}): Promise<RelayRig> {
  const dir = mkdtempSync(join(tmpdir(), "nl-bench-relay-"));
  const log = pino({ level: "silent" });
  const bytesPerSecond = opts.raised ? RAISED_BYTES_PER_SECOND : PROTOCOL_DEFAULTS.bytesPerSecond;
  const relay = opts.embedded ? null : await relayProcess(opts.raised ? bytesPerSecond : null);
  const hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    relay: relay?.url ?? "embedded",
    embedded: { host: "127.0.0.1", port: 0 },
    name: "Bench",
    log,
    settings: {
      defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"],
    },
    // /bin/sh rather than $SHELL: rc files (pyenv, prompts) would make the runs differ by machine.
    executor: { terminalShell: "/bin/sh" },
  });
  await hub.whenOnline();
  const relayUrl = relay?.url ?? hub.publicRelayUrl();
  const phone = PhoneProcess.start(relayUrl);
  hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
  // Terminals open only once approved (docs/risk-policy.md): the desktop side says yes at once here.
  hub.on("approval.request", (t) => void hub.approveTask({ task: t.id, approve: true }));
  await phone.pair((await hub.startPairing()).uri);
  return {
    hub,
    phone,
    relayUrl,
    bytesPerSecond,
    // An embedded relay's CPU is the hub's.
    cpu: () => ({ hub: ownCpuSeconds(), relay: relay ? cpuSecondsOf(relay.pid) : 0, phone: cpuSecondsOf(phone.pid) }),
    close: async () => {
      await phone.stop();
      await hub.stop();
      await relay?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A second phone, paired with the rig's hub, in this process: the layout of the first
 * keystroke measurement (the hub and the phone on one event loop). On this 2-core machine three
 * processes waking in turn each run their code cold; the bench prints the echo both ways.
 */
export async function inProcessPhone(rig: RelayRig): Promise<TestPhone> {
  const phone = new TestPhone(rig.relayUrl, "Bench Phone (hub's process)", { binaryFrames: true });
  await phone.connect();
  const { invite } = await phone.requestPairing((await rig.hub.startPairing()).uri);
  await phone.completePairing(invite);
  return phone;
}

/** Starts bench/terminal-relay-serve.ts in a child process: the relay on its own core, as on its own machine. */
async function relayProcess(
  bytesPerSecond: number | null,
): Promise<{ url: string; pid: number; close(): Promise<void> }> {
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
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

/** Waits between timed samples of a baseline: the same pace as the phone's keystrokes (an idle machine's wake-ups count in both). */
const pause = () => new Promise((r) => setTimeout(r, ECHO_GAP_MS));

/** The same keystroke round trip on a local pty, at the same pace: the first baseline of the latency rows. */
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
    await pause();
  }
  // ^C: the tty turns it into SIGINT for cat (ISIG stays on under -icanon).
  const exited = new Promise<void>((resolve) => p.onExit(() => resolve()));
  p.write("\x03");
  await exited;
  return summary(times);
}

/**
 * The second baseline: a WebSocket round trip through the relay (HEARTBEAT -> HEARTBEAT_ACK, allowed before AUTH),
 * at the same pace as the keystrokes.
 */
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
    await pause();
  }
  ws.close();
  return summary(times);
}
