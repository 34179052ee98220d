/**
 * Terminal benchmark.
 *
 *   npm run bench:terminal -- --runs 3      (BENCH_TERMINAL_MB=20 for a quicker run)
 *
 * Every figure is the median of `--runs` runs; the load average is printed at the start and the end.
 * Throughput rows (MB/s), against reading the file straight from disk in the same run:
 *   - `cat` in a pty read as raw bytes (`encoding: null`), and through the executor's spawnPty;
 *   - `cat` in a phone's terminal: pty -> hub (sealed) -> relay -> phone (opened, acked), through a
 *     relay at the protocol's default limits (8 MiB/s per connection) and through one configured
 *     higher (RAISED_BYTES_PER_SECOND), the phone keeping up (it counts, it does not draw). The phone
 *     asks for output as bytes, as the phone app does, and counts bytes; the raised row is run a second
 *     time with output as JSON text (counted in characters: the file's em dashes are 3 bytes, 1 character).
 * Latency rows: a keystroke typed in the phone app's session into `cat` until drawn on the phone,
 * against a local pty's echo and a WebSocket round trip through the relay.
 * Flood rows (terminal-flood.ts): RPC round trips during `seq 1 50000000` against idle ones; Ctrl-C
 * on the phone until its screen shows the prompt; flood end until the phone's screen equals the hub's.
 * The hub runs in this process, the relay and the phone each in their own (terminal-relay.ts), as on
 * three machines; the latency baselines are taken at the keystrokes' pace. The echo is timed a second
 * time with a phone in the hub's process, the layout of the first measurement, and a third with
 * the relay in the hub's process (`npm run hub`'s default, a phone on the same network) and the phone in its own.
 * A pty turns "\n" into "\r\n", so rows count what they receive; ratios compare rates, not totals.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as pty from "node-pty";
import { spawnPty } from "../desktop/src/hub/executor/pty-process";
import { floodRun } from "./terminal-flood";
import { type EchoMark, echoRow, type Latency } from "./terminal-phone";
import {
  ECHO_GAP_MS,
  ECHO_SAMPLES,
  ECHO_WARMUP,
  echoLocal,
  inProcessPhone,
  RAISED_BYTES_PER_SECOND,
  type RelayRig,
  startRig,
  wsRoundTrip,
} from "./terminal-relay";

/** Size of the generated file for the pty rows and the raised relay row, MB. */
const FILE_MB = Number(process.env.BENCH_TERMINAL_MB ?? 100);
/** Size of the file for the row through a relay at default limits, MB (it runs near 5 MB/s). */
const DEFAULT_RELAY_MB = Number(process.env.BENCH_TERMINAL_DEFAULT_RELAY_MB ?? 20);
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Math.max(1, Number(values.runs));

async function makeFile(dir: string, mb: number, name: string): Promise<string> {
  const file = join(dir, name);
  const out = createWriteStream(file);
  // Printable ASCII lines with some UTF-8, like build logs; 1 MB per block.
  const line = "2026-11-25T08:00:00Z build step ok — compiled module with 0 warnings ..........\n";
  const block = line.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(line)));
  for (let i = 0; i < mb; i++) if (!out.write(block)) await once(out, "drain");
  out.end();
  await once(out, "finish");
  return file;
}

async function timedRate(fn: () => Promise<number>): Promise<number> {
  const start = process.hrtime.bigint();
  const units = await fn();
  return units / (1024 * 1024) / (Number(process.hrtime.bigint() - start) / 1e9);
}

const ptyRead = (file: string, decode: boolean) =>
  timedRate(
    () =>
      new Promise((resolve) => {
        let n = 0;
        if (decode) {
          const p = spawnPty({ file: "/bin/cat", args: [file], cwd: tmpdir(), cols: 120, rows: 40 });
          p.onText((t) => (n += t.length));
          p.onExit(() => resolve(n));
        } else {
          const p = pty.spawn("/bin/cat", [file], { cols: 120, rows: 40, encoding: null });
          p.onData((d: string | Buffer) => (n += d.length));
          p.onExit(() => resolve(n));
        }
      }),
  );

/**
 * The kernel's DAMON monitors that are on, with their sampling interval and schemes' actions: a `pageout` scheme
 * sampling every 500 ms stalled processes for 7-40 ms about twice a second on one development VM, which is
 * the echo's p99 there (docs/hub.md, "Where the time goes"). Empty where there is no DAMON or it is off.
 */
