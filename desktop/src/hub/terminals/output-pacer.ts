/** Limits on terminal output sent to devices through the relay; each a named setting. */
export interface PacerSettings {
  /**
   * Frames per second for all terminal streams together. The relay allows
   * 200 ops/s per connection (docs/protocol.md section 2) and closes a client that
   * passes it; half is left for RPC answers, pushes, ACKs and heartbeats.
   */
  opsPerSecond: number;
  /** Output characters per second for all streams (sealed and base64url'd, ~1.4 bytes each; the relay allows 8 MiB/s). */
  charsPerSecond: number;
  /** Largest `data` of one frame, in characters (frames stay far below the 512 KiB body limit). */
  maxFrameChars: number;
  /** Output waiting per terminal beyond which it is dropped; the device sees a gap and fetches a snapshot. */
  maxBufferedChars: number;
}

export const PACER_DEFAULTS: Readonly<PacerSettings> = Object.freeze({
  opsPerSecond: 100,
  charsPerSecond: 4 * 1024 * 1024,
  maxFrameChars: 128 * 1024,
  maxBufferedChars: 4 * 1024 * 1024,
});

interface Stream {
  owner: string;
  pending: string[];
  pendingChars: number;
  /** Sequence number of the last frame sent (or skipped, for a gap). */
  seq: number;
}

export type StreamSend = (owner: string, term: string, seq: number, data: string) => void;

/**
 * Paces terminal output to devices: small pieces are merged into frames of
 * up to `maxFrameChars`, and frames leave at most at the settings' rates,
 * so a `cat` of a large file cannot get the hub's relay connection closed
 * for flooding. Frames are numbered per terminal from 1; when a terminal
 * outruns its budget its backlog is dropped and one number is skipped, which
 * tells the device to fetch `term.snapshot`.
 */
export class OutputPacer {
  private readonly streams = new Map<string, Stream>();
  private ops: number;
  private chars: number;
  private last: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Round-robin start, so one chatty terminal does not starve the others. */
  private turn = 0;

  constructor(
    private readonly settings: PacerSettings,
    private readonly send: StreamSend,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.ops = settings.opsPerSecond / 10;
    this.chars = settings.charsPerSecond / 10;
    this.last = this.now();
  }

  open(term: string, owner: string): void {
    this.streams.set(term, { owner, pending: [], pendingChars: 0, seq: 0 });
  }

  push(term: string, data: string): void {
    const s = this.streams.get(term);
    if (!s) return;
    s.pending.push(data);
    s.pendingChars += data.length;
    if (s.pendingChars > this.settings.maxBufferedChars) this.skip(s);
    this.pump();
  }

  /**
   * Drops what waits (the caller is about to hand out a snapshot holding it)
   * and returns the number the snapshot stands for: the next frame follows it.
   */
  cut(term: string): number {
    const s = this.streams.get(term);
    if (!s) return 0;
    if (s.pendingChars > 0) this.skip(s);
    return s.seq;
  }

  close(term: string): void {
    this.streams.delete(term);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.streams.clear();
  }

  private skip(s: Stream): void {
    s.pending = [];
    s.pendingChars = 0;
    s.seq++;
  }

  private refill(): void {
    const t = this.now();
    const dt = Math.max(0, t - this.last) / 1000;
    this.last = t;
    // Buckets hold a tenth of a second: bursts stay small against the relay's own bucket.
    this.ops = Math.min(this.settings.opsPerSecond / 10, this.ops + dt * this.settings.opsPerSecond);
    this.chars = Math.min(this.settings.charsPerSecond / 10, this.chars + dt * this.settings.charsPerSecond);
  }

  private pump(): void {
    if (this.timer !== undefined) return;
    this.refill();
    const ready = [...this.streams.entries()].filter(([, s]) => s.pendingChars > 0);
    if (ready.length === 0) return;
    for (let i = 0; i < ready.length && this.ops >= 1 && this.chars >= 1; i++) {
      const [term, s] = ready[(this.turn + i) % ready.length]!;
      const data = take(s, Math.min(this.settings.maxFrameChars, Math.floor(this.chars)));
      this.ops -= 1;
      this.chars -= data.length;
      s.seq++;
      this.send(s.owner, term, s.seq, data);
    }
    this.turn++;
    if ([...this.streams.values()].some((s) => s.pendingChars > 0)) {
      const waitOps = this.ops >= 1 ? 0 : ((1 - this.ops) / this.settings.opsPerSecond) * 1000;
      const waitChars = this.chars >= 1 ? 0 : ((1 - this.chars) / this.settings.charsPerSecond) * 1000;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.max(1, Math.ceil(Math.max(waitOps, waitChars))));
    }
  }
}

/** Takes up to `max` characters off the front of a stream's pending pieces. */
function take(s: Stream, max: number): string {
  let out = "";
  while (s.pending.length > 0 && out.length < max) {
    const head = s.pending[0]!;
    const room = max - out.length;
    if (head.length <= room) {
      out += head;
      s.pending.shift();
    } else {
      out += head.slice(0, room);
      s.pending[0] = head.slice(room);
    }
  }
  s.pendingChars -= out.length;
  return out;
}
