import type { Logger } from "pino";
import type { TaskRepo } from "./ports";

/**
 * Collects a running task's output and appends it to the store in batches (every
 * `flushMs`, or at once past `flushChars`), never one write per pty chunk. Writes are
 * chained so they land in order. Once closed it writes nothing more: output that
 * arrives after the task was recorded as ended (or after the hub stopped) is dropped,
 * since the store may already be closed.
 */
export class OutputFlusher {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private dropped = 0;

  constructor(
    private readonly repo: Pick<TaskRepo, "appendOutput">,
    private readonly taskId: string,
    private readonly flushMs: number,
    private readonly flushChars: number,
    private readonly log: Logger,
  ) {}

  push(text: string): void {
    if (this.closed) {
      if (this.dropped++ === 0) this.log.debug({ task: this.taskId }, "output after the task ended dropped");
      return;
    }
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= this.flushChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Starts writing what is waiting; resolves when every write so far has landed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingChars > 0) {
      const data = this.pending.join("");
      this.pending = [];
      this.pendingChars = 0;
      this.chain = this.chain.then(() =>
        this.repo.appendOutput(this.taskId, data).catch((err: unknown) => {
          this.log.error({ err, task: this.taskId }, "could not store task output");
        }),
      );
    }
    return this.chain;
  }

  /** Writes what is waiting, then accepts nothing more; resolves when every write has landed. */
  close(): Promise<void> {
    const done = this.flush();
    this.closed = true;
    return done;
  }
}
