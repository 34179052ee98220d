import { GATEWAY_CLIENT_DEFAULTS, paceFor } from "@neural-link/shared/client";
import { TokenBucket } from "@neural-link/shared/flow";
import { DEFAULT_ANNOUNCED_LIMITS } from "@neural-link/shared/protocol";
import { takeBytes, takeText } from "./frame-take";

/** The pace of a connection to a relay at the protocol's defaults, for a flow built without a link. */
const DEFAULT_PACE = paceFor(GATEWAY_CLIENT_DEFAULTS, DEFAULT_ANNOUNCED_LIMITS);

/**
 * Terminal output to devices (docs/protocol.md section 11, "Terminal flow"), each number a named setting.
 * Amounts in characters count bytes instead for a viewer that takes output as bytes ("Output as bytes").
 * The budgets are shares of the relay connection's live pace (GatewayClient.pace: 90% of the limits the
 * relay's HELLO announced, docs/protocol.md section 4), so they stay under the relay's limits with room
 * left for RPC answers, pushes, ACKs and heartbeats, and grow with a relay configured faster.
 */
export interface OutputFlowSettings {
  /** Share of the connection's op pace for all terminal streams together (0.55 of 180 ops/s: 99 frames/s). */
  opsShare: number;
  /**
   * Output characters per second for all streams, per byte per second of the connection's pace. Sealed
   * and base64url'd (JSON frames) a character costs ~1.4 bytes on the wire, so 0.69 of the default
   * pace of 7.2 MiB/s is 5 MiB/s of output.
   */
  charsPerPaceByte: number;
  /**
   * Largest `data` of one frame, in characters; cut further when its JSON would pass `maxFrameBytes`, and
   * to twice what one op of the budget carries on average (at the default limits ~100 Ki): every frame
   * is sealed, opened and parsed whole, blocking both ends meanwhile, so a frame no larger than the
   * pace needs keeps an RPC answer or a keystroke's echo from waiting behind a large one. Through a relay
   * configured faster, frames grow to nearly the relay's body limit: the streams' share of the ops budget
   * (110 a second of the default 200) times the frame size bounds a stream, and 256 Ki held a 100 MB `cat`
   * through a 128 MiB/s relay to 22 MB/s (480 Ki: 29 to 31; libsodium seals one in ~0.4 ms).
   */
  maxFrameChars: number;
  /**
   * Largest `data` of one frame in bytes, as JSON text or, for a viewer that asked for bytes, as UTF-8 (under the
   * relay's 512 KiB body, less the envelope).
   */
  maxFrameBytes: number;
  /**
   * A viewer that does not ack (an older phone): output waiting beyond this is dropped and one `seq` skipped (it
   * fetches a snapshot).
   */
  maxBufferedChars: number;
  /**
   * A viewer that acks: characters sent but not acked, plus waiting, above which the pty is no longer read (the
   * window), at the least; see `windowMs`.
   */
  highWaterChars: number;
  /** ... and at or below which reading resumes (for a larger window, the same share of it). */
  lowWaterChars: number;
  /**
   * The window holds this long of the streams' budget, between `highWaterChars` and `maxHighWaterChars`: through a
   * relay at the protocol's defaults 100 ms is the 512 Ki floor; through one configured faster the window grows, so
   * that acks' round trips do not bound the stream, while what waits ahead of a Ctrl-C stays about as long to draw.
   */
  windowMs: number;
  maxHighWaterChars: number;
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
  opsShare: 0.55,
  charsPerPaceByte: 0.69,
  maxFrameChars: 480 * 1024,
  maxFrameBytes: 500 * 1024,
  maxBufferedChars: 4 * 1024 * 1024,
  highWaterChars: 512 * 1024,
  lowWaterChars: 256 * 1024,
  windowMs: 100,
  maxHighWaterChars: 2 * 1024 * 1024,
  stallMs: 2000,
  framesAhead: 2,
});

