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
 * More rows plug into ROWS below: "through the relay to a phone client, sealed and
 * opened" and "keystroke echo round trip" are meant to be added as further entries.
 * A pty turns "\n" into "\r\n", so rows count what they receive; the ratio compares
 * rates, not totals.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pty from "node-pty";
import { spawnPty } from "../desktop/src/hub/executor/pty-process";

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

async function makeFile(dir: string): Promise<string> {
  const file = join(dir, "big.txt");
  const out = createWriteStream(file);
  // Printable ASCII lines with some UTF-8, like build logs; 1 MB per block.
  const line = "2026-11-25T08:00:00Z build step ok — compiled module with 0 warnings ..........\n";
  const block = line.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(line)));
  for (let i = 0; i < FILE_MB; i++) if (!out.write(block)) await once(out, "drain");
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
