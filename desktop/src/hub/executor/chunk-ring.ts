/**
 * A bounded log of output chunks, each numbered with a sequence number. It keeps at
 * least the last `keep` UTF-16 code units (the oldest chunk may be cut at the front),
 * so a client can ask for everything after the last chunk it saw.
 */
export interface RingChunk {
  seq: number;
  data: string;
}

export class ChunkRing {
  private chunks: RingChunk[] = [];
  private head = 0;
  private size = 0;
  private lastSeq = 0;
  /** Sequence number of the oldest chunk still held whole; earlier ones are gone or cut. */
  private firstWholeSeq = 1;
  private total = 0;

  constructor(private readonly keep: number) {
    if (!(keep > 0)) throw new RangeError("ChunkRing needs a positive size");
  }

  /** Appends a chunk and returns its sequence number (1, 2, ...). */
  push(data: string): number {
    const seq = ++this.lastSeq;
    this.chunks.push({ seq, data });
    this.size += data.length;
    this.total += data.length;
    this.trim();
    return seq;
  }

  /** Sequence number of the newest chunk (0 before any). */
  get seq(): number {
    return this.lastSeq;
  }

  /** Code units ever pushed. */
  get totalChars(): number {
    return this.total;
  }

  /** Everything still held, and the sequence number it runs up to. */
  snapshot(): { seq: number; data: string } {
    return {
      seq: this.lastSeq,
      data: this.live()
        .map((c) => c.data)
        .join(""),
    };
  }

  /** The held text. */
  text(): string {
    return this.snapshot().data;
  }

  /** Chunks after `seq`, or null when some of them are no longer held (the caller must reset). */
  since(seq: number): RingChunk[] | null {
    if (seq >= this.lastSeq) return [];
    if (seq + 1 < this.firstWholeSeq) return null;
    return this.live().filter((c) => c.seq > seq);
  }

  private live(): RingChunk[] {
    return this.chunks.slice(this.head);
  }

  private trim(): void {
    while (this.size > this.keep) {
      const oldest = this.chunks[this.head];
      const excess = this.size - this.keep;
      if (oldest.data.length <= excess) {
        this.head++;
        this.size -= oldest.data.length;
        this.firstWholeSeq = oldest.seq + 1;
        continue;
      }
      // Cut the front of the oldest chunk, never between the halves of a surrogate pair.
      let cut = excess;
      const code = oldest.data.charCodeAt(cut);
      if (code >= 0xdc00 && code <= 0xdfff) cut++;
      this.chunks[this.head] = { seq: oldest.seq, data: oldest.data.slice(cut) };
      this.size -= cut;
      this.firstWholeSeq = oldest.seq + 1;
    }
    // Compact the backing array now and then instead of shifting on every trim.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
