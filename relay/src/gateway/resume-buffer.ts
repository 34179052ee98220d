/**
 * The recent events of one session, kept so that a resumed connection can
 * get what it missed (docs/protocol.md section 4). Holds encoded messages: a
 * replay writes them again byte for byte, with their original `s`.
 *
 * Events are numbered consecutively, so only the oldest one's `s` is kept.
 * A JSON event is kept as its text. A binary FRAME (docs/protocol.md section
 * 5, "Binary frames") is written straight into this buffer's byte chunks
 * (`appendBinary`) and the socket is handed a view of those bytes: per
 * binary FRAME the buffer keeps only its length, a small integer, so a stream
 * of frames leaves the garbage collector one chunk to trace per many frames
 * rather than an object each (issue 12, the relay's CPU per forwarded frame).
 * Chunks are written once and never changed, so a view a socket still holds
 * stays valid after its event has been dropped here.
 */

/** Size of the first chunk of binary FRAME bytes; each next one doubles, up to CHUNK_MAX_BYTES. */
const CHUNK_MIN_BYTES = 4 * 1024;
const CHUNK_MAX_BYTES = 64 * 1024;

export class ResumeBuffer {
  /** Per event, oldest first from `head`: its JSON text, or the byte length of a binary FRAME kept in `chunks`. */
  private events: (string | number)[] = [];
  private head = 0;
  /** `s` of the event at `head`. */
  private firstS = 0;
  private bytes = 0;
  /** Binary FRAMEs kept (their bytes are in `chunks`). */
  private binaryCount = 0;
  /**
   * Bytes of binary FRAMEs, oldest first, laid out in event order: a FRAME
   * that does not fit in the rest of a chunk starts the next one. The oldest
   * kept FRAME is the first at or after `headAt` in chunks[0] by that rule.
   */
  private chunks: Buffer[] | null = null;
  private headAt = 0;
  /** Where the next binary FRAME goes in the last chunk. */
  private tailAt = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.events.length - this.head;
  }

  /** Keeps a JSON event; `s` follows the previous event's. */
  push(s: number, text: string): void {
    this.add(s, text, text.length);
  }

  /**
   * Keeps a binary FRAME of `length` bytes with sequence `s` (following the
   * previous event's) and returns the place for its bytes, which the caller
   * fills at once and may then hand to a socket as the message itself.
   */
  appendBinary(s: number, length: number): Buffer {
    const chunks = (this.chunks ??= []);
    let last = chunks[chunks.length - 1];
    if (last === undefined || this.tailAt + length > last.length) {
      const next = Math.min(CHUNK_MAX_BYTES, last === undefined ? CHUNK_MIN_BYTES : last.length * 2);
      // Its own memory, not a slice of Node's shared pool: a kept chunk holds no unrelated bytes alive.
      last = Buffer.allocUnsafeSlow(Math.max(next, length));
      chunks.push(last);
      this.tailAt = 0;
    }
    const at = this.tailAt;
    this.tailAt += length;
    this.binaryCount += 1;
    this.add(s, length, length);
    return last.subarray(at, at + length);
  }

  /** Keeps a copy of a binary FRAME (a session moved here from another node). */
  pushBinary(s: number, message: Buffer): void {
    message.copy(this.appendBinary(s, message.length));
  }

  /**
   * Events after `seq`, or null if some of them are no longer kept.
   * `lastS` is the session's latest sequence number. Binary FRAMEs are views
   * of the kept bytes.
   */
  after(seq: number, lastS: number): (string | Buffer)[] | null {
    if (seq > lastS) return null;
    if (seq === lastS) return [];
    if (this.size === 0 || this.firstS > seq + 1) return null;
    const from = this.head + (seq + 1 - this.firstS);
    const out: (string | Buffer)[] = [];
    let chunk = 0;
    let at = this.headAt;
    for (let i = this.head; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (typeof event === "string") {
        if (i >= from) out.push(event);
        continue;
      }
      if (at + event > this.chunks![chunk]!.length) {
        chunk += 1;
        at = 0;
      }
      if (i >= from) out.push(this.chunks![chunk]!.subarray(at, at + event));
      at += event;
    }
    return out;
  }

  private add(s: number, event: string | number, length: number): void {
    if (this.size === 0) this.firstS = s;
    else if (s !== this.firstS + this.size)
      throw new Error(`resume event ${s} does not follow ${this.firstS + this.size - 1}`);
    // Most sessions hold one event (READY) for good: an array literal is sized for it, where a
    // first push would reserve room for 17 (docs/relay.md, "Memory and CPU per connection").
    if (this.events.length === 0) this.events = [event];
    else this.events.push(event);
    this.bytes += length;
    // Keep at most maxEvents and maxBytes, but always the newest event.
    while (this.size > 1 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) this.dropOldest();
    // Compact now and then instead of shifting on every drop.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
  }

  private dropOldest(): void {
    const event = this.events[this.head]!;
    this.head += 1;
    this.firstS += 1;
    if (typeof event === "string") {
      this.bytes -= event.length;
      return;
    }
    this.bytes -= event;
    const chunks = this.chunks!;
    // Past the end of the first chunk: the FRAME starts the next one, and the first is done with.
    if (this.headAt + event > chunks[0]!.length) {
      chunks.shift();
      this.headAt = 0;
    }
    this.headAt += event;
    this.binaryCount -= 1;
    if (this.binaryCount === 0) {
      // No FRAME bytes left: only the last chunk stays, for the next FRAMEs.
      this.chunks = [chunks[chunks.length - 1]!];
      this.headAt = this.tailAt;
    }
  }
}
