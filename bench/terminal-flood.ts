/**
 * The flood rows of bench/terminal.ts: `seq 1 50000000` in a phone's terminal
 * through the hub and relay, with the phone app's session drawing into a
 * headless xterm. Measures, in one flood:
 *   - RPC round trips (hub.info) on the same link while the flood runs, against idle ones;
 *   - Ctrl-C typed on the phone until the phone's screen shows the prompt;
 *   - the flood's last output at the hub until the phone's screen equals the hub's
 *     (both serialized as visible rows by @xterm/headless; the hub's screen is
 *     rebuilt from everything its pty printed).
 */
import { AppType } from "@neural-link/shared/app";
import { percentile, type RelayRig, rpcRoundTrips } from "./terminal-relay";
import { headless, openViewer, screenText, settled } from "../mobile/e2e/phone-terminal";

/** RPC calls timed idle and during the flood (a named setting). */
export const FLOOD_RPC_SAMPLES = Number(process.env.BENCH_TERMINAL_FLOOD_RPCS ?? 60);
/** Output the phone draws before the RPC and Ctrl-C measurements start, characters. */
const FLOOD_WARMUP_CHARS = 2 * 1024 * 1024;
/** Quiet time after which the flood counts as over on both sides, ms. */
const QUIET_MS = 500;
const COLS = 120;
const ROWS = 40;

export interface FloodResult {
  rpcIdle: { p50: number; p99: number };
  rpcFlood: { p50: number; p99: number };
  ctrlCMs: number;
  convergeMs: number;
  /** Characters the phone drew during the flood, and the hub's pty printed. */
  phoneChars: number;
  hubChars: number;
}

const now = () => performance.now();

function stats(times: number[]) {
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function floodRun(rig: RelayRig): Promise<FloodResult> {
  const v = await openViewer(rig.phone, { cols: COLS, rows: ROWS });
  // The hub's side: every piece its pty printed for this terminal, and when the last one came.
  const hubOut: string[] = [];
  let hubChars = 0;
  let hubLastAt = 0;
  const offHub = rig.hub.on("terminal.output", (e) => {
    if (e.id !== v.term) return;
    hubOut.push(e.data);
    hubChars += e.data.length;
    hubLastAt = now();
  });
  let phoneChars = 0;
  const offMsg = rig.phone.endpoint.on("message", (m) => {
    if (m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === v.term)
      phoneChars += (m.d as { data: string }).data.length;
    rig.phone.inbox.length = 0;
  });
  const draws: { at: number; screen: string }[] = [];
  let record = false;
  let onPrompt: (() => void) | null = null;
  const offDrawn = v.onDrawn(() => {
    if (!record) return;
    const screen = screenText(v.xterm);
    draws.push({ at: now(), screen });
    const buf = v.xterm.buffer.active;
    // /bin/sh's prompt: `$ `, or `# ` for root.
    if (
      /^[$#]$/.test(
        buf
          .getLine(buf.baseY + buf.cursorY)
          ?.translateToString(true)
          .trim() ?? "",
      )
    )
      onPrompt?.();
  });
  const waitFor = async (cond: () => boolean) => {
    while (!cond()) await new Promise((r) => setTimeout(r, 5));
  };

  await waitFor(() => /[$#]$/.test(screenText(v.xterm).trimEnd())); // /bin/sh's prompt ($, or # for root)
  const rpcIdle = stats(await rpcRoundTrips(rig, FLOOD_RPC_SAMPLES));
  await v.session.input("seq 1 50000000\r");
  await waitFor(() => phoneChars > FLOOD_WARMUP_CHARS);
  const rpcFlood = stats(await rpcRoundTrips(rig, FLOOD_RPC_SAMPLES));
  const stillFlooding = phoneChars;

  record = true;
  const prompt = new Promise<void>((resolve) => (onPrompt = resolve));
  const t0 = now();
  void v.session.input("\x03");
  await prompt;
  const ctrlCMs = now() - t0;
  if (stillFlooding >= phoneChars)
    throw new Error("the flood had stopped before Ctrl-C: the figures would not mean anything");

  // Over on both sides: nothing new at the hub or the phone for QUIET_MS.
  let lastDraws = -1;
  let lastHub = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, QUIET_MS));
    if (draws.length === lastDraws && hubChars === lastHub) break;
    lastDraws = draws.length;
    lastHub = hubChars;
  }
  await settled(v.xterm);
  const hubTerm = headless(COLS, ROWS);
  // The screen depends only on the tail; the hub's scrollback setting keeps the same amount for the phone.
  let tail = "";
  for (let i = hubOut.length - 1; i >= 0 && tail.length < 512 * 1024; i--) tail = hubOut[i]! + tail;
  hubTerm.write(tail);
  await settled(hubTerm);
  const hubScreen = screenText(hubTerm);
  hubTerm.dispose();
  if (screenText(v.xterm) !== hubScreen)
    throw new Error(
      `the phone's screen never matched the hub's:\n--- hub\n${hubScreen}\n--- phone\n${screenText(v.xterm)}`,
    );
  // The first draw from which the phone's screen stayed equal to the hub's.
  let first = draws.length - 1;
  while (first > 0 && draws[first - 1]!.screen === hubScreen) first--;
  const convergeMs = Math.max(0, draws[first]!.at - hubLastAt);

  offHub();
  offMsg();
  offDrawn();
  await v.close();
  return { rpcIdle, rpcFlood, ctrlCMs, convergeMs, phoneChars, hubChars };
}
