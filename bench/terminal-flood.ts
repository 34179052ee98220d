/**
 * The flood rows of bench/terminal.ts: `seq 1 50000000` in a phone's terminal
 * through the hub and relay, with the phone app's session drawing into a
 * headless xterm in the phone's own process (terminal-phone.ts, floodRow). Measures, in one flood:
 *   - RPC round trips (hub.info) on the same link while the flood runs, against idle ones;
 *   - Ctrl-C typed on the phone until the phone's screen shows the prompt;
 *   - the flood's last output at the hub until the phone's screen equals the hub's
 *     (both serialized as visible rows by @xterm/headless; the hub's screen is
 *     rebuilt from everything its pty printed). Both processes read the machine's
 *     monotonic clock.
 */
import type { RelayRig } from "./terminal-relay";
import { headless, screenText, settled } from "../mobile/e2e/phone-terminal";
import { type Latency, monotonicMs } from "./terminal-phone";

/**
 * RPC calls timed idle and during the flood (a named setting): enough that p99 is not simply the slowest one. With
 * 200 it was the second slowest, and the idle p99 (the ratio's baseline) ranged 14-28 ms between runs of one build.
 */
export const FLOOD_RPC_SAMPLES = Number(process.env.BENCH_TERMINAL_FLOOD_RPCS ?? 500);
const COLS = 120;
const ROWS = 40;
/** Quiet time after which the flood counts as over, ms. */
const QUIET_MS = 500;

export interface FloodResult {
  rpcIdle: Latency;
  rpcFlood: Latency;
  ctrlCMs: number;
  convergeMs: number;
  /** Characters the phone drew during the flood, and the hub's pty printed. */
  phoneChars: number;
  hubChars: number;
}

export async function floodRun(rig: RelayRig): Promise<FloodResult> {
  // The hub's side: every piece its pty printed for the flood's terminal, and when the last one came.
  let term: string | null = null;
  const hubOut: string[] = [];
  let hubChars = 0;
  let hubLastAt = 0;
  const offHub = rig.hub.on("terminal.output", (e) => {
    if (e.id !== term) return;
    hubOut.push(e.data);
    hubChars += e.data.length;
    hubLastAt = monotonicMs();
  });
  try {
    const phone = await rig.phone.flood(
      { cols: COLS, rows: ROWS, rpcSamples: FLOOD_RPC_SAMPLES, warmupChars: 2 * 1024 * 1024, quietMs: QUIET_MS },
      (opened) => (term = opened),
    );
    // Over at the hub too: nothing new for QUIET_MS.
    for (let last = -1; hubChars !== last;) {
      last = hubChars;
      await new Promise((r) => setTimeout(r, QUIET_MS));
    }
    const hubTerm = headless(COLS, ROWS);
    // The screen depends only on the tail; the hub's scrollback setting keeps the same amount for the phone.
    let tail = "";
    for (let i = hubOut.length - 1; i >= 0 && tail.length < 512 * 1024; i--) tail = hubOut[i]! + tail;
    hubTerm.write(tail);
    await settled(hubTerm);
    const hubScreen = screenText(hubTerm);
    hubTerm.dispose();
    if (phone.finalScreen !== hubScreen)
      throw new Error(
        `the phone's screen never matched the hub's:\n--- hub\n${hubScreen}\n--- phone\n${phone.finalScreen}`,
      );
    // The first draw from which the phone's screen stayed equal to the hub's.
    const { draws } = phone;
    if (draws.length === 0) throw new Error("the phone drew nothing after the Ctrl-C");
    let first = draws.length - 1;
    while (first > 0 && draws[first - 1]!.screen === hubScreen) first--;
    const convergeMs = Math.max(0, draws[first]!.at - hubLastAt);
    return {
      rpcIdle: phone.rpcIdle,
      rpcFlood: phone.rpcFlood,
      ctrlCMs: phone.ctrlCMs,
      convergeMs,
      phoneChars: phone.phoneChars,
      hubChars,
    };
  } finally {
    offHub();
  }
}
