import { writeSync } from "node:fs";
import { ExecutorError } from "./errors";

/** Input waiting for a program that does not read (a paste into `sleep`) above which more is refused. */
export const PTY_INPUT_MAX_WAITING_BYTES = 1024 * 1024;
/** How soon a pty that was full is tried again, ms. */
const RETRY_MS = 2;

/**
 * Writes keystrokes to a pty's master side at once, in the calling tick.
 *
 * node-pty writes through libuv's thread pool (an `fs.write` per call), which
 * hands every keystroke to a worker thread and back; on an idle machine that
 * hop cost ~0.15 ms of each echo (`npm run bench:terminal`). The master side is
 * non-blocking, so a direct write either takes the bytes or says EAGAIN; what
 * does not fit waits here, in order, and is tried again shortly. Everything
 * goes through this writer, so nothing can overtake what waits.
 *
 * The descriptor belongs to node-pty, which closes it when the program's side
 * goes away; a number once closed can be handed to the next file or socket the
 * process opens. So every write first asks whether node-pty's stream over it
 * was destroyed (`MasterSide.isOpen`): destroy() marks the stream before it
 * closes the descriptor, in the same call, so no write can land on a reused number.
 */
export class PtyWriter {
  private readonly waiting: Buffer[] = [];
  private waitingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly side: MasterSide) {}

  write(data: string): void {
    if (this.closed || data.length === 0) return;
    const bytes = Buffer.from(data, "utf8");
    if (this.waitingBytes + bytes.length > PTY_INPUT_MAX_WAITING_BYTES)
      throw new ExecutorError("limit_reached", "the program is not reading its input; wait, or interrupt it");
    this.waiting.push(bytes);
    this.waitingBytes += bytes.length;
    if (this.timer === undefined) this.flush();
  }

  /** The process ended: what waits can no longer be read by anyone. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.length = 0;
    this.waitingBytes = 0;
  }

  private flush(): void {
    this.timer = undefined;
    while (this.waiting.length > 0) {
      if (!this.side.isOpen()) return this.close();
      const head = this.waiting[0]!;
      let written: number;
      try {
        written = writeSync(this.side.fd, head);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") return this.retry();
        // EIO / EBADF: the program is gone; its exit is on the way.
        return this.close();
      }
      this.waitingBytes -= written;
      if (written < head.length) {
        this.waiting[0] = head.subarray(written);
        return this.retry();
      }
      this.waiting.shift();
    }
  }

  private retry(): void {
    this.timer = setTimeout(() => this.flush(), RETRY_MS);
  }
}

/** A pty's master side: its descriptor, and whether it is still open. */
export interface MasterSide {
  fd: number;
  isOpen(): boolean;
}

/**
 * The master side of a node-pty process where node-pty keeps it on Unix: the descriptor (`_fd`) and
 * the stream that reads it (`_socket`), whose `destroyed` turns true before the descriptor is closed.
 * Null where either is missing (Windows' ConPTY, another node-pty version): the caller keeps
 * node-pty's own write.
 */
export function ptyMasterSide(proc: object): MasterSide | null {
  const { _fd: fd, _socket: socket } = proc as { _fd?: unknown; _socket?: { destroyed?: unknown } };
  if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0) return null;
  if (typeof socket !== "object" || socket === null || typeof socket.destroyed !== "boolean") return null;
  return { fd, isOpen: () => socket.destroyed === false };
}
