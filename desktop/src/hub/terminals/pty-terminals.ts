import { randomUUID } from "node:crypto";
import { pino, type Logger } from "pino";
import { ChunkRing, type RingChunk } from "../executor/chunk-ring";
import { ExecutorError } from "../executor/errors";
import { terminateSession } from "../executor/session-kill";
import { checkCwd, spawnPty, type PtyProcess } from "../executor/pty-process";
import { resolveExecutorSettings, type ExecutorSettings } from "../executor/settings";

export interface TerminalOutputEvent {
  id: string;
  /** Increases by one per event of this terminal; a gap means frames were lost. */
  seq: number;
  data: string;
  /** The UTF-8 that `data` decodes from, whole characters (for a viewer that takes bytes). */
  bytes: Uint8Array;
}

export interface TerminalExitEvent {
  id: string;
  owner: string;
  exitCode: number;
  signal: number | null;
}

export interface OpenTerminalRequest {
  cols: number;
  rows: number;
  cwd?: string | null;
  /** The device that opened it (limits are counted per owner). */
  owner: string;
  /** An id chosen in advance (a terminal approved before it opens); default: a fresh UUID. */
  id?: string;
}

export interface TerminalInfo {
  id: string;
  owner: string;
  cols: number;
  rows: number;
  pid: number;
  exited: boolean;
}

interface Terminal {
  info: TerminalInfo;
  proc: PtyProcess;
  ring: ChunkRing;
}

export interface TerminalManagerOptions {
  settings?: Partial<ExecutorSettings>;
  log?: Logger;
}

/**
 * Interactive terminals on node-pty. Output is numbered per read of the pty and kept
 * as scrollback, so a phone that reconnects can fetch the screen (`snapshot`) or the
 * events it missed (`since`). An exited terminal's scrollback stays fetchable for
 * `exitedRetentionMs`.
 *
 * @example const { id } = await terms.open({ cols: 80, rows: 24, owner: deviceId }); terms.input(id, "ls\r");
 */
export class TerminalManager {
  private readonly settings: ExecutorSettings;
  private readonly log: Logger;
  private readonly terminals = new Map<string, Terminal>();
  private readonly outputListeners = new Set<(e: TerminalOutputEvent) => void>();
  private readonly exitListeners = new Set<(e: TerminalExitEvent) => void>();

  constructor(opts: TerminalManagerOptions = {}) {
    this.settings = resolveExecutorSettings(opts.settings);
    this.log = (opts.log ?? pino()).child({ mod: "hub/terminals/pty-terminals" });
  }

