import type { TimeoutHandle } from "./timers";

/** Client-side limits that keep a client under the relay's per-connection limits. */
export interface WritePacerSettings {
  /** Ops per second (the relay allows 200 and closes a client with 4008 past it). */
  opsPerSecond: number;
  /** Ops that may go out at once above the rate (the relay allows a burst of 400). */
  opsBurst: number;
  /** Bytes per second (the relay allows 8 MiB/s, with a burst of the same). */
  bytesPerSecond: number;
}

/**
 * Token buckets in front of the socket: writes within budget go out at once,
 * the rest wait in order and leave as the buckets refill. So a burst of
 * outbox re-sends or ACKs after a long absence cannot get the connection
 * closed for flooding. `reset` drops what waits when the connection goes.
 */
export class WritePacer {
  private ops: number;
  private bytes: number;
  private last: number;
  private readonly queue: string[] = [];
  private timer: TimeoutHandle | undefined;

  constructor(
    private readonly settings: () => WritePacerSettings,
    private readonly out: (text: string) => void,
    private readonly now: () => number,
  ) {
    this.ops = settings().opsBurst;
    this.bytes = settings().bytesPerSecond;
    this.last = now();
  }

  write(text: string): void {
    this.queue.push(text);
    this.drain();
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Sends everything waiting at once, ignoring the budget: for a connection about to close. */
  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) this.out(this.queue.shift()!);
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    const s = this.settings();
    this.ops = s.opsBurst;
    this.bytes = s.bytesPerSecond;
    this.last = this.now();
  }

  private drain(): void {
    if (this.timer !== undefined) return;
    const s = this.settings();
    const t = this.now();
    const dt = Math.max(0, t - this.last) / 1000;
    this.last = t;
    this.ops = Math.min(s.opsBurst, this.ops + dt * s.opsPerSecond);
    this.bytes = Math.min(s.bytesPerSecond, this.bytes + dt * s.bytesPerSecond);
    while (this.queue.length > 0) {
      // A message larger than the whole byte bucket still goes once the bucket is full.
      const size = Math.min(this.queue[0]!.length, s.bytesPerSecond);
      if (this.ops < 1 || this.bytes < size) break;
      this.ops -= 1;
      this.bytes -= size;
      this.out(this.queue.shift()!);
    }
    if (this.queue.length === 0) return;
    const size = Math.min(this.queue[0]!.length, s.bytesPerSecond);
    const wait = Math.max(this.ops < 1 ? (1 - this.ops) / s.opsPerSecond : 0, this.bytes < size ? (size - this.bytes) / s.bytesPerSecond : 0);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, Math.max(1, Math.ceil(wait * 1000)));
  }
}
