import type { Logger } from "pino";
import type { TaskRepo } from "./ports";

/**
 * Collects a running task's output and appends it to the store in batches (every
 * `flushMs`, or at once past `flushChars`), never one write per pty chunk. Writes are
 * chained so they land in order.
 */
export class OutputFlusher {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: Pick<TaskRepo, "appendOutput">,
    private readonly taskId: string,
    private readonly flushMs: number,
    private readonly flushChars: number,
    private readonly log: Logger,
  ) {}

  push(text: string): void {
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
}
