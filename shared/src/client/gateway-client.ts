import { signAuth } from "../crypto/auth";
import type { Identity } from "../crypto/identity";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { utf8Length } from "../encoding/bytes";
import { CloseCode, ErrorCode, FATAL_CLOSE_CODES } from "../protocol/codes";
import { decodeRelayMessage, encodeMessage } from "../protocol/decode";
import type {
  ErrorEvent,
  FrameEvent,
  HelloPayload,
  PairRequestEvent,
  PresenceEvent,
  RelayEvent,
} from "../protocol/events";
import { Op } from "../protocol/ops";
import { type AnnouncedLimits, DEFAULT_ANNOUNCED_LIMITS } from "../protocol/relay-limits";
import { binarySendOf, frameOfBinary } from "../protocol/binary-frame-text";
import { BINARY_FRAMES_FEATURE } from "../protocol/binary-frames";
import { AckBatcher } from "./ack-batcher";
import { backoffDelay } from "./backoff";
import { Emitter, type Unsubscribe } from "./emitter";
import { Heartbeat } from "./heartbeat";
import { GatewayReplyError, GatewayUnavailableError } from "./errors";
import { FrameSender, type OutgoingFrame, type SendOutcome } from "./frame-sender";
import type { FrameLimits } from "./frame-size";
import { type ClientLog, silentLog } from "./log";
import { MemoryOutbox, type OutboxStore } from "./outbox";
import { PendingReplies } from "./pending-replies";
import { ResumeState } from "./resume-state";
import { paceFor, sizeLimitsFor } from "./relay-pace";
import { WritePacer, type WritePacerSettings } from "./write-pacer";
import { GATEWAY_CLIENT_DEFAULTS, type GatewayClientSettings } from "./settings";
import type { SocketFactory, SocketLike } from "./socket";
import type { TimeoutHandle } from "./timers";

/** The fields of a SEND as the frame sender hands them over (`body` or `envelope`, or both). */
type SendFields = { id: string; to: string; qos: 0 | 1; ref?: string; body?: string; envelope?: Uint8Array };

export type GatewayState = "connecting" | "authenticating" | "online" | "offline" | "closed";
export interface GatewayStatus {
  state: GatewayState;
  /** Why the last connection ended or failed, in words; null after a clean READY. */
  lastError: string | null;
  /** The close code that ended the last connection, if any. */
  lastCloseCode: number | null;
  /** The relay id of the last HELLO, or null before one (see `expectedRelayId`). */
  relayId?: string | null;
}

/** The close code this client uses when it walks away from a relay whose id is not the expected one. */
export const RELAY_MISMATCH_CLOSE = 1008;

export interface GatewayEvents {
  state: GatewayStatus;
  /** A session is up: fresh (READY) or resumed (RESUMED); `relayId` is what the relay's HELLO said. */
  ready: { resumed: boolean; session: string; peersOnline: string[]; relayId: string };
  /** A FRAME; `envelope` holds the raw bytes when it came binary (then `body` is made only if read). */
  frame: FrameEvent & { envelope?: Uint8Array };
  presence: PresenceEvent;
  pairRequest: PairRequestEvent;
  /** An ERROR event: an op without `ref` failed. */
  error: ErrorEvent;
  /** A qos 1 frame left the outbox without being stored: too old, too large, or refused for good. */
  outboxDropped: { id: string; to: string; reason: string };
}

export interface GatewayClientOptions {
  /** The relay's WebSocket URL, e.g. `wss://relay.example/v1/gateway`. */
  url: string;
  identity: Pick<Identity, "signPublicKey" | "signSecretKey">;
  socketFactory: SocketFactory;
  outbox?: OutboxStore;
  settings?: Partial<GatewayClientSettings>;
  client?: { name: string; version: string };
  log?: ClientLog;
  /**
   * The relay id this device trusts (from its pairing link or saved settings),
   * or a getter for it (trust on first use: null until the first READY is
   * stored). When set and the HELLO names another relay, the client does not
   * sign, closes with 1008 and stops, its status naming both ids: a signature
   * is bound to the relay id (docs/protocol.md section 4), so signing for an
   * unexpected relay would only help whoever runs it.
   */
  expectedRelayId?: string | null | (() => string | null | undefined);
  now?: () => number;
  random?: () => number;
  /**
   * Ask the relay for binary frames (docs/protocol.md section 5): SEND and
   * FRAME then travel as binary messages with the raw envelope, no base64 or
   * JSON. The socket must pass binary messages (`SocketHandlers.binary`).
   * A relay that does not grant it is spoken to in JSON as before. Default false.
   */
  binaryFrames?: boolean;
}