/** Frames are never cut smaller than this by the budget rule of `maxFrameChars`. */
const MIN_FRAME_CHARS = 16 * 1024;

/** The rates all terminal streams share, derived from the connection's pace by `flowBudget`. */
export interface FlowBudget {
  opsPerSecond: number;
  charsPerSecond: number;
}

/** The streams' budget for a connection paced at `pace` (HubLink.pace). */
export function flowBudget(
  settings: Pick<OutputFlowSettings, "opsShare" | "charsPerPaceByte">,
  pace: { opsPerSecond: number; bytesPerSecond: number },
): FlowBudget {
  return {
    opsPerSecond: Math.max(1, Math.floor(pace.opsPerSecond * settings.opsShare)),
    charsPerSecond: Math.max(1, Math.floor(pace.bytesPerSecond * settings.charsPerPaceByte)),
  };
}

/** The budget of a flow built without a link: a connection to a relay at the protocol's defaults. */
export const DEFAULT_FLOW_BUDGET: Readonly<FlowBudget> = Object.freeze(flowBudget(OUTPUT_FLOW_DEFAULTS, DEFAULT_PACE));

/**
 * Sends one `term.output` frame: `data` is text, or its UTF-8 bytes for a viewer that asked for them
 * (docs/protocol.md section 11, "Output as bytes").
 */
export type FrameOut = (owner: string, term: string, seq: number, data: string | Uint8Array) => void;

/** Stops and restarts reading a terminal's pty (node-pty's pause/resume). */
export interface PtyValve {
  pause(term: string): void;
  resume(term: string): void;
}

/**
 * One viewer's stream. Its amounts (`…Units`) are characters of text, or bytes for a viewer that takes bytes
 * (`bytes`): the settings' `…Chars` windows and limits count the same units.
 */
interface Stream {
  owner: string;
  /** Text, or for a viewer that takes bytes the pty's UTF-8, each piece whole characters. */
  pending: (string | Uint8Array)[];
  pendingUnits: number;
  /** Number of the last frame sent (or skipped, for a gap). */
  seq: number;
  /** The viewer acks (it sent `term.ack` since its last snapshot): the pty is paused for it, nothing is dropped. */
  flow: boolean;
  sentUnits: number;
  ackedUnits: number;
  /** The highest frame number the viewer acked. */
  ackedSeq: number;
  /** Units sent up to each frame number not yet acked, oldest first. */
  marks: { seq: number; units: number }[];
  paused: boolean;
  /** Output is dropped for this viewer until it acks `behindUntil`; then it is told of the gap. */
  behindUntil: number | null;
  stallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs while merged output waits for an ack (see `sendable`). */
  holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** Send what waits even with a frame in flight (its ack was lost). */
  force: boolean;
  /** The viewer asked for output as UTF-8 bytes with its last snapshot. */
  bytes: boolean;
}

