/**
 * A device's session: its event sequence, resume buffer, what it has been
 * told about peers, and the frames delivered to it but not yet ACKed. A
 * session outlives its connection by resume_ttl_s.
 */
import { EventName, Op } from "@neural-link/shared/protocol";
import { ResumeBuffer } from "./resume-buffer";
import type { RoutedFrame } from "./routed-frame";

/** Where a session's messages go while a connection is attached. */
export interface Outlet {
  send(text: string): void;
  readonly bufferedAmount: number;
  /** The connection negotiated binary frames: FRAMEs go out through sendBinary. */
  readonly binary?: boolean;
  sendBinary?(message: Buffer): void;
  /** Closes the connection with a close code (used to evict a device that connected on another node of a cluster). */
  close?(code: number, reason: string): void;
}

export type EventPayload = { t: EventName; d: unknown };

export class Session {
  private lastS = 0;
  private readonly buffer: ResumeBuffer;
  outlet: Outlet | null = null;
  // The three sets below are made on first use: most sessions are idle, and an empty Set
  // costs ~150 bytes (docs/relay.md, "Memory and CPU per connection").
  private told: Set<string> | null = null;
  private flying: Set<string> | null = null;
  private heldIds: Set<string> | null = null;
  /** While stored frames are being read for delivery, live frames wait here to keep the order. */
  private held: RoutedFrame[] | null = null;
  /**
   * qos 1 frames were left in storage because the connection's send buffer was
   * full; later ones are too (keeping the order) until a catch-up delivers them
   * from storage (frame-router.ts).
   */
  behind = false;
  /** A catch-up is waiting for the send buffer to drain. */
  catchingUp = false;
  expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    readonly device: string,
    limits: { resumeMaxEvents: number; resumeMaxBytes: number },
    private readonly onFrameOut: (qos: number) => void,
  ) {
    this.buffer = new ResumeBuffer(limits.resumeMaxEvents, limits.resumeMaxBytes);
  }

  get sequence(): number {
    return this.lastS;
  }

  /** Peers this session was last told are online (PRESENCE dedup and resume catch-up). */
  get toldOnline(): Set<string> {
    return (this.told ??= new Set());
  }

  /** qos 1 frame ids delivered in this session and not yet ACKed. */
  get inFlight(): Set<string> {
    return (this.flying ??= new Set());
  }

  /**
   * Sender and id of the held qos 1 frames: the backlog may read them from storage too, and must leave them to their
   * place in `held`.
   */
  private get heldKeys(): Set<string> {
    return (this.heldIds ??= new Set());
  }

  /** Emits an EVENT with the next `s`; kept for resume, written if a connection is attached. */
  emit(t: EventName, d: unknown): void {
    const s = ++this.lastS;
    const text = JSON.stringify({ op: Op.EVENT, t, s, d });
    this.buffer.push(s, text);
    this.outlet?.send(text);
  }

  /** Writes a message outside the sequence (RESUMED, INVALID_SESSION...). */
  sendRaw(text: string): void {
    this.outlet?.send(text);
  }

  /**
   * The sequence and every kept event, oldest first (they are numbered
   * `sequence - events.length + 1` to `sequence`): what a session needs to be
   * resumed on another node of a cluster (cluster/session-transfer.ts).
   */
  exportEvents(): (string | Buffer)[] {
    return this.buffer.after(this.lastS - this.buffer.size, this.lastS) ?? [];
  }

  /** Continues a session moved from another node: its sequence and kept events (exportEvents). */
  importEvents(sequence: number, events: readonly (string | Buffer)[]): void {
    const first = sequence - events.length + 1;
    events.forEach((text, i) => {
      if (typeof text === "string") this.buffer.push(first + i, text);
      else this.buffer.pushBinary(first + i, text);
    });
    this.lastS = sequence;
  }

  /** Events after `seq` for a resume, or null if not all are kept. Binary FRAMEs are Buffers. */
  replayAfter(seq: number): (string | Buffer)[] | null {
    return this.buffer.after(seq, this.lastS);
  }

  /**
   * Delivers a FRAME. Returns false (and writes nothing) when no connection is
   * attached or its send buffer is over `maxBuffered`: a qos 0 frame is then
   * dropped, a qos 1 frame stays stored and the session is `behind`.
   */
  deliver(frame: RoutedFrame, maxBuffered: number): boolean {
    const full = this.outlet === null || this.outlet.bufferedAmount > maxBuffered;
    if (frame.qos === 0 && full) return false;
    if (frame.qos === 1 && this.held === null && (this.behind || full)) {
      this.behind = true;
      return false;
    }
    if (this.held !== null) {
      this.held.push(frame);
      if (frame.qos === 1) this.heldKeys.add(`${frame.from}:${frame.id}`);
      return true;
    }
    this.write(frame);
    return true;
  }

  private write(frame: RoutedFrame): void {
    if (frame.qos === 1) {
      if (this.inFlight.has(frame.id)) return;
      this.inFlight.add(frame.id);
    }
    // The hot path: the FRAME is encoded once, in the form the attached connection speaks. A binary one is
    // written into the resume buffer's bytes and that very view is sent (resume-buffer.ts: no copy, no object kept).
    const s = ++this.lastS;
    const outlet = this.outlet;
    if (outlet?.binary === true && outlet.sendBinary !== undefined) {
      const message = this.buffer.appendBinary(s, frame.binaryLength);
      frame.writeBinary(s, message);
      outlet.sendBinary(message);
    } else {
      const text = frame.text(s);
      this.buffer.push(s, text);
      outlet?.send(text);
    }
    this.onFrameOut(frame.qos);
  }

  /** Starts a backlog: live frames are held until endBacklog. */
  beginBacklog(): void {
    this.held ??= [];
    // What was left in storage is read by this backlog; live frames are held behind it.
    this.behind = false;
  }

  /** Writes one stored frame of the backlog (skipped if already delivered in this session). */
  deliverStored(frame: RoutedFrame): void {
    // Accepted while this backlog ran: written after it, in the order shared with qos 0 frames.
    if (this.heldIds?.has(`${frame.from}:${frame.id}`) === true) return;
    this.write(frame);
  }

  /**
   * Ends the backlog and writes the held live frames in their order, as
   * `deliver` would: past `maxBuffered` qos 0 ones are dropped and qos 1 ones
   * stay stored (the session is behind again; a catch-up follows).
   */
  endBacklog(maxBuffered: number): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldIds = null;
    for (const frame of held) this.deliver(frame, maxBuffered);
  }

  acked(ids: readonly string[]): void {
    if (this.flying === null) return;
    for (const id of ids) this.flying.delete(id);
  }

  /** Tells the session a mutual peer went on- or offline, once per change. */
  notePresence(peer: string, online: boolean): void {
    if ((this.told?.has(peer) ?? false) === online) return;
    if (online) this.toldOnline.add(peer);
    else this.toldOnline.delete(peer);
    this.emit(EventName.PRESENCE, { device: peer, online });
  }
}
