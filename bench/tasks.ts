/**
 * Task start-up benchmark: what the OS sandbox adds to a one-shot task. Each command
 * runs to completion through the executor's `runTask` (real pty, drain wrapper),
 * unsandboxed (the baseline, measured in the same run) and inside the bubblewrap
 * sandbox with its seccomp filter (hub/sandbox). Runs alternate between the two so
 * machine noise hits both alike. Target: under 30 ms added at p50 (issue 10).
 *
 * Wall time grows with the machine's load (every process start waits for a CPU), so
 * the table also shows the CPU time each task's processes used (user + system, from
 * this process's reaped-children counters), which load does not inflate.
 *
 *   npm run bench:tasks                 # 50 runs per row
 *   npm run bench:tasks -- --runs 200
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { runTask } from "../desktop/src/hub/tasks/task-process";
import { detectSandbox, type SandboxSpec, type SandboxStatus } from "../desktop/src/hub/sandbox";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "50" } } });
const RUNS = Number(args.runs);
/** Commands timed: the smallest possible task, and a typical read-only one. */
const COMMANDS = ["true", "ls -la"];
/** Runs discarded first (page cache, JIT). */
const WARMUP = 3;

const log = pino({ level: "silent" });
/** Clock ticks per second of /proc/<pid>/stat's time fields (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU ms used by this process's reaped children (and theirs, as each was waited for). */
function childrenCpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "latin1");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 (cutime, cstime), counted from 1 with pid and comm as 1 and 2.
  return ((Number(f[13]) + Number(f[14])) * 1000) / USER_HZ;
}

async function once(
  command: string,
  cwd: string,
  sandbox: { status: SandboxStatus; spec: SandboxSpec } | null,
): Promise<{ ms: number; cpu: number }> {
  const cpu0 = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = await (await runTask({ command, cwd, log, sandbox })).done;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.state !== "done")
    throw new Error(`${command} ${sandbox ? "sandboxed" : "unsandboxed"} ended ${r.state}: ${r.output}`);
  return { ms, cpu: childrenCpuMs() - cpu0 };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs must be a positive integer");
  const status = await detectSandbox({ log });
  if (!status.available) throw new Error(status.reason);
  const dir = mkdtempSync(join("/var/tmp", "nl-bench-tasks-"));
  const sandbox = { status, spec: { mode: "read-only", writable: [], hidden: [] } satisfies SandboxSpec };
  try {
    console.log(
      `task start-up through runTask, ${RUNS} runs per row, node ${process.version}, load ${loadavg()[0].toFixed(2)}`,
    );
    console.log(`sandbox: ${status.reason}`);
    console.log(
      [
        "row".padEnd(34),
        "p50 ms".padStart(9),
        "p99 ms".padStart(9),
        "added p50".padStart(11),
        "added p99".padStart(11),
        "CPU ms/task".padStart(13),
        "added CPU".padStart(11),
      ].join(""),
    );
    for (const command of COMMANDS) {
      const plain: number[] = [];
      const boxed: number[] = [];
      const cpu = { plain: 0, boxed: 0 };
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const a = await once(command, dir, null);
        const b = await once(command, dir, sandbox);
        if (i < WARMUP) continue;
        plain.push(a.ms);
        boxed.push(b.ms);
        cpu.plain += a.cpu / RUNS;
        cpu.boxed += b.cpu / RUNS;
      }
      plain.sort((x, y) => x - y);
      boxed.sort((x, y) => x - y);
      const added = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(1)}`;
      const row = (name: string, s: number[], c: number, base: number[] | null) =>
        console.log(
          [
            name.padEnd(34),
            pct(s, 50).toFixed(1).padStart(9),
            pct(s, 99).toFixed(1).padStart(9),
            (base ? added(pct(s, 50) - pct(base, 50)) : "").padStart(11),
            (base ? added(pct(s, 99) - pct(base, 99)) : "").padStart(11),
            c.toFixed(1).padStart(13),
            (base ? added(c - cpu.plain) : "").padStart(11),
          ].join(""),
        );
      row(`\`${command}\` unsandboxed (baseline)`, plain, cpu.plain, null);
      row(`\`${command}\` in the sandbox`, boxed, cpu.boxed, plain);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
