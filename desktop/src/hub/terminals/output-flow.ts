import { TokenBucket } from "@neural-link/shared/flow";

/**
 * Terminal output to devices (docs/protocol.md section 11, "Terminal flow"), each number a named setting.
 * The budgets keep the hub's one relay connection under the relay's limits (200 ops/s, 8 MiB/s per
 * connection, docs/protocol.md section 2) with room left for RPC answers, pushes, ACKs and heartbeats.
 */
export interface OutputFlowSettings {
  /** Frames per second for all terminal streams together (the relay allows 200 ops/s per connection). */
  opsPerSecond: number;
  /**
   * Output characters per second for all streams. Sealed and base64url'd a character costs ~1.4 bytes
   * on the wire, so 5 MiB/s stays under the client's own 7.2 MiB/s pace (90% of the relay's 8 MiB/s).
   * A relay configured higher (and the hub's `gateway.bytesPerSecond` with it) allows more.
   */
  charsPerSecond: number;
  /** Largest `data` of one frame, in characters; cut further when its JSON would pass `maxFrameBytes`. */
  maxFrameChars: number;
  /** Largest JSON-encoded `data` of one frame, in UTF-8 bytes (under the relay's 512 KiB body, less the envelope). */
  maxFrameBytes: number;
  /**
   * A viewer that does not ack (an older phone): output waiting beyond this is dropped and one `seq` skipped (it
   * fetches a snapshot).
   */
  maxBufferedChars: number;
  /** A viewer that acks: characters sent but not acked, plus waiting, above which the pty is no longer read. */
  highWaterChars: number;
  /** ... and at or below which reading resumes. */
  lowWaterChars: number;
  /**
   * How long the pty may stay paused without the viewer acking anything, ms. Past it the viewer counts as
   * far behind: its output is dropped (the pty runs on for the desktop) until it has acked what it was
   * sent; then a frame skipping one `seq` makes it fetch a fresh snapshot instead of the backlog.
   */
  stallMs: number;
  /**
   * Frames of a viewer that acks sent ahead of its acks before output merges. Two: with one, a program's
   * second write (`cat` answering a keystroke after the tty's echo) would wait an ack's round trip, and
   * the next keystroke's echo behind it; a whole frame waiting is sent regardless.
   */
  framesAhead: number;
}

export const OUTPUT_FLOW_DEFAULTS: Readonly<OutputFlowSettings> = Object.freeze({
  opsPerSecond: 100,
  charsPerSecond: 5 * 1024 * 1024,
  maxFrameChars: 256 * 1024,
  maxFrameBytes: 500 * 1024,
  maxBufferedChars: 4 * 1024 * 1024,
  highWaterChars: 512 * 1024,
  lowWaterChars: 256 * 1024,
  stallMs: 2000,
  framesAhead: 2,
});

/** Sends one `term.output` frame. */
export type FrameOut = (owner: string, term: string, seq: number, data: string) => void;

/** Stops and restarts reading a terminal's pty (node-pty's pause/resume). */
export interface PtyValve {
  pause(term: string): void;
  resume(term: string): void;
}

interface Stream {
  owner: string;
  pending: string[];
  pendingChars: number;
  /** Number of the last frame sent (or skipped, for a gap). */
  seq: number;
  /** The viewer acks (it sent `term.ack` since its last snapshot): the pty is paused for it, nothing is dropped. */
  flow: boolean;
  sentChars: number;
  ackedChars: number;
  /** The highest frame number the viewer acked. */
  ackedSeq: number;
  /** Characters sent up to each frame number not yet acked, oldest first. */
  marks: { seq: number; chars: number }[];
  paused: boolean;
  /** Output is dropped for this viewer until it acks `behindUntil`; then it is told of the gap. */
  behindUntil: number | null;
  stallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs while merged output waits for an ack (see `sendable`). */
  holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** Send what waits even with a frame in flight (its ack was lost). */
  force: boolean;
}

/**
 * Terminal output to devices, leading edge first: output goes out at once while the budget allows
 * (a keystroke's echo never waits for a timer); only while a backlog exists are pieces merged into
 * larger frames, as the budget refills. A viewer that acks (`term.ack`) is clocked by its acks, the
 * xterm.js way: above `highWaterChars` unacked the pty is paused, at `lowWaterChars` it resumes, so a
 * fast phone gets full speed and a slow one stays current without a backlog. A viewer that never acks
 * gets the older behaviour: its backlog is dropped past `maxBufferedChars` and one `seq` skipped.
 * Streams take turns, so a flood in one terminal leaves frames for the others.
 */
