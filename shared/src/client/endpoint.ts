import { randomBytes } from "../crypto/bytes";
import { openEnvelope, sealEnvelope } from "../crypto/envelope";
import { EnvelopeError, type EnvelopeRejection } from "../crypto/errors";
import type { Identity } from "../crypto/identity";
import { seenIdExpiry, type SeenIds } from "../crypto/seen-ids";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { EncodingError } from "../encoding/errors";
import type { FrameEvent } from "../protocol/events";
import { Emitter, type Unsubscribe } from "./emitter";
import { FrameTooLargeError } from "./errors";
import type { SendOutcome } from "./frame-sender";
import { frameOverLimit } from "./frame-size";
import type { GatewayClient } from "./gateway-client";
import { type ClientLog, silentLog } from "./log";
import { PeerKeys } from "./peer-keys";

/** An application message that arrived, opened and passed every check of docs/protocol.md section 8. */
export interface IncomingMessage {
  id: string;
  from: string;
  qos: 0 | 1;
  /** The sender's clock. */
  ts: number;
  t: string;
  d: unknown;
}

export interface EndpointEvents {
  message: IncomingMessage;
  /** A frame that was dropped, and why (for counters and tests; never plaintext). */
  dropped: { id: string; from: string; reason: DropReason };
}

/** Why a frame was dropped: a check of docs/protocol.md section 8, an unknown peer, or a handler that kept failing. */
export type DropReason = EnvelopeRejection | "unknown_peer" | "handler_failed";

/**
 * Handles an accepted message as part of accepting it. It runs before the
 * frame's id is recorded: effects outside the receiver's store belong here
 * (they run again if the process dies before the record). What it returns
 * runs inside `SeenIds.acceptOnce`, in the same transaction as the record
 * when the store has them: store writes, and the answer's outbox entry. The
 * frame is ACKed only after both.
 */
export type MessageHandler = (message: IncomingMessage) => Promise<(() => Promise<void>) | void>;

export interface EndpointOptions {
  gateway: GatewayClient;
  identity: Pick<Identity, "signPublicKey" | "boxSecretKey">;
  seen: SeenIds;
  /** See MessageHandler; "message" listeners are told first either way. */
  handler?: MessageHandler;
  /**
   * Times one frame may fail its handling (it stays un-ACKed, the relay offers it again) before it is dropped and
   * ACKed.
   */
  maxHandleAttempts?: number;
  log?: ClientLog;
  now?: () => number;
}

/** Default of EndpointOptions.maxHandleAttempts. */
export const MAX_HANDLE_ATTEMPTS = 3;

/**
 * The end-to-end layer over a gateway client (docs/protocol.md section 8): seals
 * outgoing application messages for known peers with fresh frame ids, and
 * opens incoming FRAMEs, dropping those from unknown or revoked peers, those
 * that fail to open or check, and replays. Every qos 1 frame is ACKed, even
 * a dropped one, so that the relay does not redeliver it forever; a frame
 * is ACKed only once its id and its handling are recorded (SeenIds), so a
 * crash before that leaves it with the relay, which offers it again.
 * Frames are handled one at a time, in arrival order.
 */
export class Endpoint {
  readonly device: string;
  readonly peers: PeerKeys;
  private readonly events: Emitter<EndpointEvents>;
  private readonly log: ClientLog;
  private readonly now: () => number;
  private queue: Promise<void> = Promise.resolve();
  private readonly offFrame: Unsubscribe;
  /** Handling failures per frame id, in this process. */
  private readonly failures = new Map<string, number>();

  constructor(private readonly options: EndpointOptions) {
    this.device = b64uEncode(options.identity.signPublicKey);
    this.peers = new PeerKeys(options.identity.boxSecretKey);
    this.log = options.log ?? silentLog;
    this.events = new Emitter(this.log);
    this.now = options.now ?? Date.now;
    this.offFrame = options.gateway.on("frame", (frame) => {
      this.queue = this.queue.then(() => this.receive(frame));
    });
  }

