import type { FileAck } from "../app/files";

/** What to do with a chunk that arrived. */
export type ChunkVerdict =
  /** The next bytes in order: keep them, then call `kept`. */
  | { kind: "accept" }
  /** Bytes already held (a late or repeated chunk): ignore it. */
  | { kind: "duplicate" }
  /** A chunk went missing before this one: ignore it; send `ack` (a resend request) if given. */
  | { kind: "gap"; ack?: FileAck };

/**
 * The receiving side's bookkeeping for one transfer (docs/protocol.md section
 * 11, "Files"): bytes are kept only in order, so `received` is always a
 * prefix of the file and the resume point after any failure. Acks go out
 * every `ackEveryBytes` and at the end; a gap asks once for a resend from
 * `received` (not once per chunk that follows the gap, which would make the
 * sender rewind again and again).
 */
export class ChunkReceiver {
  private lastAcked: number;
  private resendAskedAt = -1;

  constructor(
    readonly xfer: string,
    private readonly size: number,
    private receivedBytes: number,
    private readonly ackEveryBytes: number,
  ) {
    this.lastAcked = receivedBytes;
  }

  get received(): number {
    return this.receivedBytes;
  }

  get complete(): boolean {
    return this.receivedBytes >= this.size;
  }

  offer(offset: number, length: number): ChunkVerdict {
    if (offset + length > this.size || length === 0) return { kind: "duplicate" };
    if (offset === this.receivedBytes) return { kind: "accept" };
    if (offset < this.receivedBytes) return { kind: "duplicate" };
    if (this.resendAskedAt === this.receivedBytes) return { kind: "gap" };
    this.resendAskedAt = this.receivedBytes;
    return { kind: "gap", ack: this.resend() };
  }

  /** `length` bytes of an accepted chunk are stored: the ack to send now, if one is due. */
  kept(length: number): FileAck | null {
    this.receivedBytes += length;
    if (this.receivedBytes - this.lastAcked >= this.ackEveryBytes || this.complete) {
      this.lastAcked = this.receivedBytes;
      return { xfer: this.xfer, received: this.receivedBytes };
    }
    return null;
  }

  /** Asks the sender to go on from what is held (nothing came for a while, or a reconnect). */
  resend(): FileAck {
    this.lastAcked = this.receivedBytes;
    return { xfer: this.xfer, received: this.receivedBytes, resend: true };
  }
}
