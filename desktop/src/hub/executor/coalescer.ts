/**
 * Merges small pieces of terminal output into fewer, larger events: output is held for
 * up to `delayMs` after the first piece arrives, or sent at once when `maxChars` are
 * waiting. A phone on a slow link then gets one frame instead of hundreds of tiny ones.
 */
export class OutputCoalescer {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly maxChars: number,
    private readonly emit: (data: string) => void,
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= this.maxChars || this.delayMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Sends whatever is waiting now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingChars === 0) return;
    const data = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    this.emit(data);
  }
}