export class OutputFlow {
  private readonly streams = new Map<string, Stream>();
  /**
   * Frames and characters for all streams; buckets hold a tenth of a second, so bursts stay small against the relay's
   * own.
   */
  private readonly ops: TokenBucket;
  private readonly chars: TokenBucket;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private turn = 0;

  constructor(
    private readonly settings: OutputFlowSettings,
    private readonly send: FrameOut,
    private readonly valve: PtyValve,
    now: () => number = () => performance.now(),
  ) {
    this.ops = new TokenBucket({
      ratePerSecond: settings.opsPerSecond,
      capacity: Math.max(1, settings.opsPerSecond / 10),
      clock: now,
    });
    this.chars = new TokenBucket({
      ratePerSecond: settings.charsPerSecond,
      capacity: Math.max(settings.maxFrameChars, settings.charsPerSecond / 10),
      clock: now,
    });
  }

  open(term: string, owner: string): void {
    this.streams.set(term, {
      owner,
      pending: [],
      pendingChars: 0,
      seq: 0,
      flow: false,
      sentChars: 0,
      ackedChars: 0,
      ackedSeq: 0,
      marks: [],
      paused: false,
      behindUntil: null,
      stallTimer: undefined,
      holdTimer: undefined,
      force: false,
    });
  }

  push(term: string, data: string): void {
    const s = this.streams.get(term);
    if (!s || data.length === 0) return;
    if (s.behindUntil !== null) return; // far behind: it gets a snapshot once it has caught up
    s.pending.push(data);
    s.pendingChars += data.length;
    if (!s.flow && s.pendingChars > this.settings.maxBufferedChars) this.skip(s);
    this.pump();
    if (s.flow && !s.paused && this.buffered(s) > this.settings.highWaterChars) this.pause(term, s);
  }

  /**
   * The viewer drew every frame up to `seq` (a `term.ack`); `owner` must be the stream's. Turns flow on.
   * Returns false for an ack that does not fit (another device, a number never sent).
   */
  ack(term: string, owner: string, seq: number): boolean {
    const s = this.streams.get(term);
    if (!s || s.owner !== owner || seq > s.seq) return false;
    s.flow = true;
    s.ackedSeq = Math.max(s.ackedSeq, seq);
    let progressed = false;
    while (s.marks.length > 0 && s.marks[0]!.seq <= seq) {
      s.ackedChars = s.marks.shift()!.chars;
      progressed = true;
    }
    if (s.sentChars === s.ackedChars) {
      clearTimeout(s.holdTimer);
      s.holdTimer = undefined;
    }
    if (s.behindUntil !== null && seq >= s.behindUntil) this.caughtUp(term, s);
    if (progressed && s.paused) this.armStall(term, s);
    this.pump();
    if (s.paused && this.buffered(s) <= this.settings.lowWaterChars) this.resume(term, s);
    return true;
  }

  /**
   * Drops what waits (the caller hands out a snapshot holding it) and returns the number the snapshot
   * stands for: the next frame follows it. Flow restarts off until the viewer acks again (a phone
   * reloaded with an older app does not ack, and must not hold the pty).
   */
  cut(term: string): number {
    const s = this.streams.get(term);
    if (!s) return 0;
    if (s.pendingChars > 0) this.skip(s);
    s.flow = false;
    s.behindUntil = null;
    s.marks = [];
    s.ackedChars = s.sentChars;
    s.ackedSeq = s.seq;
    if (s.paused) this.resume(term, s);
    return s.seq;
  }

  /** Characters sent and not acked, and waiting, for a stream (for tests and the bench). */
  backlog(term: string): { unacked: number; pending: number; paused: boolean; flow: boolean } | null {
    const s = this.streams.get(term);
    return s ? { unacked: s.sentChars - s.ackedChars, pending: s.pendingChars, paused: s.paused, flow: s.flow } : null;
  }