/**
 * Terminal output to devices, leading edge first: output goes out at once while the budget allows
 * (a keystroke's echo never waits for a timer); only while a backlog exists are pieces merged into
 * larger frames, as the budget refills. A viewer that acks (`term.ack`) is clocked by its acks, the
 * xterm.js way: above the window (`window()`: `highWaterChars`, more for a faster link) unacked the pty
 * is paused, at half of it it resumes, so a fast phone gets full speed and a slow one stays current
 * without a backlog. A viewer that never acks
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
  /** The budget the buckets hold now; re-read before each round, as the relay connection's pace may change. */
  private current: FlowBudget;

  /**
   * `budget` is read again before each round of sending (the hub passes its link's live pace); by default,
   * the protocol's default pace.
   */
  constructor(
    private readonly settings: OutputFlowSettings,
    private readonly send: FrameOut,
    private readonly valve: PtyValve,
    now: () => number = () => performance.now(),
    private readonly budget: () => FlowBudget = () => DEFAULT_FLOW_BUDGET,
  ) {
    const b = (this.current = budget());
    this.ops = new TokenBucket({ ratePerSecond: b.opsPerSecond, capacity: this.opsCapacity(b), clock: now });
    this.chars = new TokenBucket({ ratePerSecond: b.charsPerSecond, capacity: this.charsCapacity(b), clock: now });
  }

  /** Buckets hold a tenth of a second, so bursts stay small against the relay's own. */
  private opsCapacity(b: FlowBudget): number {
    return Math.max(1, b.opsPerSecond / 10);
  }

  private charsCapacity(b: FlowBudget): number {
    return Math.max(this.settings.maxFrameChars, b.charsPerSecond / 10);
  }

  /** The window now, for a viewer that acks (see OutputFlowSettings.windowMs); `term.snapshot` announces it. */
  window(): number {
    this.refreshBudget();
    return this.highWater();
  }

  /** The window for the budget as last read (each round of `pump` reads it): no read of the link per pty read. */
  private highWater(): number {
    const { highWaterChars, maxHighWaterChars, windowMs } = this.settings;
    const timed = Math.floor((this.current.charsPerSecond * windowMs) / 1000);
    return Math.max(highWaterChars, Math.min(maxHighWaterChars, timed));
  }

  /** Where reading resumes: the low watermark's share of the window. */
  private lowWater(): number {
    return Math.floor((this.highWater() * this.settings.lowWaterChars) / this.settings.highWaterChars);
  }

  /** The largest frame now (see OutputFlowSettings.maxFrameChars). */
  private frameChars(): number {
    const perOp = this.current.charsPerSecond / this.current.opsPerSecond;
    return Math.min(this.settings.maxFrameChars, Math.max(MIN_FRAME_CHARS, Math.ceil(2 * perOp)));
  }

  private refreshBudget(): void {
    const b = this.budget();
    if (b.opsPerSecond === this.current.opsPerSecond && b.charsPerSecond === this.current.charsPerSecond) return;
    this.current = b;
    this.ops.configure(b.opsPerSecond, this.opsCapacity(b));
    this.chars.configure(b.charsPerSecond, this.charsCapacity(b));
  }

  open(term: string, owner: string): void {
    this.streams.set(term, {
      owner,
      pending: [],
      pendingUnits: 0,
      seq: 0,
      flow: false,
      sentUnits: 0,
      ackedUnits: 0,
      ackedSeq: 0,
      marks: [],
      paused: false,
      behindUntil: null,
      stallTimer: undefined,
      holdTimer: undefined,
      force: false,
      bytes: false,
    });
  }

  /** A read of the pty: its text, and (when the caller has them) the UTF-8 bytes it decodes from. */
  push(term: string, text: string, bytes?: Uint8Array): void {
    const s = this.streams.get(term);
    if (!s || text.length === 0) return;
    if (s.behindUntil !== null) return; // far behind: it gets a snapshot once it has caught up
    const piece = s.bytes ? (bytes ?? Buffer.from(text, "utf8")) : text;
    s.pending.push(piece);
    s.pendingUnits += piece.length;
    if (!s.flow && s.pendingUnits > this.settings.maxBufferedChars) this.skip(s);
    this.pump();
    if (s.flow && !s.paused && this.buffered(s) > this.highWater()) this.pause(term, s);
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
      s.ackedUnits = s.marks.shift()!.units;
      progressed = true;
    }
    if (s.sentUnits === s.ackedUnits) {
      clearTimeout(s.holdTimer);
      s.holdTimer = undefined;
    }
    if (s.behindUntil !== null && seq >= s.behindUntil) this.caughtUp(term, s);
    if (progressed && s.paused) this.armStall(term, s);
    this.pump();
    if (s.paused && this.buffered(s) <= this.lowWater()) this.resume(term, s);
    return true;
  }

  /**
   * Drops what waits (the caller hands out a snapshot holding it) and returns the number the snapshot
   * stands for: the next frame follows it. Flow restarts off until the viewer acks again (a phone
   * reloaded with an older app does not ack, and must not hold the pty). `bytes`: the frames after it
   * carry the output's UTF-8 bytes rather than text (the viewer asked with this snapshot).
   */
  cut(term: string, bytes = false): number {
    const s = this.streams.get(term);
    if (!s) return 0;
    s.bytes = bytes;
    if (s.pendingUnits > 0) this.skip(s);
    s.flow = false;
    s.behindUntil = null;
    s.marks = [];
    s.ackedUnits = s.sentUnits;
    s.ackedSeq = s.seq;
    if (s.paused) this.resume(term, s);
    return s.seq;
  }

  /** Units sent and not acked, and waiting, for a stream (for tests and the bench). */
  backlog(term: string): { unacked: number; pending: number; paused: boolean; flow: boolean } | null {
    const s = this.streams.get(term);
    return s ? { unacked: s.sentUnits - s.ackedUnits, pending: s.pendingUnits, paused: s.paused, flow: s.flow } : null;
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
    return s.sentUnits - s.ackedUnits + s.pendingUnits;
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
    s.pendingUnits = 0;
    this.resume(term, s);
    if (s.ackedSeq >= s.seq) this.caughtUp(term, s);
  }

  /** The far-behind viewer drew all it was sent: one skipped number makes it fetch a snapshot now. */
  private caughtUp(term: string, s: Stream): void {
    s.behindUntil = null;
    s.seq += 2;
    s.marks = [];
    s.ackedUnits = s.sentUnits;
    s.ackedSeq = s.seq;
    this.send(s.owner, term, s.seq, s.bytes ? new Uint8Array(0) : "");
  }

  private skip(s: Stream): void {
    s.pending = [];
    s.pendingUnits = 0;
    s.seq++;
  }

  private pump(): void {
    if (this.timer !== undefined) return;
    this.refreshBudget();
    // Rounds over the streams with output waiting, one frame each per round, while the budget lasts.
    for (;;) {
      const ready = [...this.streams.entries()].filter(([, s]) => this.sendable(s));
      if (ready.length === 0 || this.ops.available() < 1 || this.chars.available() < 1) break;
      for (let i = 0; i < ready.length && this.ops.available() >= 1 && this.chars.available() >= 1; i++) {
        const [term, s] = ready[(this.turn + i) % ready.length]!;
        const max = Math.min(this.frameChars(), Math.floor(this.chars.available()));
        const limit = this.settings.maxFrameBytes;
        const { data, units } = s.bytes ? takeBytes(s, max, limit) : takeText(s, max, limit);
        this.ops.take(1);
        this.chars.take(units);
        s.seq++;
        s.sentUnits += units;
        if (s.flow) s.marks.push({ seq: s.seq, units: s.sentUnits });
        else s.ackedUnits = s.sentUnits;
        s.force = false;
        this.send(s.owner, term, s.seq, data);
      }
      this.turn++;
    }
    for (const [term, s] of this.streams) if (s.pendingUnits > 0 && !this.sendable(s)) this.armHold(term, s);
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
      s.pendingUnits > 0 &&
      (!s.flow || s.force || s.marks.length < this.settings.framesAhead || s.pendingUnits >= this.frameChars())
    );
  }

  /** An ack lost on the way (qos 0) must not hold merged output back for good: after `stallMs` it goes anyway. */
  private armHold(term: string, s: Stream): void {
    if (s.holdTimer !== undefined) return;
    s.holdTimer = setTimeout(() => {
      s.holdTimer = undefined;
      // A paused pty is the stall rule's to settle: this one is only for a lost ack on a running stream.
      if (this.streams.get(term) !== s || s.pendingUnits === 0 || s.paused) return;
      s.force = true;
      this.pump();
    }, this.settings.stallMs);
    s.holdTimer.unref?.();
  }
}
