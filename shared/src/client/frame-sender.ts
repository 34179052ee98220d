import { b64uEncode } from "../encoding/b64u";
import { ErrorCode, type SendStatus } from "../protocol/codes";
import { Op } from "../protocol/ops";
import { FrameTooLargeError, GatewayReplyError, GatewayUnavailableError } from "./errors";
import { type FrameBody, type FrameLimits, frameOverLimit } from "./frame-size";
import type { ClientLog } from "./log";
import type { OutboxFrame, OutboxStore } from "./outbox";

/** What `send` tells its caller: the relay's status, or what happened instead. */
export type SendOutcome = SendStatus | "queued" | "unconfirmed";

/**
 * A frame to send: `body` is b64u of a sealed envelope, or `envelope` the
 * sealed bytes themselves. With binary frames active (docs/protocol.md
 * section 5) `envelope` goes out as is, with no base64 at all; otherwise the
 * client encodes it. qos 1 frames are kept in the outbox as `body` text.
 */
export type OutgoingFrame = { id: string; to: string; qos: 0 | 1 } & FrameBody;

/** The parts of the connection the sender uses. */
export interface SenderLink {
  isOnline(): boolean;
  /** Writes one op without ref; false when there is no open connection. */
  write(op: number, d: unknown): boolean;
  /** Writes one op with a fresh ref and waits for its REPLY. */
  request(op: number, d: Record<string, unknown>): Promise<{ status?: SendStatus }>;
  now(): number;
  maxAgeMs(): number;
  /** The size limits every frame must fit. */
  limits(): FrameLimits;
  /** A frame left the outbox without being stored (too old, too large, refused for good). */
  dropped(frame: OutboxFrame, reason: string): void;
}

/** Refusals that a later retry cannot fix: the frame leaves the outbox. */
const PERMANENT: ReadonlySet<string> = new Set([ErrorCode.not_granted, ErrorCode.too_large, ErrorCode.bad_request]);

/**
 * Sends frames. qos 1 frames go to the outbox first and leave it only when
 * the relay says `stored` (or refuses them for good); after every READY or
 * RESUMED the whole outbox is re-sent oldest first. Re-sending a stored id is
 * idempotent at the relay, so a reply lost with a dropped connection is safe.
 */
export class FrameSender {
  private sentThisConnection = new Set<string>();
  private flushing = false;

  constructor(
    private readonly link: SenderLink,
    private readonly outbox: OutboxStore,
    private readonly log: ClientLog,
  ) {}

  /** Throws FrameTooLargeError, before anything is stored or written, for a frame over the limits. */
  async send(frame: OutgoingFrame, confirm: boolean, inOutbox = false): Promise<SendOutcome> {
    const over = frameOverLimit(frame, this.link.limits());
    if (over) throw new FrameTooLargeError(over.bytes, over.limit);
    if (frame.qos === 0) return this.sendQos0(frame, confirm);
    const body = frame.body ?? b64uEncode(frame.envelope!);
    if (!inOutbox) await this.outbox.put({ id: frame.id, to: frame.to, body, qos: 1, createdAt: this.link.now() });
    if (!this.link.isOnline() || this.flushing || this.sentThisConnection.has(frame.id)) return "queued";
    return this.transmit({
      id: frame.id,
      to: frame.to,
      body,
      qos: 1,
      ...(frame.envelope !== undefined ? { envelope: frame.envelope } : {}),
    });
  }

  /** A new connection is up: forget what went out on the old one and re-send the outbox. */
  async resume(): Promise<void> {
    this.sentThisConnection = new Set();
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (;;) {
        const todo = (await this.outbox.list()).filter((f) => !this.sentThisConnection.has(f.id));
        if (todo.length === 0 || !this.link.isOnline()) return;
        for (const f of todo) {
          if (!this.link.isOnline()) return;
          // Sent meanwhile by `send` (a frame committed while this list was read): once is enough.
          if (this.sentThisConnection.has(f.id)) continue;
          if (f.createdAt < this.link.now() - this.link.maxAgeMs()) {
            await this.drop(f, "too_old");
            continue;
          }
          // Stored before a limit was known (an older build, a relay that closed with 4011):
          // it can never be delivered, and must not cut the connection for the frames behind it.
          if (frameOverLimit(f, this.link.limits())) {
            await this.drop(f, "too_large");
            continue;
          }
          this.transmit(f).catch((err: unknown) =>
            this.log.warn({ frame: f.id, err: String(err) }, "outbox frame refused"),
          );
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async sendQos0(frame: OutgoingFrame, confirm: boolean): Promise<SendOutcome> {
    if (!this.link.isOnline()) return "dropped";
    if (!confirm) return this.link.write(Op.SEND, frame) ? "unconfirmed" : "dropped";
    try {
      const reply = await this.link.request(Op.SEND, { ...frame });
      return reply.status ?? "sent";
    } catch (err) {
      if (err instanceof GatewayUnavailableError) return "dropped";
      throw err;
    }
  }

  private async transmit(
    frame: OutboxFrame | { id: string; to: string; body: string; qos: 1; envelope?: Uint8Array },
  ): Promise<SendOutcome> {
    this.sentThisConnection.add(frame.id);
    try {
      const envelope = "envelope" in frame && frame.envelope !== undefined ? { envelope: frame.envelope } : {};
      await this.link.request(Op.SEND, { id: frame.id, to: frame.to, body: frame.body, qos: 1, ...envelope });
      await this.outbox.remove(frame.id);
      return "stored";
    } catch (err) {
      if (err instanceof GatewayUnavailableError) return "queued";
      if (err instanceof GatewayReplyError && PERMANENT.has(err.code))
        await this.drop({ id: frame.id, to: frame.to, body: frame.body, qos: 1, createdAt: this.link.now() }, err.code);
      throw err;
    }
  }

  private async drop(frame: OutboxFrame, reason: string): Promise<void> {
    this.log.warn(
      { frame: frame.id, reason, bytes: frame.body.length },
      "dropping an outbox frame that cannot be delivered",
    );
    await this.outbox.remove(frame.id);
    this.link.dropped(frame, reason);
  }
}
