import type { SandboxInfo } from "@neural-link/shared/app";
import { pino, type Logger } from "pino";
import {
  sandboxFailure,
  sandboxLaunch,
  type SandboxBlocked,
  type SandboxLaunch,
  type SandboxSettings,
  type SandboxSpec,
} from "../sandbox";
import { ChunkRing } from "../executor/chunk-ring";
import { DRAIN_WRAPPER, DrainMarkerScanner, newNonce } from "../executor/drain-marker";
import { ExecutorError } from "../executor/errors";
import { terminateSession } from "../executor/session-kill";
import { checkCwd, spawnPty } from "../executor/pty-process";
import { resolveExecutorSettings, type ExecutorSettings } from "../executor/settings";

export interface RunTaskOptions {
  command: string;
  /** Working directory; defaults to `settings.defaultCwd` (the user's home). */
  cwd?: string | null;
  /** Variables added to the hub's environment. */
  env?: Record<string, string>;
  /** Time limit, ms; defaults to `settings.defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Called with each piece of decoded output, in order. */
  onOutput?: (text: string) => void;
  settings?: Partial<ExecutorSettings>;
  log?: Logger;
  /**
   * Run inside the OS sandbox (hub/sandbox): `status` from `detectSandbox()`, `spec` what
   * the run may write. The command then sees only the sandbox's environment
   * (`sandboxEnv(env)`), not the hub's. Throws SandboxError("unavailable") when `status`
   * has no working sandbox: a sandboxed request never runs unsandboxed.
   */
  sandbox?: { status: SandboxInfo; spec: SandboxSpec; settings?: Partial<SandboxSettings> } | null;
}

export interface TaskRunResult {
  state: "done" | "failed" | "timed_out";
  /** Exit status (128 + signal number when killed by a signal). */
  exitCode: number;
  signal: number | null;
  /** The last `taskOutputKeep` code units of output. */
  output: string;
  /** All output ever produced, in code units. */
  outputChars: number;
  /**
   * Sandboxed runs only: "write" or "network" when the run failed because the sandbox
   * stopped a write or a connection (sandbox `sandboxFailure`), else null. Absent when
   * the run was not sandboxed.
   */
  sandboxBlocked?: SandboxBlocked | null;
}

export interface TaskRun {
  readonly pid: number;
  readonly done: Promise<TaskRunResult>;
  /** Ends every process the command started; the result is then "failed". */
  cancel(): void;
}

/**
 * Runs one command to completion in a pty (`<taskShell> -c`, inside the drain wrapper of
 * drain-marker.ts so no output is lost), output kept in
 * a ring buffer, every process it started ended (SIGTERM, then SIGKILL after the
 * grace period) when the time limit passes.
 *
 * With `sandbox`, the same wrapper runs inside the OS sandbox (hub/sandbox: bwrap with
 * a seccomp filter), whose processes all die with the pty's bwrap, so ending the
 * session still ends everything; the result then says whether the sandbox stopped it.
 *
 * @example const run = await runTask({ command: "ls -la", cwd, sandbox: { status, spec: { mode: "read-only", writable: [], hidden: [dataDir] } } }); (await run.done).sandboxBlocked // null | "write" | "network"
 * @example const run = await runTask({ command: "make test", cwd: "/home/me/app" }); const r = await run.done;
 */
export async function runTask(opts: RunTaskOptions): Promise<TaskRun> {
  const settings = resolveExecutorSettings(opts.settings);
  const log = (opts.log ?? pino()).child({ mod: "hub/tasks/task-process" });
  const timeoutMs = opts.timeoutMs ?? settings.defaultTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > settings.maxTimeoutMs)
    throw new ExecutorError("bad_request", `timeout must be 1..${settings.maxTimeoutMs} ms`);
  const cwd = opts.cwd ?? settings.defaultCwd;
  await checkCwd(cwd);
  const nonce = newNonce();
  const args = ["-c", DRAIN_WRAPPER, "nl-task", opts.command, nonce];
  const box: SandboxLaunch | null = opts.sandbox
    ? sandboxLaunch(
        opts.sandbox.status,
        opts.sandbox.spec,
        { file: settings.taskShell, args, cwd, env: opts.env },
        opts.sandbox.settings,
      )
    : null;
  let proc;
  try {
    proc = box
      ? spawnPty({
          file: box.file,
          args: box.args,
          cwd,
          env: box.env,
          exactEnv: true,
          cols: settings.taskCols,
          rows: settings.taskRows,
        })
      : spawnPty({
          file: settings.taskShell,
          args,
          cwd,
          env: opts.env,
          cols: settings.taskCols,
          rows: settings.taskRows,
        });
  } catch (err) {
    box?.cleanup();
    throw err;
  }
  const ring = new ChunkRing(settings.taskOutputKeep);
  const scanner = new DrainMarkerScanner(nonce);
  const deliver = (text: string) => {
    if (text.length === 0) return;
    ring.push(text);
    opts.onOutput?.(text);
  };
  proc.onText((chunk) => {
    const { text, status } = scanner.feed(chunk);
    deliver(text);
    // Everything before the marker has been read: let the wrapper exit.
    if (status !== null) proc.write("\n");
  });
  let ending: "timed_out" | "cancelled" | null = null;
  let terminated: Promise<unknown> = Promise.resolve();
  const end = (why: "timed_out" | "cancelled") => {
    if (ending) return;
    ending = why;
    log.info({ pid: proc.pid, why }, "ending task session");
    terminated = terminateSession(proc.pid, settings.killGraceMs);
  };
  const timer = setTimeout(() => end("timed_out"), timeoutMs);
  const done = new Promise<TaskRunResult>((resolve) => {
    proc.onExit(async (exit) => {
      clearTimeout(timer);
      // The shell is gone; if we are ending the task, wait until the rest of its group is too.
      deliver(scanner.flush());
      await terminated;
      box?.cleanup();
      const state = ending === "timed_out" ? "timed_out" : ending === null && exit.exitCode === 0 ? "done" : "failed";
      const output = ring.text();
      // Only a run that failed on its own can have been stopped by the sandbox (not one we ended).
      const blocked = box
        ? { sandboxBlocked: state === "failed" && ending === null ? sandboxFailure(exit.exitCode, output) : null }
        : {};
      log.debug({ pid: proc.pid, state, exitCode: exit.exitCode, ...blocked }, "task process ended");
      resolve({
        state,
        exitCode: exit.exitCode,
        signal: exit.signal,
        output,
        outputChars: ring.totalChars,
        ...blocked,
      });
    });
  });
  return { pid: proc.pid, done, cancel: () => end("cancelled") };
}
