import { randomBytes } from "../crypto/bytes";
import { openEnvelope, sealEnvelope } from "../crypto/envelope";
import { EnvelopeError, type EnvelopeRejection } from "../crypto/errors";
import type { Identity } from "../crypto/identity";
import { acceptEnvelope, type SeenIds } from "../crypto/seen-ids";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { EncodingError } from "../encoding/errors";
import type { FrameEvent } from "../protocol/events";
import { Emitter, type Unsubscribe } from "./emitter";
import type { SendOutcome } from "./frame-sender";
import type { GatewayClient } from "./gateway-client";
import { type ClientLog, silentLog } from "./log";
import { PeerKeys } from "./peer-keys";

/** An application message that arrived, opened and passed every check of section 6. */
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
  dropped: { id: string; from: string; reason: EnvelopeRejection | "unknown_peer" };
}

export interface EndpointOptions {
  gateway: GatewayClient;
  identity: Pick<Identity, "signPublicKey" | "boxSecretKey">;
  seen: SeenIds;
  log?: ClientLog;
  now?: () => number;
}

/**
 * The end-to-end layer over a gateway client (PROTOCOL.md section 6): seals
 * outgoing application messages for known peers with fresh frame ids, and
 * opens incoming FRAMEs, dropping those from unknown or revoked peers, those
 * that fail to open or check, and replays. Every qos 1 frame is ACKed, even
 * a dropped one, so that the relay does not redeliver it forever.
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
   * Seals `{t, d}` for `to` and sends it. Throws if `to` is not a known peer.
   * @example await endpoint.send(hub, "rpc", { call: "c1", method: "hub.info", params: {} }, 1)
   */
  async send(to: string, t: string, d: unknown, qos: 0 | 1, opts: { confirm?: boolean } = {}): Promise<{ id: string; outcome: SendOutcome }> {
    const key = this.peers.get(to);
    if (!key) throw new Error("not a known peer");
    const id = b64uEncode(randomBytes(16));
    const sealed = sealEnvelope(key, { v: 1, id, from: this.device, to, ts: this.now(), t, d });
    const outcome = await this.options.gateway.send({ id, to, body: b64uEncode(sealed), qos }, opts);
    return { id, outcome };
  }

  /** Resolves once every frame received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  dispose(): void {
    this.offFrame();
  }

  private async receive(frame: FrameEvent): Promise<void> {
    try {
      const key = this.peers.get(frame.from);
      if (!key) {
        this.drop(frame, "unknown_peer");
        return;
      }
      let inner;
      try {
        const now = this.now();
        inner = openEnvelope(key, b64uDecode(frame.body), frame, this.device, now);
        await acceptEnvelope(inner, this.options.seen, now);
      } catch (err) {
        if (err instanceof EnvelopeError) return this.drop(frame, err.reason);
        // A body that is not even base64url cannot open either.
        if (err instanceof EncodingError) return this.drop(frame, "malformed");
        throw err;
      }
      this.events.emit("message", { id: inner.id, from: inner.from, qos: frame.qos, ts: inner.ts, t: inner.t, d: inner.d });
    } catch (err) {
      // SeenIds storage failed: leave the frame un-ACKed so the relay offers it again.
      this.log.error({ err: String(err), frame: frame.id }, "frame handling failed");
      return;
    }
    if (frame.qos === 1) this.options.gateway.ack(frame.id);
  }

  private drop(frame: FrameEvent, reason: EndpointEvents["dropped"]["reason"]): void {
    this.log.warn({ frame: frame.id, from: frame.from, reason }, "dropped a frame");
    this.events.emit("dropped", { id: frame.id, from: frame.from, reason });
    if (frame.qos === 1) this.options.gateway.ack(frame.id);
  }
}