  on<K extends keyof EndpointEvents>(event: K, listener: (payload: EndpointEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  /**
   * Seals `{t, d}` for `to` and sends it. Throws if `to` is not a known peer,
   * and FrameTooLargeError (nothing sent or stored) if the sealed frame
   * would pass the relay's size limits.
   * @example await endpoint.send(hub, "rpc", { call: "c1", method: "hub.info", params: {} }, 1)
   */
  async send(
    to: string,
    t: string,
    d: unknown,
    qos: 0 | 1,
    opts: { confirm?: boolean } = {},
  ): Promise<{ id: string; outcome: SendOutcome }> {
    // qos 0 (terminal output and the like) skips base64 when binary frames are active.
    const frame = qos === 0 ? this.sealBytes(to, t, d, qos) : this.seal(to, t, d, qos);
    const outcome = await this.options.gateway.send(frame, opts);
    return { id: frame.id, outcome };
  }

  /**
   * Seals `{t, d}` for `to` with a fresh frame id, ready for `gateway.send`
   * or an outbox; throws like `send`.
   */
  seal(to: string, t: string, d: unknown, qos: 0 | 1): { id: string; to: string; body: string; qos: 0 | 1 } {
    const { id, envelope } = this.sealBytes(to, t, d, qos);
    return { id, to, body: b64uEncode(envelope), qos };
  }

  /** As `seal`, with the sealed envelope as bytes (for binary frames, docs/protocol.md section 5). */
  sealBytes(
    to: string,
    t: string,
    d: unknown,
    qos: 0 | 1,
  ): { id: string; to: string; envelope: Uint8Array; qos: 0 | 1 } {
    const key = this.peers.get(to);
    if (!key) throw new Error("not a known peer");
    const id = b64uEncode(randomBytes(16));
    const envelope = sealEnvelope(key, { v: 1, id, from: this.device, to, ts: this.now(), t, d });
    const frame = { id, to, envelope, qos };
    const over = frameOverLimit(frame, this.options.gateway.limits());
    if (over) throw new FrameTooLargeError(over.bytes, over.limit);
    return frame;
  }

  /** Resolves once every frame received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispose(): void {
    this.offFrame();
  }

  private async receive(frame: FrameEvent & { envelope?: Uint8Array }): Promise<void> {
    try {
      const key = this.peers.get(frame.from);
      if (!key) return this.drop(frame, "unknown_peer");
      let inner;
      const now = this.now();
      try {
        inner = openEnvelope(key, frame.envelope ?? b64uDecode(frame.body), frame, this.device, now);
      } catch (err) {
        if (err instanceof EnvelopeError) return this.drop(frame, err.reason);
        // A body that is not even base64url cannot open either.
        if (err instanceof EncodingError) return this.drop(frame, "malformed");
        throw err;
      }
      const { seen } = this.options;
      const known = seen.has(inner.from, inner.id);
      if (known === true || (known !== false && (await known))) return this.drop(frame, "replayed");
      const message: IncomingMessage = {
        id: inner.id,
        from: inner.from,
        qos: frame.qos,
        ts: inner.ts,
        t: inner.t,
        d: inner.d,
      };
      this.events.emit("message", message);
      const within = this.options.handler ? await this.options.handler(message) : undefined;
      // A qos 0 frame whose handling wrote nothing (keystrokes, acks) needs no transaction: nothing
      // is ACKed and nothing would be lost, so its id is recorded without waiting for the store.
      const fresh =
        frame.qos === 0 && within === undefined && seen.recordSoon !== undefined
          ? seen.recordSoon(inner.from, inner.id, seenIdExpiry(now))
          : await seen.acceptOnce(inner.from, inner.id, seenIdExpiry(now), within ?? (async () => {}));
      if (!fresh) return this.drop(frame, "replayed");
    } catch (err) {
      // The store or the handler failed: leave the frame un-ACKed so the relay offers it again,
      // unless it keeps failing (then it would come back on every session for a week).
      const attempts = (this.failures.get(frame.id) ?? 0) + 1;
      this.log.error({ err: String(err), frame: frame.id, attempts }, "frame handling failed");
      if (attempts < (this.options.maxHandleAttempts ?? MAX_HANDLE_ATTEMPTS)) {
        this.failures.set(frame.id, attempts);
        return;
      }
      this.failures.delete(frame.id);
      return this.drop(frame, "handler_failed");
    }
    this.failures.delete(frame.id);
    if (frame.qos === 1) this.options.gateway.ack(frame.id);
  }

  private drop(frame: FrameEvent, reason: DropReason): void {
    this.log.warn({ frame: frame.id, from: frame.from, reason }, "dropped a frame");
    this.events.emit("dropped", { id: frame.id, from: frame.from, reason });
    if (frame.qos === 1) this.options.gateway.ack(frame.id);
  }
}
