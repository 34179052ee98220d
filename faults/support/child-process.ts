/**
 * A real child process with its own log file (artifacts/faults/<run>/<name>.log):
 * stdout and stderr both go there, so a failing scenario can be read after the
 * fact. SIGKILL and graceful stop, and a promise of the exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, RUN_ID } from "./run-id";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** True until the process exits. */
  readonly running: boolean;
  /** Sends SIGKILL and waits for the exit. */
  kill(): Promise<Exit>;
  /** Sends SIGTERM, waits up to `graceMs`, then SIGKILL. */
  stop(graceMs?: number): Promise<Exit>;
  /** Waits until the log contains a line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The log so far. */
  log(): string;
}

export const LOG_DIR = join(REPO_ROOT, "artifacts", "faults", RUN_ID);

/** Starts `command args` in the repo root. `name` names its log file (unique per run). */
export function spawnChild(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): ChildHandle {
  mkdirSync(LOG_DIR, { recursive: true });
  const logPath = join(LOG_DIR, `${name}.log`);
  const out = createWriteStream(logPath, { flags: "a" });
  const child: ChildProcess = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  let text = "";
  const watchers = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of watchers) w();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  let running = true;
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      out.write(`\n[fault-suite] ${name} exited code=${code} signal=${signal}\n`);
      for (const w of watchers) w();
      resolve({ code, signal });
    });
  });
  exited.then(
    () => setTimeout(() => out.end(), 100),
    () => undefined,
  );
  if (child.pid === undefined) throw new Error(`cannot start ${command}`);
  const handle: ChildHandle = {
    name,
    pid: child.pid,
    logPath,
    exited,
    get running() {
      return running;
    },
    async kill() {
      if (running) child.kill("SIGKILL");
      return exited;
    },
    async stop(graceMs = 5000) {
      if (!running) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
    waitForLog(pattern, timeoutMs = 30_000) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = text.split("\n").find((l) => pattern.test(l));
          if (line !== undefined) return done(() => resolve(line));
          if (!running)
            return done(() => reject(new Error(`${name} exited before logging ${pattern}; log: ${logPath}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`${name} did not log ${pattern} in ${timeoutMs} ms; log: ${logPath}`))),
          timeoutMs,
        );
        const done = (fn: () => void) => {
          clearTimeout(timer);
          watchers.delete(check);
          fn();
        };
        watchers.add(check);
        check();
      });
    },
    log: () => text || readFileSync(logPath, "utf8"),
  };
  return handle;
}

/** Starts a load client (load-client.ts) as its own process; `result` resolves to its RESULT. */
export function startLoadClient(
  name: string,
  mode: "flood" | "silent" | "badsig",
  url: string,
  n: number,
): { child: ChildHandle; result: Promise<Record<string, unknown>> } {
  const child = spawnChild(name, process.execPath, [
    "--import",
    "tsx",
    "faults/support/load-client.ts",
    mode,
    url,
    String(n),
  ]);
  const result = child.exited.then((exit) => {
    const line = child
      .log()
      .split("\n")
      .find((l) => l.startsWith("RESULT "));
    if (exit.code !== 0 || line === undefined)
      throw new Error(`${name} failed (code ${exit.code}); log: ${child.logPath}`);
    return JSON.parse(line.slice("RESULT ".length)) as Record<string, unknown>;
  });
  return { child, result };
}

/** Runs a load client to its end; resolves to its RESULT. */
export function runLoadClient(
  name: string,
  mode: "flood" | "silent" | "badsig",
  url: string,
  n: number,
): Promise<Record<string, unknown>> {
  return startLoadClient(name, mode, url, n).result;
}
