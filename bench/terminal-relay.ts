/**
 * The relay-through rows of bench/terminal.ts: a phone client written with
 * `shared` alone, paired with a real HubNode through a real (in-memory) relay,
 * both on loopback in this process. Output travels pty -> hub (paced, sealed)
 * -> relay -> phone (opened); keystrokes travel phone -> relay -> hub -> pty
 * and their echo back.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { pino } from "pino";
import { startEmbeddedRelay } from "../desktop/src/hub/embedded-relay";
import { spawnPty } from "../desktop/src/hub/executor/pty-process";
import { TestPhone } from "../desktop/test/test-phone";
import { HubNode } from "../desktop/src/hub/hub-node";

/** Keystrokes timed per latency row (a named setting: enough for a stable p99). */
export const ECHO_SAMPLES = Number(process.env.BENCH_TERMINAL_ECHO_SAMPLES ?? 300);
/**
 * Size of the file sent through the relay, MB. Smaller than the pty rows' file:
 * the hub paces output to devices (4 MiB/s by default), so 100 MB would take long
 * and mostly measure the pacer's drops.
 */
export const RELAY_FILE_MB = Number(process.env.BENCH_TERMINAL_RELAY_MB ?? 20);
const END = "__NL_BENCH_END__";

export interface RelayRig {
  phone: TestPhone;
  close(): Promise<void>;
}

/** Starts a relay and a hub, and pairs a phone with terminal rights. */
export async function startRig(): Promise<RelayRig> {
  const dir = mkdtempSync(join(tmpdir(), "nl-bench-relay-"));
  const log = pino({ level: "silent" });
  const relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
  const hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    relay: relay.localUrl,
    name: "Bench",
    log,
    settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
    // /bin/sh rather than $SHELL: rc files (pyenv, prompts) would make the runs differ by machine.
    executor: { terminalShell: "/bin/sh" },
  });
  await hub.whenOnline();
  const phone = new TestPhone(relay.localUrl, "Bench Phone");
  await phone.connect();
  hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
  // Terminals open only once approved (docs/risk-policy.md): the desktop side says yes at once here.
  hub.on("approval.request", (t) => void hub.approveTask({ task: t.id, approve: true }));
  const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
  await phone.completePairing(invite);
  return {
    phone,
    close: async () => {
      phone.stop();
      await hub.stop();
      await relay.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `cat file` in a phone's terminal; counts the characters of the term.output
 * frames the phone opens until the end marker, and the frames it never got
 * (gaps in `seq`: output the pacer dropped because the pty outran it).
 */
export async function catThroughRelay(rig: RelayRig, file: string): Promise<{ units: number; ms: number; gaps: number; frames: number }> {
  const rpc = rig.phone.rpc!;
  const term = await rig.phone.openTerminal({ cols: 120, rows: 40 });
  await promptOf(rig, term);
  let units = 0;
  let frames = 0;
  let gaps = 0;
  let lastSeq = 0;
  let tail = "";
  const start = process.hrtime.bigint();
  const done = new Promise<void>((resolve) => {
    const off = rig.phone.endpoint.on("message", (m) => {
      if (m.t !== AppType.TERM_OUTPUT) return;
      const d = m.d as { term: string; seq: number; data: string };
      if (d.term !== term) return;
      frames++;
      if (d.seq > lastSeq + 1) gaps += d.seq - lastSeq - 1;
      lastSeq = d.seq;
      units += d.data.length;
      tail = (tail + d.data).slice(-64);
      if (tail.includes(END)) {
        off();
        resolve();
      }
    });
  });
  // The marker is assembled by the shell, so the echoed command line does not contain it.
  await rpc.call("term.input", { term, data: `cat '${file}'; printf '%s%s\\n' __NL_BENCH_ END__\r` });
  await done;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await rpc.call("term.close", { term });
  return { units, ms, gaps, frames };
}

/** Waits for the shell's first output (its prompt): typing earlier may be flushed by its line editor. */
function promptOf(rig: RelayRig, term: string): Promise<unknown> {
  return rig.phone.next((m) => m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Round trip of single keystrokes into `cat` (tty echo), through the relay. */
export async function echoThroughRelay(rig: RelayRig): Promise<{ p50: number; p99: number }> {
  const rpc = rig.phone.rpc!;
  const term = await rig.phone.openTerminal({ cols: 80, rows: 24 });
  await promptOf(rig, term);
  await rpc.call("term.input", { term, data: "stty -icanon; cat\r" });
  await new Promise((r) => setTimeout(r, 300));
  let waiting: ((data: string) => void) | null = null;
  const off = rig.phone.endpoint.on("message", (m) => {
    if (m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term) waiting?.((m.d as { data: string }).data);
  });
  const times: number[] = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    const ch = String.fromCharCode(97 + (i % 26));
    const t0 = process.hrtime.bigint();
    const echoed = new Promise<void>((resolve) => (waiting = (data) => data.includes(ch) && resolve()));
    // The echo is what the person sees; the call's own answer may come later.
    const call = rpc.call("term.input", { term, data: ch });
    await echoed;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await call;
  }
  off();
  await rpc.call("term.close", { term });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** The same keystroke round trip on a local pty: the baseline of the latency rows. */
export async function echoLocal(): Promise<{ p50: number; p99: number }> {
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
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
