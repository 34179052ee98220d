/**
 * Terminal throughput benchmark.
 *
 *   npm run bench:terminal            (100 MB; BENCH_TERMINAL_MB=20 for a quicker run)
 *
 * Rows, each compared with the baseline measured in the same run:
 *   - baseline: reading the file straight from disk (fs stream)
 *   - `cat` in a pty read as raw bytes (`encoding: null`), the executor's fast path
 *   - the same plus streaming UTF-8 decoding, i.e. the executor's own spawnPty
 *   - `cat` in a pty with node-pty's built-in utf8 string decoding, for comparison
 *
 *   - `cat` in a phone's terminal through a real hub and relay (bench/terminal-relay.ts):
 *     pty -> hub (paced, sealed) -> relay -> phone client (opened), on its own smaller
 *     file (BENCH_TERMINAL_RELAY_MB, default 20)
 * and a second table: keystroke echo round trip p50/p99, local pty (baseline) and
 * phone -> relay -> hub -> pty -> relay -> phone (BENCH_TERMINAL_ECHO_SAMPLES).
 * A pty turns "\n" into "\r\n", so rows count what they receive; the ratio compares
 * rates, not totals.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pty from "node-pty";
import { spawnPty } from "../desktop/src/hub/executor/pty-process";
import { catThroughRelay, echoLocal, echoThroughRelay, RELAY_FILE_MB, type RelayRig, startRig } from "./terminal-relay";

/** Size of the generated file, MB (a named setting: large enough to swamp start-up costs). */
const FILE_MB = Number(process.env.BENCH_TERMINAL_MB ?? 100);

interface Measurement {
  /** Units received (bytes, or UTF-16 code units for decoded rows). */
  units: number;
  ms: number;
}

interface Row {
  name: string;
  run: (file: string) => Promise<Measurement>;
}

async function timed(fn: () => Promise<number>): Promise<Measurement> {
  const start = process.hrtime.bigint();
  const units = await fn();
  return { units, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** The hub, relay and paired phone of the relay-through rows, started on first use. */
let rig: RelayRig | null = null;
const getRig = async () => (rig ??= await startRig());
/** Lines printed under the table (what a rate alone does not say). */
const notes: string[] = [];

async function makeFile(dir: string, mb = FILE_MB, name = "big.txt"): Promise<string> {
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

const ROWS: Row[] = [
  {
    name: "file read directly (baseline)",
    run: (file) =>
      timed(async () => {
        let n = 0;
        for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) n += (chunk as Buffer).length;
        return n;
      }),
  },
  {
    name: "pty cat, encoding null (bytes)",
    run: (file) =>
      timed(
        () =>
          new Promise((resolve) => {
            let n = 0;
            const p = pty.spawn("/bin/cat", [file], { cols: 120, rows: 40, encoding: null });
            p.onData((d: string | Buffer) => (n += d.length));
            p.onExit(() => resolve(n));
          }),
      ),
  },
  {
    name: "pty cat, executor spawnPty (null + UTF-8 stream decode)",
    run: (file) =>
      timed(
        () =>
          new Promise((resolve) => {
            let n = 0;
            const p = spawnPty({ file: "/bin/cat", args: [file], cwd: tmpdir(), cols: 120, rows: 40 });
            p.onText((t) => (n += t.length));
            p.onExit(() => resolve(n));
          }),
      ),
  },
  {
    name: "pty cat, node-pty utf8 strings",
    run: (file) =>
      timed(
        () =>
          new Promise((resolve) => {
            let n = 0;
            const p = pty.spawn("/bin/cat", [file], { cols: 120, rows: 40 });
            p.onData((d) => (n += d.length));
            p.onExit(() => resolve(n));
          }),
      ),
  },
  {
    name: `phone terminal via hub+relay, ${RELAY_FILE_MB} MB (sealed/opened)`,
    run: async (file) => {
      const small = await makeFile(dirname(file), RELAY_FILE_MB, "relay.txt");
      const r = await catThroughRelay(await getRig(), small);
      notes.push(`relay row: ${r.frames} term.output frames opened by the phone, ${r.gaps} frames skipped by the hub's pacer (output dropped, phone would fetch a snapshot)`);
      return { units: r.units, ms: r.ms };
    },
  },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nl-bench-terminal-"));
  try {
    const file = await makeFile(dir);
    console.log(`terminal throughput, ${FILE_MB} MB file, node ${process.version}`);
    const results: { name: string; m: Measurement }[] = [];
    for (const row of ROWS) results.push({ name: row.name, m: await row.run(file) });
    const rate = (m: Measurement) => m.units / (1024 * 1024) / (m.ms / 1000);
    const base = rate(results[0].m);
    console.log(["row".padEnd(58), "received MB".padStart(12), "s".padStart(8), "MB/s".padStart(9), "vs baseline".padStart(12)].join(""));
    for (const { name, m } of results) {
      console.log([name.padEnd(58), (m.units / 1048576).toFixed(1).padStart(12), (m.ms / 1000).toFixed(2).padStart(8), rate(m).toFixed(1).padStart(9), `${(rate(m) / base).toFixed(3)}x`.padStart(12)].join(""));
    }
    for (const n of notes) console.log(n);
    const local = await echoLocal();
    const relayed = await echoThroughRelay(await getRig());
    console.log(`\nkeystroke echo round trip (ms, into \`cat\` in a pty)`);
    console.log(["row".padEnd(58), "p50".padStart(9), "p99".padStart(9), "p50 vs baseline".padStart(17)].join(""));
    for (const [name, e] of [["local pty write -> echo (baseline)", local], ["phone -> relay -> hub -> pty -> hub -> relay -> phone", relayed]] as const) {
      console.log([name.padEnd(58), e.p50.toFixed(2).padStart(9), e.p99.toFixed(2).padStart(9), `${(e.p50 / local.p50).toFixed(1)}x`.padStart(17)].join(""));
    }
  } finally {
    await rig?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
