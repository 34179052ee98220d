/**
 * The sending side of one file transfer (docs/protocol.md section 11, "Files"):
 * chunks go out as qos 0 `file.chunk` while fewer than `windowBytes` are
 * unacknowledged; each `file.ack` from the receiver moves the window on. No I/O
 * of its own: reading, sending and asking the receiver are injected, so the
 * phone (a File), the hub (a file descriptor) and the bench share it.
 *
 * Loss is repaired, never guessed: the sender goes back only when the receiver
 * says so (`resend`), or when nothing was acknowledged for `stallMs` and
 * `recover` (the phone: `files.put` again) tells it where the receiver stands.
 */
export interface ChunkSenderOptions {
  size: number;
  /** Where to start: the receiver's offset. */
  start: number;
  chunkBytes: number;
  windowBytes: number;
  /** Quiet time (no ack progress) after which `recover` is asked, ms. */
  stallMs: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Sends one chunk; false when it could not go out (offline): the sender then waits for an ack or a stall. */
  send(offset: number, data: Uint8Array): Promise<boolean>;
  /** Asks the receiver where it stands; without it a stall just keeps waiting. */
  recover?(): Promise<number>;
  /** Called with each chunk read, in file order and once per byte (for a running checksum). */
  onFirstRead?(offset: number, data: Uint8Array): void;
  onProgress?(acked: number): void;
  /** Timers, injectable for tests. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export class TransferCancelled extends Error {
  override name = "TransferCancelled";
}

export class ChunkSender {
  private acked: number;
  private next: number;
  /** Bytes passed to onFirstRead so far. */
  private firstRead: number;
  private wake: (() => void) | null = null;
  private cancelled: Error | null = null;

  constructor(private readonly o: ChunkSenderOptions) {
    this.acked = o.start;
    this.next = o.start;
    this.firstRead = o.start;
  }

  /** Bytes the receiver confirmed. */
  get ackedBytes(): number {
    return this.acked;
  }

  /** A `file.ack` arrived. */
  ack(received: number, resend = false): void {
    if (received > this.o.size || received < 0) return;
    if (received > this.acked) {
      this.acked = received;
      this.o.onProgress?.(received);
    }
    if (received > this.next) this.next = received;
    if (resend && received < this.next) this.next = Math.max(received, 0);
    this.poke();
  }

  cancel(reason: Error = new TransferCancelled("cancelled")): void {
    this.cancelled = reason;
    this.poke();
  }

  /** Sends until every byte is acknowledged; rejects on cancel or when reading fails. */
  async run(): Promise<void> {
    const { o } = this;
    while (this.acked < o.size) {
      if (this.cancelled) throw this.cancelled;
      if (this.next < o.size && this.next - this.acked < o.windowBytes) {
        const offset = this.next;
        const length = Math.min(o.chunkBytes, o.size - offset);
        const data = await o.read(offset, length);
        if (this.cancelled) throw this.cancelled;
        if (offset === this.firstRead) {
          o.onFirstRead?.(offset, data);
          this.firstRead += data.length;
        }
        // A resend may have moved `next` back while we read: then this chunk is stale.
        if (this.next !== offset) continue;
        this.next = offset + data.length;
        if (!(await o.send(offset, data))) await this.waitStall();
        continue;
      }
      await this.waitStall();
    }
  }

  /** Waits for an ack, or for a stall, then asks the receiver where it stands. */
  private async waitStall(): Promise<void> {
    const before = this.acked;
    const woke = await new Promise<boolean>((resolve) => {
      const set = this.o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
      const clear = this.o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
      const t = set(() => {
        this.wake = null;
        resolve(false);
      }, this.o.stallMs);
      this.wake = () => {
        clear(t);
        this.wake = null;
        resolve(true);
      };
    });
    if (woke || this.cancelled || this.acked !== before || !this.o.recover) return;
    const at = await this.o.recover();
    if (this.cancelled) return;
    if (at > this.acked) {
      this.acked = at;
      this.o.onProgress?.(at);
    }
    // The receiver's word is the truth: go on from where it stands.
    this.next = Math.min(at, this.o.size);
    if (at < this.acked) this.acked = at;
  }

  private poke(): void {
    this.wake?.();
  }
}
