import { stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import * as pty from "node-pty";
import { ExecutorError } from "./errors";
import { ptyMasterSide, PtyWriter } from "./pty-writer";
import { Utf8Chunks } from "./utf8-chunks";

/**
 * One process in a pseudo-terminal, read as raw bytes (`encoding: null`, the fast path:
 * node-pty's own string decoding costs throughput). Each read is handed out as its text and
 * its bytes, both ending at a character boundary: the bytes of a character split across two
 * reads wait for the rest (`Utf8Chunks`), so neither form is ever mangled, and a viewer that
 * takes bytes gets the pty's own without a UTF-8 round trip.
 */
export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** When true, `env` is the child's whole environment: nothing is inherited from the hub (sandboxed tasks). */
  exactEnv?: boolean;
  cols: number;
  rows: number;
}

export interface PtyExit {
  /** The exit status; for a process killed by a signal, 128 + the signal number (the shell convention). */
  exitCode: number;
  signal: number | null;
}

export interface PtyProcess {
  readonly pid: number;
  /** `bytes` are the UTF-8 that `text` decodes from (a view: copy it to keep it past the listener). */
  onText(listener: (text: string, bytes: Uint8Array) => void): void;
  /** Fires once, after the last output has been delivered. */
  onExit(listener: (exit: PtyExit) => void): void;
  /** Throws ExecutorError("limit_reached") while the program leaves more than 1 MiB of input unread. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** The name of the process in the terminal's foreground now (node-pty reads the tty's foreground process group). */
  foreground(): string;
  /** Stops reading the pty: the kernel's buffer fills and the program blocks on its writes (flow control). */
  pause(): void;
  resume(): void;
}

/** Checks that a working directory is absolute, exists and is a directory. */
export async function checkCwd(cwd: string): Promise<void> {
  if (!isAbsolute(cwd)) throw new ExecutorError("bad_cwd", `working directory ${cwd} is not an absolute path`);
  const info = await stat(cwd).catch(() => null);
  if (!info?.isDirectory())
    throw new ExecutorError("bad_cwd", `working directory ${cwd} does not exist or is not a directory`);
}

/**
 * The environment of an unsandboxed child: the hub's own, the pty's terminal type, then `extra` (an approval's digest
 * covers it).
 */
export function childEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.TERM = "xterm-256color";
  env.COLORTERM = "truecolor";
  return { ...env, ...extra };
}

/** Starts `file args` in a new pty; throws ExecutorError("spawn_failed") if it cannot. */
export function spawnPty(opts: PtySpawnOptions): PtyProcess {
  let proc: pty.IPty;
  try {
    proc = pty.spawn(opts.file, opts.args, {
      name: "xterm-256color",
      cwd: opts.cwd,
      env: opts.exactEnv ? { ...opts.env } : childEnv(opts.env),
      cols: opts.cols,
      rows: opts.rows,
      encoding: null,
    });
  } catch (err) {
    throw new ExecutorError("spawn_failed", `could not start ${opts.file}: ${(err as Error).message}`);
  }
  // Keystrokes go straight to the pty (pty-writer.ts); node-pty's thread-pool write where there is no fd.
  const side = ptyMasterSide(proc);
  const writer = side === null ? null : new PtyWriter(side);
  // Each call decodes whole characters: a BOM inside the stream is text like any other.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const textListeners: ((text: string, bytes: Uint8Array) => void)[] = [];
  const exitListeners: ((exit: PtyExit) => void)[] = [];
  const chunks = new Utf8Chunks();
  const emit = (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    const text = decoder.decode(bytes);
    for (const l of textListeners) l(text, bytes);
  };
  // With `encoding: null` node-pty hands out Buffers although its typings say string.
  proc.onData((data: string | Buffer) =>
    emit(chunks.push(typeof data === "string" ? Buffer.from(data, "utf8") : data)),
  );
  proc.onExit(({ exitCode, signal }) => {
    writer?.close();
    emit(chunks.end());
    const sig = signal ? signal : null;
    const exit: PtyExit = { exitCode: sig ? 128 + sig : exitCode, signal: sig };
    for (const l of exitListeners) l(exit);
  });
  return {
    pid: proc.pid,
    onText: (l) => void textListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    write: (data) => (writer ? writer.write(data) : proc.write(data)),
    resize: (cols, rows) => proc.resize(cols, rows),
    foreground: () => proc.process,
    pause: () => proc.pause(),
    resume: () => proc.resume(),
  };
}