/**
 * One device's connection to the relay (docs/protocol.md sections 4-7 and 10):
 * HELLO, AUTH, READY; heartbeats; resume after a drop; reconnect with
 * backoff and full jitter; qos 1 frames kept in an outbox until stored; ACKs
 * batched; presence tracked. Transport-agnostic: the socket comes from a factory.
 *
 * @example
 *   const gw = new GatewayClient({ url, identity, socketFactory: standardSocketFactory(WebSocket) });
 *   gw.on("frame", (f) => ...); gw.start(); await gw.whenOnline();
 */
export class GatewayClient {
  readonly device: string;
  private readonly settings: GatewayClientSettings;
  private readonly events: Emitter<GatewayEvents>;
  private readonly log: ClientLog;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly replies: PendingReplies;
  private readonly acks: AckBatcher;
  private readonly sender: FrameSender;
  private socket: SocketLike | null = null;
  private generation = 0;
  private state: GatewayState = "closed";
  private lastError: string | null = null;
  private lastCloseCode: number | null = null;
  private attempt = 0;
  private stopped = true;
  private hello: HelloPayload | null = null;
  private readonly resume: ResumeState;
  private readonly heartbeat: Heartbeat;
  private readonly pacer: WritePacer;
  private readonly timers: { reconnect?: TimeoutHandle; hello?: TimeoutHandle } = {};
  private readonly peers = new Set<string>();
  private lastRelayId: string | null = null;
  /** Largest message written on the current connection, and the limit a 4011 taught us. */
  private largestWritten = 0;
  private learnedMaxMessageBytes = Number.POSITIVE_INFINITY;
  /** The relay granted binary frames on the current connection (READY / RESUMED `features`). */
  private binary = false;
  /**
   * What the last HELLO announced (docs/protocol.md section 4), or the protocol's defaults before one
   * or from a relay that announces nothing. Pacing and size checks follow it.
   */
  private relayLimits: AnnouncedLimits = DEFAULT_ANNOUNCED_LIMITS;

  constructor(private readonly options: GatewayClientOptions) {
    this.device = b64uEncode(options.identity.signPublicKey);
    this.settings = { ...GATEWAY_CLIENT_DEFAULTS, ...options.settings };
    this.log = options.log ?? silentLog;
    this.events = new Emitter(this.log);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.replies = new PendingReplies(() => this.settings.replyTimeoutMs);
    this.resume = new ResumeState(this.now);
    this.pacer = new WritePacer(
      () => this.pace(),
      (text) => this.transmit(text),
      this.now,
    );
    this.heartbeat = new Heartbeat(
      () => this.write(Op.HEARTBEAT, this.resume.lastSeq),
      () => this.dropConnection(4000, "heartbeat not acknowledged"),
    );
    this.acks = new AckBatcher(
      () => this.settings,
      (ids) => this.state === "online" && this.write(Op.ACK, { ids }),
    );
    this.sender = new FrameSender(
      {
        isOnline: () => this.state === "online",
        write: (op, d) => this.write(op, d),
        request: (op, d) => this.request(op, d),
        now: this.now,
        maxAgeMs: () => this.settings.outboxMaxAgeMs,
        limits: () => this.limits(),
        dropped: (f, reason) => this.events.emit("outboxDropped", { id: f.id, to: f.to, reason }),
      },
      options.outbox ?? new MemoryOutbox(),
      this.log,
    );
  }