  close(term: string): void {
    const s = this.streams.get(term);
    if (s) clearTimeout(s.stallTimer);
    if (s) clearTimeout(s.holdTimer);
    this.streams.delete(term);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.streams.values()) {
      clearTimeout(s.stallTimer);
      clearTimeout(s.holdTimer);
    }
    this.streams.clear();
  }

  private buffered(s: Stream): number {
    return s.sentChars - s.ackedChars + s.pendingChars;
  }

  private pause(term: string, s: Stream): void {
    s.paused = true;
    this.valve.pause(term);
    this.armStall(term, s);
  }

  private resume(term: string, s: Stream): void {
    s.paused = false;
    clearTimeout(s.stallTimer);
    s.stallTimer = undefined;
    this.valve.resume(term);
  }

  /** Not on the interactive path: it runs only while the pty is paused and the viewer has stopped acking. */
  private armStall(term: string, s: Stream): void {
    clearTimeout(s.stallTimer);
    s.stallTimer = setTimeout(() => this.stalled(term, s), this.settings.stallMs);
    s.stallTimer.unref?.();
  }

  private stalled(term: string, s: Stream): void {
    if (this.streams.get(term) !== s || !s.paused) return;
    s.behindUntil = s.seq;
    s.pending = [];
    s.pendingChars = 0;
    this.resume(term, s);
    if (s.ackedSeq >= s.seq) this.caughtUp(term, s);
  }

  /** The far-behind viewer drew all it was sent: one skipped number makes it fetch a snapshot now. */
  private caughtUp(term: string, s: Stream): void {
    s.behindUntil = null;
    s.seq += 2;
    s.marks = [];
    s.ackedChars = s.sentChars;
    s.ackedSeq = s.seq;
    this.send(s.owner, term, s.seq, "");
  }

  private skip(s: Stream): void {
    s.pending = [];
    s.pendingChars = 0;
    s.seq++;
  }

  private pump(): void {
    if (this.timer !== undefined) return;
    // Rounds over the streams with output waiting, one frame each per round, while the budget lasts.
    for (;;) {
      const ready = [...this.streams.entries()].filter(([, s]) => this.sendable(s));
      if (ready.length === 0 || this.ops.available() < 1 || this.chars.available() < 1) break;
      for (let i = 0; i < ready.length && this.ops.available() >= 1 && this.chars.available() >= 1; i++) {
        const [term, s] = ready[(this.turn + i) % ready.length]!;
        const data = this.take(s, Math.min(this.settings.maxFrameChars, Math.floor(this.chars.available())));
        this.ops.take(1);
        this.chars.take(data.length);
        s.seq++;
        s.sentChars += data.length;
        if (s.flow) s.marks.push({ seq: s.seq, chars: s.sentChars });
        else s.ackedChars = s.sentChars;
        s.force = false;
        this.send(s.owner, term, s.seq, data);
      }
      this.turn++;
    }
    for (const [term, s] of this.streams) if (s.pendingChars > 0 && !this.sendable(s)) this.armHold(term, s);
    if (![...this.streams.values()].some((s) => this.sendable(s))) return;
    // A backlog: wait for the budget (the only timer here, and only while output is waiting).
    const wait = Math.max(this.ops.msUntil(1), this.chars.msUntil(1));
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, wait),
    );
  }

  /**
   * Leading edge: a stream with nothing in flight sends at once. While `framesAhead` frames of a viewer
   * that acks are in flight, output merges until an ack comes (then one frame takes all of it) or a whole
   * frame is waiting: so a steady stream costs a frame or two per round trip, not one per read of the pty.
   */
  private sendable(s: Stream): boolean {
    return (
      s.pendingChars > 0 &&
      (!s.flow ||
        s.force ||
        s.marks.length < this.settings.framesAhead ||
        s.pendingChars >= this.settings.maxFrameChars)
    );
  }

  /** An ack lost on the way (qos 0) must not hold merged output back for good: after `stallMs` it goes anyway. */
  private armHold(term: string, s: Stream): void {
    if (s.holdTimer !== undefined) return;
    s.holdTimer = setTimeout(() => {
      s.holdTimer = undefined;
      // A paused pty is the stall rule's to settle: this one is only for a lost ack on a running stream.
      if (this.streams.get(term) !== s || s.pendingChars === 0 || s.paused) return;
      s.force = true;
      this.pump();
    }, this.settings.stallMs);
    s.holdTimer.unref?.();
  }

  /**
   * Takes up to `max` characters off the front of a stream's pending pieces, fewer if its JSON would not fit a frame.
   */
  private take(s: Stream, max: number): string {
    let out = "";
    while (s.pending.length > 0 && out.length < max) {
      const head = s.pending[0]!;
      const room = max - out.length;
      if (head.length <= room) {
        out += head;
        s.pending.shift();
      } else {
        const cut = splitAt(head, room);
        out += head.slice(0, cut);
        s.pending[0] = head.slice(cut);
      }
    }
    // Escapes (\u001b is 6 bytes in JSON) and multi-byte characters can make a frame larger than its characters.
    while (out.length > 1 && Buffer.byteLength(JSON.stringify(out)) > this.settings.maxFrameBytes) {
      const cut = splitAt(out, Math.floor(out.length / 2));
      s.pending.unshift(out.slice(cut));
      out = out.slice(0, cut);
    }
    s.pendingChars -= out.length;
    return out;
  }
}

/** A cut point at or before `at` that does not split a surrogate pair. */
function splitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}