  onOutput(listener: (e: TerminalOutputEvent) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  onExit(listener: (e: TerminalExitEvent) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  async open(req: OpenTerminalRequest): Promise<{ id: string }> {
    this.checkSize(req.cols, req.rows);
    if (typeof req.owner !== "string" || req.owner.length === 0)
      throw new ExecutorError("bad_request", "a terminal needs an owner");
    const open = [...this.terminals.values()].filter((t) => t.info.owner === req.owner && !t.info.exited).length;
    if (open >= this.settings.maxTerminalsPerDevice)
      throw new ExecutorError("limit_reached", `at most ${this.settings.maxTerminalsPerDevice} terminals per device`);
    if (req.id !== undefined && (typeof req.id !== "string" || req.id.length === 0 || this.terminals.has(req.id)))
      throw new ExecutorError("bad_request", "that terminal id is taken");
    const cwd = req.cwd ?? this.settings.defaultCwd;
    await checkCwd(cwd);
    const proc = spawnPty({
      file: this.settings.terminalShell,
      args: this.settings.terminalShellArgs,
      cwd,
      cols: req.cols,
      rows: req.rows,
    });
    const id = req.id ?? randomUUID();
    const ring = new ChunkRing(this.settings.scrollbackKeep);
    const info: TerminalInfo = { id, owner: req.owner, cols: req.cols, rows: req.rows, pid: proc.pid, exited: false };
    this.terminals.set(id, { info, proc, ring });
    // Each read goes out at once (no timer: a keystroke's echo must not wait); merging, when a backlog
    // builds up, is OutputFlow's job (terminals/output-flow.ts).
    proc.onText((data, bytes) => {
      const seq = ring.push(data);
      for (const l of this.outputListeners) l({ id, seq, data, bytes });
    });
    proc.onExit((exit) => {
      info.exited = true;
      this.log.info({ id, exitCode: exit.exitCode }, "terminal exited");
      for (const l of this.exitListeners) l({ id, owner: info.owner, exitCode: exit.exitCode, signal: exit.signal });
      setTimeout(() => this.terminals.delete(id), this.settings.exitedRetentionMs).unref();
    });
    this.log.info({ id, owner: req.owner, pid: proc.pid }, "terminal opened");
    return { id };
  }

  input(id: string, data: string): void {
    const t = this.live(id);
    if (typeof data !== "string" || data.length > this.settings.maxInputChars)
      throw new ExecutorError(
        "bad_request",
        `input must be a string of at most ${this.settings.maxInputChars} characters`,
      );
    t.proc.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const t = this.live(id);
    this.checkSize(cols, rows);
    t.proc.resize(cols, rows);
    t.info.cols = cols;
    t.info.rows = rows;
  }

  /**
   * Stops reading a terminal's pty (OutputFlow's high watermark): its program blocks on its writes
   * once the kernel's buffer is full. `resume` reads on. Harmless on an exited or unknown terminal.
   */
  pause(id: string): void {
    const t = this.terminals.get(id);
    if (t && !t.info.exited) t.proc.pause();
  }

  resume(id: string): void {
    this.terminals.get(id)?.proc.resume();
  }

  /** Ends every process of the terminal (SIGHUP, as closing a terminal window does) and forgets it. */
  async close(id: string): Promise<void> {
    const t = this.get(id);
    this.terminals.delete(id);
    // A paused pty would hold its last output, and with it the exit, back.
    t.proc.resume();
    if (!t.info.exited) await terminateSession(t.info.pid, this.settings.killGraceMs, "SIGHUP");
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.terminals.keys()].map((id) => this.close(id)));
  }

  /** The scrollback held, and the sequence number of the last event it includes. */
  snapshot(id: string): { seq: number; data: string } {
    return this.get(id).ring.snapshot();
  }

  /** Events after `seq`, or null when the scrollback no longer covers the gap (fetch a snapshot instead). */
  since(id: string, seq: number): RingChunk[] | null {
    if (!Number.isInteger(seq) || seq < 0) throw new ExecutorError("bad_request", "seq must be a non-negative integer");
    return this.get(id).ring.since(seq);
  }

  info(id: string): TerminalInfo {
    return { ...this.get(id).info };
  }

  /**
   * The program in the terminal's foreground ("bash" at the prompt, "sleep" while it runs), or null once exited or
   * unknown.
   */
  foreground(id: string): string | null {
    const t = this.terminals.get(id);
    if (!t || t.info.exited) return null;
    try {
      // node-pty gives the program as started ("/bin/sh"); its name is what a person recognises.
      return t.proc.foreground().split("/").pop() || null;
    } catch {
      return null; // the tty closed between the check and the read
    }
  }

  list(owner?: string): TerminalInfo[] {
    return [...this.terminals.values()]
      .filter((t) => owner === undefined || t.info.owner === owner)
      .map((t) => ({ ...t.info }));
  }

  private get(id: string): Terminal {
    const t = this.terminals.get(id);
    if (!t) throw new ExecutorError("not_found", `no terminal ${id}`);
    return t;
  }

  private live(id: string): Terminal {
    const t = this.get(id);
    if (t.info.exited) throw new ExecutorError("bad_request", `terminal ${id} has exited`);
    return t;
  }

  private checkSize(cols: number, rows: number): void {
    const ok = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
    if (!ok(cols, this.settings.maxCols) || !ok(rows, this.settings.maxRows))
      throw new ExecutorError(
        "bad_request",
        `terminal size must be 1..${this.settings.maxCols} columns and 1..${this.settings.maxRows} rows`,
      );
  }
}