  on<K extends keyof GatewayEvents>(event: K, listener: (payload: GatewayEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  get status(): GatewayStatus {
    return {
      state: this.state,
      lastError: this.lastError,
      lastCloseCode: this.lastCloseCode,
      relayId: this.hello?.relay ?? this.lastRelayId,
    };
  }

  /**
   * The sizes a frame must fit: the settings, lowered below the largest
   * message of a connection the relay closed with 4011 (PAYLOAD_TOO_LARGE),
   * so that whatever caused it is refused from then on instead of cutting
   * every later connection too.
   */
  limits(): FrameLimits {
    const sizes = sizeLimitsFor(this.settings, this.relayLimits);
    return { ...sizes, maxMessageBytes: Math.min(sizes.maxMessageBytes, this.learnedMaxMessageBytes) };
  }

  /**
   * The pace this client writes at now: a share of the limits the relay announced (or of the
   * protocol's defaults), under any cap of the settings. Streams that budget their own share of
   * the connection (the hub's terminal output) read it too, so they speed up with a faster relay.
   */
  pace(): WritePacerSettings {
    return paceFor(this.settings, this.relayLimits);
  }

  /** The per-connection limits of the relay, as its last HELLO announced them (the defaults if it did not). */
  get announcedLimits(): AnnouncedLimits {
    return this.relayLimits;
  }

  /** Whether SEND and FRAME travel as binary messages on the current connection. */
  get binaryActive(): boolean {
    return this.binary;
  }

  /** Mutual peers connected now, as far as this session knows; empty while not online. */
  peersOnline(): string[] {
    return this.state === "online" ? [...this.peers] : [];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /**
   * The device's network is back, or the app came back to the foreground: reconnect now rather than at the end of
   * the backoff (which may be 30 s away after a long outage). Only while waiting to reconnect; an attempt under way
   * or a live connection is left alone.
   */
  retryNow(): void {
    if (this.stopped || this.state !== "offline" || this.socket !== null) return;
    clearTimeout(this.timers.reconnect);
    this.attempt = 0;
    this.connect();
  }

  /** Closes for good: no reconnect. Waiting ops fail with `closed`. */
  stop(): void {
    this.stopped = true;
    if (this.state === "online") {
      this.acks.flush();
      // Closing anyway: what waits for the rate budget goes now rather than never.
      this.pacer.flushNow();
    }
    clearTimeout(this.timers.reconnect);
    this.dropConnection(1000, "client stopped");
    this.acks.dispose();
    this.replies.failAll(new GatewayUnavailableError("closed", "client stopped"));
    this.setState("closed");
  }

  /** Resolves when the client is online; rejects if it is (or becomes) closed for good. */
  whenOnline(): Promise<void> {
    if (this.state === "online") return Promise.resolve();
    if (this.stopped)
      return Promise.reject(new GatewayUnavailableError("closed", this.lastError ?? "client is not started"));
    return new Promise((resolve, reject) => {
      const off = this.on("state", (s) => {
        if (s.state === "online") {
          off();
          resolve();
        } else if (s.state === "closed") {
          off();
          reject(new GatewayUnavailableError("closed", s.lastError ?? "client closed"));
        }
      });
    });
  }

  /**
   * Sends a frame; see SendOutcome. `confirm: false` sends a qos 0 frame without asking for a reply.
   * `inOutbox`: the caller already wrote this qos 1 frame to the outbox (in its own transaction), so
   * it is not written again.
   */
  send(frame: OutgoingFrame, opts: { confirm?: boolean; inOutbox?: boolean } = {}): Promise<SendOutcome> {
    return this.sender.send(frame, opts.confirm ?? true, opts.inOutbox ?? false);
  }

  /** Queues the ACK of a handled qos 1 frame. */
  ack(frameId: string): void {
    this.acks.add(frameId);
  }

  grant(peer: string): Promise<void> {
    return this.request(Op.GRANT, { peer }).then(() => undefined);
  }

  revoke(peer: string): Promise<void> {
    return this.request(Op.REVOKE, { peer }).then(() => undefined);
  }

  pairOpen(rendezvous: string, ttlS: number): Promise<void> {
    return this.request(Op.PAIR_OPEN, { rendezvous, ttl_s: ttlS }).then(() => undefined);
  }

  pairRequest(rendezvous: string, body: string): Promise<void> {
    return this.request(Op.PAIR_REQUEST, { rendezvous, body }).then(() => undefined);
  }

  pairClose(rendezvous: string): Promise<void> {
    return this.request(Op.PAIR_CLOSE, { rendezvous }).then(() => undefined);
  }

  private request(op: number, d: Record<string, unknown>): Promise<{ status?: "sent" | "dropped" | "stored" }> {
    if (this.state !== "online")
      return Promise.reject(new GatewayUnavailableError("offline", "not connected to the relay"));
    const { ref, reply } = this.replies.open();
    if (!this.write(op, { ...d, ref })) {
      const err = this.socket
        ? new GatewayReplyError(ErrorCode.too_large, "message passes the relay's size limit")
        : new GatewayUnavailableError("connection_lost", "connection is closing");
      this.replies.fail(ref, err);
    }
    return reply;
  }

  /**
   * Queues one op for the socket (see WritePacer); false when there is no connection or the message is over the limit.
   */
  private write(op: number, d: unknown): boolean {
    if (!this.socket) return false;
    const message = op === Op.SEND ? this.encodeSend(d as SendFields) : encodeMessage({ op, d });
    const bytes = typeof message === "string" ? utf8Length(message) : message.length;
    if (bytes > this.limits().maxMessageBytes) {
      // The relay would close the connection with 4011, taking every other op with it.
      this.log.error(
        { op, bytes, limit: this.limits().maxMessageBytes },
        "refusing to write a message over the size limit",
      );
      return false;
    }
    this.largestWritten = Math.max(this.largestWritten, bytes);
    this.pacer.write(message);
    return true;
  }

  /** A SEND as a binary message when binary frames are active, else as JSON text with a base64url body. */
  private encodeSend(d: SendFields): string | Uint8Array {
    const { id, to, qos, ref } = d;
    if (this.binary)
      return binarySendOf({ id, to, qos, ...(ref !== undefined ? { ref } : {}) }, d.envelope ?? b64uDecode(d.body!));
    return encodeMessage({
      op: Op.SEND,
      d: { id, to, body: d.body ?? b64uEncode(d.envelope!), qos, ...(ref !== undefined ? { ref } : {}) },
    });
  }

  private transmit(message: string | Uint8Array): void {
    try {
      this.socket?.send(message);
    } catch (err) {
      // The socket is closing; its close event follows and starts the reconnect.
      this.log.warn({ err: String(err) }, "socket send failed");
    }
  }

  private setState(state: GatewayState): void {
    if (state === this.state) return;
    this.state = state;
    this.events.emit("state", this.status);
  }

  private connect(): void {
    const gen = ++this.generation;
    this.hello = null;
    this.setState("connecting");
    const live = () => gen === this.generation;
    this.timers.hello = setTimeout(
      () => live() && this.dropConnection(4000, "no HELLO in time"),
      this.settings.helloTimeoutMs,
    );
    try {
      this.socket = this.options.socketFactory(this.options.url, {
        open: () => {},
        message: (text) => live() && this.onMessage(text),
        binary: (bytes) => live() && this.onBinary(bytes),
        close: (code, reason) => live() && this.onDrop(code, reason || `closed with ${code}`),
        error: (message) => {
          if (live()) this.lastError = message;
        },
      });
    } catch (err) {
      this.onDrop(4000, `cannot open socket: ${String(err)}`);
    }
  }

  /** Ends the current connection now, without waiting for the closing handshake. */
  private dropConnection(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.generation++;
    this.socket = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closing: nothing more to do with it.
    }
    this.onDrop(code, reason);
  }

  private onDrop(code: number, reason: string): void {
    this.generation++;
    this.socket = null;
    clearTimeout(this.timers.hello);
    this.heartbeat.stop();
    this.pacer.reset();
    this.binary = false;
    this.resume.dropped();
    this.replies.failAll(new GatewayUnavailableError("connection_lost", "connection to the relay dropped"));
    if (code === CloseCode.PAYLOAD_TOO_LARGE && this.largestWritten > 0) {
      this.learnedMaxMessageBytes = this.largestWritten - 1;
      this.log.warn(
        { limit: this.learnedMaxMessageBytes },
        "the relay closed for a message too large; lowering the size limit",
      );
    }
    this.largestWritten = 0;
    if (this.stopped) return;
    this.lastCloseCode = code;
    this.lastError = reason;
    if (FATAL_CLOSE_CODES.has(code)) {
      this.log.warn({ code, reason }, "relay refused this client; not reconnecting");
      this.stopped = true;
      this.setState("closed");
      return;
    }
    const delay = backoffDelay(
      this.attempt++,
      this.settings.reconnectBaseMs,
      this.settings.reconnectMaxMs,
      this.random,
    );
    this.log.info({ code, delay }, "connection dropped; reconnecting");
    // Emitted even when already offline: lastError changed.
    this.state = "offline";
    this.events.emit("state", this.status);
    clearTimeout(this.timers.reconnect);
    this.timers.reconnect = setTimeout(() => !this.stopped && this.connect(), delay);
  }

  /** A binary message: a FRAME, valid only once binary frames were granted. */
  private onBinary(bytes: Uint8Array): void {
    if (!this.binary) {
      this.log.warn({}, "binary message from the relay without binary frames");
      this.dropConnection(CloseCode.DECODE_ERROR, "binary message without binary frames");
      return;
    }
    const decoded = frameOfBinary(bytes);
    if (!decoded.ok) {
      this.log.warn({ reason: decoded.reason }, "undecodable binary message from the relay");
      this.dropConnection(decoded.closeCode, decoded.reason);
      return;
    }
    this.resume.seen(decoded.message.s);
    this.events.emit("frame", decoded.message);
  }

  private onMessage(text: string): void {
    const decoded = decodeRelayMessage(text);
    if (!decoded.ok) {
      this.log.warn({ reason: decoded.reason }, "undecodable message from the relay");
      this.dropConnection(decoded.closeCode, decoded.reason);
      return;
    }
    const m = decoded.message;
    switch (m.op) {
      case Op.HELLO:
        clearTimeout(this.timers.hello);
        this.lastRelayId = m.d.relay;
        if (!this.relayTrusted(m.d.relay)) return;
        this.hello = m.d;
        // Adopted before AUTH, so that everything this connection writes is paced by this relay's own limits.
        this.relayLimits = m.d.limits ?? DEFAULT_ANNOUNCED_LIMITS;
        this.setState("authenticating");
        this.sendAuth();
        this.heartbeat.start(m.d.heartbeat_interval);
        return;
      case Op.HEARTBEAT:
        this.write(Op.HEARTBEAT, this.resume.lastSeq);
        return;
      case Op.HEARTBEAT_ACK:
        this.heartbeat.ack();
        return;
      case Op.RECONNECT:
        // The relay is draining: come back at once and resume elsewhere.
        this.attempt = 0;
        this.dropConnection(4000, "relay asked to reconnect");
        return;
      case Op.INVALID_SESSION:
        this.resume.forget();
        this.sendAuth();
        return;
      case Op.EVENT:
        this.onEvent(m);
        return;
      default: {
        const never: never = m;
        return never;
      }
    }
  }

  private onEvent(e: RelayEvent): void {
    this.resume.seen(e.s);
    switch (e.t) {
      case "READY":
        this.binary = this.grantsBinary(e.d.features);
        this.resume.ready(e.d.session, e.d.resume_ttl_s);
        this.peers.clear();
        for (const p of e.d.peers_online) this.peers.add(p);
        this.heartbeat.start(e.d.heartbeat_interval);
        this.becomeOnline(false);
        return;
      case "RESUMED":
        this.binary = this.grantsBinary(e.d.features);
        this.resume.resumed();
        this.becomeOnline(true);
        return;
      case "FRAME":
        this.events.emit("frame", e.d);
        return;
      case "REPLY":
        this.replies.settle(e.d);
        return;
      case "ERROR":
        this.log.warn({ op: e.d.op, code: e.d.code }, "relay reported an error");
        this.events.emit("error", e.d);
        return;
      case "PRESENCE":
        if (e.d.online) this.peers.add(e.d.device);
        else this.peers.delete(e.d.device);
        this.events.emit("presence", e.d);
        return;
      case "PAIR_REQUEST":
        this.events.emit("pairRequest", e.d);
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private grantsBinary(features: string[] | undefined): boolean {
    return this.options.binaryFrames === true && features?.includes(BINARY_FRAMES_FEATURE) === true;
  }

  /** False (and the client stops for good) when the HELLO names a relay other than the expected one. */
  private relayTrusted(relay: string): boolean {
    const option = this.options.expectedRelayId;
    const expected = typeof option === "function" ? option() : option;
    if (expected === undefined || expected === null || expected === relay) return true;
    const reason = `relay id mismatch: expected "${expected}", the relay says "${relay}"; not signing`;
    this.log.warn({ expected, relay }, "relay id mismatch; not signing, not reconnecting");
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    try {
      socket?.close(RELAY_MISMATCH_CLOSE, "relay id mismatch");
    } catch {
      // Already closing.
    }
    this.stopped = true;
    clearTimeout(this.timers.reconnect);
    this.heartbeat.stop();
    this.pacer.reset();
    this.replies.failAll(new GatewayUnavailableError("closed", reason));
    this.lastError = reason;
    this.lastCloseCode = RELAY_MISMATCH_CLOSE;
    this.state = "closed";
    this.events.emit("state", this.status);
    return false;
  }

  private becomeOnline(resumed: boolean): void {
    this.attempt = 0;
    this.lastError = null;
    this.setState("online");
    this.events.emit("ready", {
      resumed,
      session: this.resume.sessionId ?? "",
      peersOnline: [...this.peers],
      relayId: this.hello?.relay ?? "",
    });
    this.acks.flush();
    this.sender.resume().catch((err: unknown) => this.log.error({ err: String(err) }, "outbox flush failed"));
  }

  private sendAuth(): void {
    if (!this.hello) return;
    const sig = signAuth(b64uDecode(this.hello.challenge), this.hello.relay, this.options.identity.signSecretKey);
    const d: Record<string, unknown> = { device: this.device, sig };
    if (this.options.client) d.client = this.options.client;
    if (this.options.binaryFrames === true) d.features = [BINARY_FRAMES_FEATURE];
    const resume = this.resume.resumeField();
    if (resume) d.resume = resume;
    this.write(Op.AUTH, d);
  }
}
