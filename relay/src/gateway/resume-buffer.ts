/**
 * The recent events of one session, kept so that a resumed connection can
 * get what it missed (docs/protocol.md section 4). Holds encoded messages: a
 * replay writes them again byte for byte, with their original `s`.
 */
export interface BufferedEvent {
  s: number;
  /** The message as written: JSON text, or a binary FRAME (docs/protocol.md section 5, "Binary frames"). */
  text: string | Buffer;
}

export class ResumeBuffer {
  private events: BufferedEvent[] = [];
  private head = 0;
  private bytes = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  push(event: BufferedEvent): void {
    // Most sessions hold one event (READY) for good: an array literal is sized for it, where a
    // first push would reserve room for 17 (docs/relay.md, "Memory and CPU per connection").
    if (this.events.length === 0) this.events = [event];
    else this.events.push(event);
    this.bytes += event.text.length;
    // Keep at most maxEvents and maxBytes, but always the newest event.
    while (this.size > 1 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) {
      this.bytes -= this.events[this.head]!.text.length;
      this.head += 1;
    }
    // Compact now and then instead of shifting on every drop.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.events.length - this.head;
  }

  /**
   * Events after `seq`, or null if some of them are no longer kept.
   * `lastS` is the session's latest sequence number.
   */
  after(seq: number, lastS: number): BufferedEvent[] | null {
    if (seq > lastS) return null;
    if (seq === lastS) return [];
    const first = this.events[this.head];
    if (first === undefined || first.s > seq + 1) return null;
    return this.events.slice(this.head + (seq + 1 - first.s));
  }
}
