/**
 * The phone's side of the terminal benchmark's rows, run in the phone's own
 * process (bench/terminal-phone-serve.ts): the phone app's TerminalSession over
 * a TestPhone (a client written with `shared` alone), drawing into a headless
 * xterm. A phone is another device: sharing the hub's event loop would charge
 * the phone's opening, parsing and drawing to the hub and the other way round.
 * Times are `process.hrtime` (CLOCK_MONOTONIC), comparable across the processes
 * of one machine.
 */
import { AppType } from "@neural-link/shared/app";
import type { TestPhone } from "../desktop/test/test-phone";
import { catCounted, openViewer, screenText, settled } from "../mobile/e2e/phone-terminal";

export interface Latency {
  p50: number;
  p99: number;
}

/** Milliseconds on the machine-wide monotonic clock. */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summary(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `cat file` in the phone's terminal, received by a phone that only counts (one that keeps up) and acks: bytes
 * of output received as bytes (the phone app's way), or characters of JSON text with `bytes: false`.
 */
export async function catRow(
  phone: TestPhone,
  file: string,
  bytes: boolean,
): Promise<{ units: number; ms: number; gaps: number; frames: number }> {
  return catCounted(phone, file, bytes);
}

/** Whether output holds the ASCII character `ch`, as text or as the UTF-8 bytes the phone asked for. */
function echoes(data: string | Uint8Array, ch: string): boolean {
  return typeof data === "string" ? data.includes(ch) : data.includes(ch.charCodeAt(0));
}

/** What the timed part of an echo row is told: once before its first timed keystroke, once after its last. */
export type EchoMark = (phase: "start" | "end") => void;

/**
 * Single keystrokes typed on the phone (into xterm, as the phone app does) into `cat` (tty echo), `gapMs`
 * apart: until the echo is opened on the phone (`arrived`), and until xterm drew it (`drawn`). `warmup`
 * keystrokes go first, untimed, at the same pace (every process's code on the path is compiled and warm by
 * then, as after a few seconds of typing). `mark` brackets the timed keystrokes (each other process samples
 * its CPU there); `cpuMs` is this process's CPU over the same span.
 */
export async function echoRow(
  phone: TestPhone,
  samples: number,
  gapMs: number,
  opts: { warmup?: number; mark?: EchoMark } = {},
): Promise<{ drawn: Latency; arrived: Latency; cpuMs: number }> {
  let want: string | null = null;
  let seen = false;
  let arrivedAt = 0;
  let waiting: (() => void) | null = null;
  // Before the viewer's own listener: xterm draws a typed key's echo as the viewer hands it over.
  const offMsg = phone.endpoint.on("message", (m) => {
    if (want === null) return; // the viewer is opening: TestPhone waits on its inbox
    phone.inbox.length = 0;
    if (m.t === AppType.TERM_OUTPUT && !seen && echoes((m.d as { data: string | Uint8Array }).data, want)) {
      seen = true;
      arrivedAt = monotonicMs();
    }
  });
  const v = await openViewer(phone, { cols: 80, rows: 24 });
  await v.session.input("stty -icanon; cat\r");
  await sleep(300);
  const offDrawn = v.onDrawn(() => {
    if (seen) waiting?.();
  });
  const drawn: number[] = [];
  const arrived: number[] = [];
  const warmup = opts.warmup ?? 0;
  let cpuAtStart = process.cpuUsage();
  for (let i = 0; i < warmup + samples; i++) {
    if (i === warmup) {
      opts.mark?.("start");
      // Time for the other processes to take their samples before the first timed keystroke.
      await sleep(MARK_SETTLE_MS);
      drawn.length = arrived.length = 0;
      cpuAtStart = process.cpuUsage();
    }
    const ch = String.fromCharCode(97 + (i % 26));
    seen = false;
    want = ch;
    const echoed = new Promise<void>((resolve) => (waiting = resolve));
    const t0 = monotonicMs();
    v.type(ch);
    await echoed;
    drawn.push(monotonicMs() - t0);
    arrived.push(arrivedAt - t0);
    await sleep(gapMs);
  }
  const cpu = process.cpuUsage(cpuAtStart);
  opts.mark?.("end");
  await sleep(MARK_SETTLE_MS);
  offMsg();
  offDrawn();
  await v.close();
  return { drawn: summary(drawn), arrived: summary(arrived), cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Pause after an echo row's mark, ms: the other processes sample their CPU meanwhile, with nothing typed. */
const MARK_SETTLE_MS = 100;

/** RPC round trips (hub.info) on the phone's link, `gapMs` apart. */
export async function rpcTimes(phone: TestPhone, n: number, gapMs = 0): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = monotonicMs();
    await phone.rpc!.call("hub.info", {});
    times.push(monotonicMs() - t0);
    phone.inbox.length = 0;
    if (gapMs > 0) await sleep(gapMs);
  }
  return times;
}

export interface FloodPhoneSide {
  rpcIdle: Latency;
  rpcFlood: Latency;
  ctrlCMs: number;
  phoneChars: number;
  /** Each screen the phone drew from the Ctrl-C on, with when (monotonic ms); consecutive repeats left out. */
  draws: { at: number; screen: string }[];
  /** The phone's screen once nothing more came. */
  finalScreen: string;
}

export interface FloodSettings {
  cols: number;
  rows: number;
  rpcSamples: number;
  /** Output the phone draws before the RPC and Ctrl-C measurements start, characters. */
  warmupChars: number;
  /** Quiet time after which the flood counts as over at the phone, ms. */
  quietMs: number;
}

/** /bin/sh's prompt: `$ `, or `# ` for root. */
const atPrompt = (line: string) => /^[$#]$/.test(line.trim());

/**
 * The phone's side of the flood rows: opens a terminal (`opened` tells the hub's side which), times RPCs idle,
 * runs `seq 1 50000000`, times RPCs during the flood, types Ctrl-C and times until the prompt is drawn, then
 * records what it draws until nothing more comes.
 */
export async function floodRow(
  phone: TestPhone,
  s: FloodSettings,
  opened: (term: string) => void,
): Promise<FloodPhoneSide> {
  const v = await openViewer(phone, { cols: s.cols, rows: s.rows });
  opened(v.term);
  let phoneChars = 0;
  const offMsg = phone.endpoint.on("message", (m) => {
    if (m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === v.term)
      phoneChars += (m.d as { data: string | Uint8Array }).data.length;
    phone.inbox.length = 0;
  });
  const draws: { at: number; screen: string }[] = [];
  let record = false;
  let onPrompt: (() => void) | null = null;
  const offDrawn = v.onDrawn(() => {
    if (!record) return;
    const screen = screenText(v.xterm);
    if (draws.at(-1)?.screen !== screen) draws.push({ at: monotonicMs(), screen });
    const buf = v.xterm.buffer.active;
    if (atPrompt(buf.getLine(buf.baseY + buf.cursorY)?.translateToString(true) ?? "")) onPrompt?.();
  });
  const waitFor = async (cond: () => boolean) => {
    while (!cond()) await sleep(5);
  };
  await waitFor(() => /[$#]$/.test(screenText(v.xterm).trimEnd()));
  const rpcIdle = summary(await rpcTimes(phone, s.rpcSamples));
  await v.session.input("seq 1 50000000\r");
  await waitFor(() => phoneChars > s.warmupChars);
  const rpcFlood = summary(await rpcTimes(phone, s.rpcSamples));
  const stillFlooding = phoneChars;

  record = true;
  const prompt = new Promise<void>((resolve) => (onPrompt = resolve));
  const t0 = monotonicMs();
  void v.session.input("\x03");
  await prompt;
  const ctrlCMs = monotonicMs() - t0;
  if (stillFlooding >= phoneChars)
    throw new Error("the flood had stopped before Ctrl-C: the figures would not mean anything");
  let lastDraws = -1;
  while (draws.length !== lastDraws) {
    lastDraws = draws.length;
    await sleep(s.quietMs);
  }
  await settled(v.xterm);
  const finalScreen = screenText(v.xterm);
  offMsg();
  offDrawn();
  await v.close();
  return { rpcIdle, rpcFlood, ctrlCMs, phoneChars, draws, finalScreen };
}
