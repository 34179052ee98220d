/**
 * Task start-up benchmark: what the OS sandbox adds to a one-shot task. Each command
 * runs to completion through the executor's `runTask` (real pty, drain wrapper),
 * unsandboxed (the baseline, measured in the same run) and inside the bubblewrap
 * sandbox with its seccomp filter (hub/sandbox). Runs alternate between the two so
 * machine noise hits both alike. Target: under 30 ms added at p50 (issue 10).
 *
 *   npm run bench:tasks                 # 50 runs per row
 *   npm run bench:tasks -- --runs 200
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { runTask } from "../desktop/src/hub/executor/run-task";
import { detectSandbox, type SandboxSpec, type SandboxStatus } from "../desktop/src/hub/sandbox";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "50" } } });
const RUNS = Number(args.runs);
/** Commands timed: the smallest possible task, and a typical read-only one. */
const COMMANDS = ["true", "ls -la"];
/** Runs discarded first (page cache, JIT). */
const WARMUP = 3;

const log = pino({ level: "silent" });

async function once(command: string, cwd: string, sandbox: { status: SandboxStatus; spec: SandboxSpec } | null): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await (await runTask({ command, cwd, log, sandbox })).done;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.state !== "done") throw new Error(`${command} ${sandbox ? "sandboxed" : "unsandboxed"} ended ${r.state}: ${r.output}`);
  return ms;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs must be a positive integer");
  const status = await detectSandbox({ log });
  if (!status.available) throw new Error(status.reason);
  const dir = mkdtempSync(join("/var/tmp", "nl-bench-tasks-"));
  const sandbox = { status, spec: { mode: "read-only", writable: [], hidden: [] } satisfies SandboxSpec };
  try {
    console.log(`task start-up through runTask, ${RUNS} runs per row, node ${process.version}, load ${loadavg()[0].toFixed(2)}`);
    console.log(`sandbox: ${status.reason}`);
    console.log(["row".padEnd(34), "p50 ms".padStart(9), "p99 ms".padStart(9), "added p50".padStart(11), "added p99".padStart(11)].join(""));
    for (const command of COMMANDS) {
      const plain: number[] = [];
      const boxed: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const a = await once(command, dir, null);
        const b = await once(command, dir, sandbox);
        if (i < WARMUP) continue;
        plain.push(a);
        boxed.push(b);
      }
      plain.sort((x, y) => x - y);
      boxed.sort((x, y) => x - y);
      const row = (name: string, s: number[], base: number[] | null) =>
        console.log([name.padEnd(34), pct(s, 50).toFixed(1).padStart(9), pct(s, 99).toFixed(1).padStart(9), (base ? `+${(pct(s, 50) - pct(base, 50)).toFixed(1)}` : "").padStart(11), (base ? `+${(pct(s, 99) - pct(base, 99)).toFixed(1)}` : "").padStart(11)].join(""));
      row(`\`${command}\` unsandboxed (baseline)`, plain, null);
      row(`\`${command}\` in the sandbox`, boxed, plain);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