function damonMonitors(): string[] {
  const root = "/sys/kernel/mm/damon/admin/kdamonds";
  const read = (path: string) => readFileSync(path, "utf8").trim();
  const found: string[] = [];
  try {
    for (const k of readdirSync(root).filter((n) => /^\d+$/.test(n))) {
      if (read(`${root}/${k}/state`) !== "on") continue;
      for (const c of readdirSync(`${root}/${k}/contexts`).filter((n) => /^\d+$/.test(n))) {
        const ctx = `${root}/${k}/contexts/${c}`;
        const sampleMs = Number(read(`${ctx}/monitoring_attrs/intervals/sample_us`)) / 1000;
        const schemes = readdirSync(`${ctx}/schemes`).filter((n) => /^\d+$/.test(n));
        const actions = schemes.map((n) => read(`${ctx}/schemes/${n}/action`));
        found.push(`kdamond ${k}: sampling every ${sampleMs} ms, schemes: ${actions.join(", ") || "none"}`);
      }
    }
  } catch {
    // No DAMON on this kernel, or not readable: nothing to say.
  }
  return found;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 2) => n.toFixed(d);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

interface Run {
  rates: Record<string, number>;
  echo: Record<string, Latency>;
  /** CPU-ms per timed keystroke of each process, in each layout of the echo rows (0: that process is another's). */
  echoCpu: Record<"apart" | "shared" | "embedded", { hub: number; relay: number; phone: number }>;
  flood: Awaited<ReturnType<typeof floodRun>>;
  /** The same flood through the raised relay, where the hub's window is larger (docs/hub.md, "Terminal flow"). */
  floodRaised: Awaited<ReturnType<typeof floodRun>>;
  /** CPU-seconds per 100 MB of each process in the raised relay's `cat`, output as bytes and as text. */
  cpu: Record<"bytes" | "text", { hub: number; relay: number; phone: number }>;
  gaps: number;
}

