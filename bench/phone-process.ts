/**
 * The handle of the benchmark's phone process (bench/terminal-phone-serve.ts): starts it,
 * sends it one row at a time and waits for the answer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { EchoMark, FloodPhoneSide, FloodSettings, Latency } from "./terminal-phone";

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  onEvent?: (event: unknown) => void;
}

export class PhoneProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited = false;

  /** The process id, for its CPU time (bench/process-cpu.ts). */
  get pid(): number {
    return this.child.pid!;
  }

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (line) => this.onLine(line));
    child.once("exit", (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`the phone process exited (${code})`));
      this.pending.clear();
    });
  }

  static start(relayUrl: string): PhoneProcess {
    const script = fileURLToPath(new URL("./terminal-phone-serve.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, relayUrl], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    return new PhoneProcess(child);
  }

  pair(uri: string): Promise<void> {
    return this.request({ cmd: "pair", uri }).then(() => undefined);
  }

  /** See echoRow: `mark` is told when the timed keystrokes start and end; `cpuMs` is the phone process's CPU. */
  echo(
    samples: number,
    gapMs: number,
    warmup: number,
    mark?: EchoMark,
  ): Promise<{ drawn: Latency; arrived: Latency; cpuMs: number }> {
    return this.request({ cmd: "echo", samples, gapMs, warmup }, (e) =>
      mark?.((e as { phase: "start" | "end" }).phase),
    ) as Promise<{ drawn: Latency; arrived: Latency; cpuMs: number }>;
  }

  /** `bytes`: output as UTF-8 bytes (the phone app's way); false: as JSON text. */
  cat(file: string, bytes = true): Promise<{ units: number; ms: number; gaps: number; frames: number }> {
    return this.request({ cmd: "cat", file, bytes }) as Promise<{
      units: number;
      ms: number;
      gaps: number;
      frames: number;
    }>;
  }

  /** `opened` learns the flood's terminal id before the flood starts. */
  flood(settings: FloodSettings, opened: (term: string) => void): Promise<FloodPhoneSide> {
    return this.request({ cmd: "flood", settings }, (e) =>
      opened((e as { term: string }).term),
    ) as Promise<FloodPhoneSide>;
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.stdin!.end();
    });
  }

  private request(body: object, onEvent?: (event: unknown) => void): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error("the phone process has exited"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onEvent ? { onEvent } : {}) });
      this.child.stdin!.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  private onLine(line: string): void {
    let m: { id?: number; result?: unknown; error?: string; event?: unknown };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      process.stderr.write(`phone: ${line}\n`);
      return;
    }
    const p = m.id === undefined ? undefined : this.pending.get(m.id);
    if (!p) return;
    if (m.event !== undefined) return p.onEvent?.(m.event);
    this.pending.delete(m.id!);
    if (m.error !== undefined) p.reject(new Error(`phone: ${m.error}`));
    else p.resolve(m.result);
  }
}