async function oneRun(dir: string, big: string, small: string): Promise<Run> {
  const rates: Record<string, number> = {};
  const cpu = {} as Run["cpu"];
  rates.disk = await timedRate(async () => {
    let n = 0;
    for await (const chunk of createReadStream(big, { highWaterMark: 1 << 16 })) n += (chunk as Buffer).length;
    return n;
  });
  rates.ptyBytes = await ptyRead(big, false);
  rates.ptyText = await ptyRead(big, true);
  console.error("  pty rows done");
  let gaps = 0;
  const withRig = async <T>(raised: boolean, fn: (rig: RelayRig) => Promise<T>, embedded = false): Promise<T> => {
    const rig = await startRig({ raised, embedded });
    try {
      return await fn(rig);
    } finally {
      await rig.close();
    }
  };
  const echo: Record<string, Latency> = {};
  const echoCpu = {} as Run["echoCpu"];
  /** CPU-ms per timed keystroke of the hub's and the relay's processes, between an echo row's marks. */
  const cpuBetweenMarks = (rig: RelayRig) => {
    let start = rig.cpu();
    let end = start;
    const mark: EchoMark = (phase) => (phase === "start" ? (start = rig.cpu()) : (end = rig.cpu()));
    const perKey = (k: "hub" | "relay") => ((end[k] - start[k]) * 1000) / ECHO_SAMPLES;
    return { mark, hub: () => perKey("hub"), relay: () => perKey("relay") };
  };
  const flood = await withRig(false, async (rig) => {
    const r = await rig.phone.cat(small);
    gaps += r.gaps;
    rates.relayDefault = r.units / (1024 * 1024) / (r.ms / 1000);
    echo.local = await echoLocal();
    echo.ws = await wsRoundTrip(rig);
    const cpu = cpuBetweenMarks(rig);
    const phone = await rig.phone.echo(ECHO_SAMPLES, ECHO_GAP_MS, ECHO_WARMUP, cpu.mark);
    echo.phone = phone.drawn;
    echo.phoneArrived = phone.arrived;
    echoCpu.apart = { hub: cpu.hub(), relay: cpu.relay(), phone: phone.cpuMs / ECHO_SAMPLES };
    const local = await inProcessPhone(rig);
    const sharedCpu = cpuBetweenMarks(rig);
    const shared = await echoRow(local, ECHO_SAMPLES, ECHO_GAP_MS, { warmup: ECHO_WARMUP, mark: sharedCpu.mark });
    local.stop();
    echo.sharedDrawn = shared.drawn;
    echo.sharedArrived = shared.arrived;
    // The phone is the hub's process: its CPU is the hub's.
    echoCpu.shared = { hub: sharedCpu.hub(), relay: sharedCpu.relay(), phone: 0 };
    console.error("  relay (default limits) and echo rows done");
    return floodRun(rig);
  });
  // The default `npm run hub`: the relay in the hub's process, the phone on its own.
  const embedded = await withRig(
    false,
    async (rig) => {
      const cpu = cpuBetweenMarks(rig);
      const row = await rig.phone.echo(ECHO_SAMPLES, ECHO_GAP_MS, ECHO_WARMUP, cpu.mark);
      // The relay is the hub's process: its CPU is the hub's.
      echoCpu.embedded = { hub: cpu.hub(), relay: 0, phone: row.cpuMs / ECHO_SAMPLES };
      return row;
    },
    true,
  );
  echo.embedded = embedded.drawn;
  echo.embeddedArrived = embedded.arrived;
  const floodRaised = await withRig(true, async (rig) => {
    // CPU-seconds of each process per 100 MB of the file, around each `cat`.
    const catWithCpu = async (bytes: boolean) => {
      const before = rig.cpu();
      const r = await rig.phone.cat(big, bytes);
      const after = rig.cpu();
      const per100 = (k: keyof typeof before) => ((after[k] - before[k]) * 100) / FILE_MB;
      cpu[bytes ? "bytes" : "text"] = { hub: per100("hub"), relay: per100("relay"), phone: per100("phone") };
      gaps += r.gaps;
      return r.units / (1024 * 1024) / (r.ms / 1000);
    };
    rates.relayRaised = await catWithCpu(true);
    // The same stream as JSON text (a phone that does not ask for bytes), for comparison in the same run.
    rates.relayRaisedText = await catWithCpu(false);
    return floodRun(rig);
  });
  void dir;
  return { rates, echo, echoCpu, flood, floodRaised, cpu, gaps };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nl-bench-terminal-"));
  const startLoad = load();
  try {
    const big = await makeFile(dir, FILE_MB, "big.txt");
    const small = await makeFile(dir, DEFAULT_RELAY_MB, "small.txt");
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      console.error(`run ${i + 1} of ${RUNS}, load ${load()}`);
      runs.push(await oneRun(dir, big, small));
    }
    const med = (f: (r: Run) => number) => median(runs.map(f));
    console.log(
      `terminal benchmark, node ${process.version}, medians of ${RUNS} runs; load average at start ${startLoad}, at end ${load()}`,
    );
    for (const m of damonMonitors()) console.log(`the kernel's DAMON is on (latency tails follow its sampling): ${m}`);
    console.log(`\nthroughput (MB/s of what the receiver counts)`);
    console.log(["row".padEnd(66), "MB/s".padStart(9), "vs disk".padStart(10)].join(""));
    const disk = med((r) => r.rates.disk!);
    const rateRows: [string, string][] = [
      ["disk", `file read directly, ${FILE_MB} MB (baseline)`],
      ["ptyBytes", "pty cat, encoding null (bytes)"],
      ["ptyText", "pty cat, executor spawnPty (null + UTF-8 stream decode)"],
      ["relayDefault", `phone terminal via hub+relay, ${DEFAULT_RELAY_MB} MB, relay at 8 MiB/s/conn`],
      [
        "relayRaised",
        `phone terminal via hub+relay, ${FILE_MB} MB, relay at ${RAISED_BYTES_PER_SECOND >> 20} MiB/s/conn`,
      ],
      ["relayRaisedText", `  the same, output as JSON text (a phone that does not ask for bytes; characters)`],
    ];
    for (const [key, name] of rateRows) {
      const m = med((r) => r.rates[key]!);
      console.log([name.padEnd(66), fmt(m, 1).padStart(9), `${fmt(m / disk, 3)}x`.padStart(10)].join(""));
    }
    console.log(
      `frames the hub skipped for the phones (output dropped, snapshot fetched), all runs: ${runs.reduce((n, r) => n + r.gaps, 0)}`,
    );
    for (const form of ["bytes", "text"] as const) {
      const c = (k: "hub" | "relay" | "phone") =>
        fmt(
          med((r) => r.cpu[form][k]),
          2,
        );
      console.log(
        `CPU-seconds per 100 MB through the ${RAISED_BYTES_PER_SECOND >> 20} MiB/s relay, output as ${form}: hub ${c("hub")}, relay ${c("relay")}, phone ${c("phone")}`,
      );
    }
    console.log(
      `\nkeystroke echo round trip, ms (into \`cat\` in a pty; phone keystrokes ${ECHO_GAP_MS} ms apart, ${ECHO_SAMPLES} timed after ${ECHO_WARMUP} untimed)`,
    );
    console.log(["row".padEnd(66), "p50".padStart(9), "p99".padStart(9), "p50 vs pty".padStart(12)].join(""));
    const local = med((r) => r.echo.local!.p50);
    for (const [key, name] of [
      ["local", "local pty write -> echo, same pace (baseline)"],
      ["ws", "WebSocket round trip through the relay, same pace (baseline)"],
      ["phoneArrived", "phone -> relay -> hub -> pty -> hub -> relay -> phone (opened)"],
      ["phone", "the same, until drawn by xterm on the phone"],
      ["sharedArrived", "the same, phone in the hub's process (the issue's layout), opened"],
      ["sharedDrawn", "the same, phone in the hub's process, drawn"],
      ["embeddedArrived", "the same, relay in the hub's process (npm run hub's default), opened"],
      ["embedded", "the same, relay in the hub's process, drawn"],
    ] as const) {
      const p50 = med((r) => r.echo[key]!.p50);
      const p99 = med((r) => r.echo[key]!.p99);
      console.log(
        [name.padEnd(66), fmt(p50).padStart(9), fmt(p99).padStart(9), `${fmt(p50 / local, 1)}x`.padStart(12)].join(""),
      );
    }
    // CPU per operation, the figure timing noise does not move: what one keystroke costs each process.
    console.log(`\nCPU-ms per timed keystroke (the keystroke, \`cat\`'s two echoes and the phone's acks), by process`);
    for (const [layout, name] of [
      ["apart", "hub, relay and phone each in their own process"],
      ["shared", "phone in the hub's process (counted as the hub's)"],
      ["embedded", "relay in the hub's process (counted as the hub's)"],
    ] as const) {
      const c = (k: "hub" | "relay" | "phone") =>
        fmt(
          med((r) => r.echoCpu[layout][k]),
          3,
        );
      console.log(`${name.padEnd(66)}hub ${c("hub")}, relay ${c("relay")}, phone ${c("phone")}`);
    }
    console.log(`\nflood: \`seq 1 50000000\` in the phone's terminal (relay at default limits), ms`);
    console.log(["row".padEnd(66), "p50".padStart(9), "p99".padStart(9), "p99 vs idle".padStart(12)].join(""));
    const idle99 = med((r) => r.flood.rpcIdle.p99);
    console.log(
      [
        "RPC round trip (hub.info), idle (baseline)".padEnd(66),
        fmt(med((r) => r.flood.rpcIdle.p50)).padStart(9),
        fmt(idle99).padStart(9),
        "1.0x".padStart(12),
      ].join(""),
    );
    const flood99 = med((r) => r.flood.rpcFlood.p99);
    console.log(
      [
        "RPC round trip (hub.info) on the same link during the flood".padEnd(66),
        fmt(med((r) => r.flood.rpcFlood.p50)).padStart(9),
        fmt(flood99).padStart(9),
        `${fmt(flood99 / idle99, 1)}x`.padStart(12),
      ].join(""),
    );
    /** A row of one time per run: the median, and each run's value. */
    const perRun = (name: string, pick: (r: Run) => number) =>
      console.log(
        [
          name.padEnd(66),
          fmt(med(pick)).padStart(9),
          "".padStart(9),
          `runs: ${runs.map((r) => fmt(pick(r), 0)).join(", ")}`.padStart(12),
        ].join(""),
      );
    perRun("Ctrl-C typed on the phone -> prompt on the phone's screen", (r) => r.flood.ctrlCMs);
    perRun("flood ends at the hub -> phone's screen equals the hub's", (r) => r.flood.convergeMs);
    console.log(
      `flood output: the hub's pty printed ${fmt(med((r) => r.flood.hubChars) / 1048576, 1)} MB, the phone drew ${fmt(med((r) => r.flood.phoneChars) / 1048576, 1)} MB (medians)`,
    );
    perRun(
      `the same flood through the relay at ${RAISED_BYTES_PER_SECOND >> 20} MiB/s/conn (a larger window): Ctrl-C -> prompt`,
      (r) => r.floodRaised.ctrlCMs,
    );
    perRun("  flood ends at the hub -> phone's screen equals the hub's", (r) => r.floodRaised.convergeMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
