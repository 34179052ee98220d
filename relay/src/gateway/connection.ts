/**
 * One gateway connection: HELLO, then AUTH (fresh or resume), then ops
 * (docs/protocol.md sections 2-7, 10 and 12). Whatever a client sends ends, at worst,
 * in a close code for that client alone.
 */
import { randomBytes } from "node:crypto";
import {
  type AuthPayload,
  BINARY_FRAMES_FEATURE,
  type ClientMessage,
  CloseCode,
  binarySendEnvelopeAt,
  binarySendQos,
  binarySendRef,
  decodeClientMessage,
  EventName,
  Op,
} from "@neural-link/shared/protocol";
import { OpError } from "../errors";
import { announcedLimits } from "../settings";
import { verifyAuthSignature } from "./auth-verify";
import { BinaryIds } from "./binary-ids";
import type { GatewayContext } from "./context";
import { dispatchOp } from "./dispatch";
import { deliverBacklog, handleSend, sendQos0 } from "./frame-router";
import { ConnectionRateLimiter } from "./rate-limiter";
import { replyError, runOp } from "./replies";
import { frameTextOfBinary, RoutedFrame } from "./routed-frame";
import type { Outlet, Session } from "./session";

/** The socket underneath, as the connection needs it (a `ws` WebSocket fits). */
export interface RawSocket {
  send(data: string | Buffer): void;
  close(code: number, reason: string): void;
  terminate(): void;
  readonly bufferedAmount: number;
  /** Stops reading from the network (TCP backpressure reaches the sender); optional for tests. */
  pause?(): void;
  resume?(): void;
}

/** After the relay closes a connection, how long the peer has to finish the close handshake. */
const CLOSE_GRACE_MS = 2000;

type State = "awaiting_auth" | "ready" | "closed";

export class Connection implements Outlet {
  private state: State = "awaiting_auth";
  /**
   * The HELLO challenge; dropped once authenticated (a second AUTH is refused anyway), saving ~200 bytes per
   * connection.
   */
  private challenge: Buffer | null = randomBytes(32);
  private session: Session | null = null;
  private authDeadline: number;
  private lastBeat: number;
  private prompted = false;
  private strikes = 0;
  private lastStrike = 0;
  private readonly limiter: ConnectionRateLimiter;
  private resumeTimer: NodeJS.Timeout | null = null;
  /** Since when the send buffer has been above maxBufferedBytes, or null. */
  private stalledSince: number | null = null;
  /** AUTH asked for binary frames and READY/RESUMED granted them (docs/protocol.md section 5). */
  binary = false;
  /** Cluster: this connection's AUTH went through joinCluster already. */
  private joined = false;
  /** Raw device ids for binary SENDs, made at the first one (binary-ids.ts). */
  private binaryIds: BinaryIds | null = null;

  constructor(
    private readonly ctx: GatewayContext,
    private readonly socket: RawSocket,
    private readonly onEnd: (conn: Connection) => void,
  ) {
    const now = ctx.now();
    this.authDeadline = now + ctx.settings.authTimeoutMs;
    this.lastBeat = now;
    this.limiter = new ConnectionRateLimiter(ctx.settings.limits, now);
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get device(): string | undefined {
    return this.session?.device;
  }

  start(): void {
    const { settings } = this.ctx;
    this.send(
      JSON.stringify({
        op: Op.HELLO,
        d: {
          v: 1,
          heartbeat_interval: settings.heartbeatMs,
          challenge: this.challenge!.toString("base64url"),
          relay: settings.relayId,
          limits: announcedLimits(settings.limits),
        },
      }),
    );
  }

  send(text: string | Buffer): void {
    if (this.state === "closed") return;
    if (this.socket.bufferedAmount > this.ctx.settings.limits.hardMaxBufferedBytes)
      return this.close(CloseCode.SESSION_TIMED_OUT, "not reading");
    this.ctx.metrics.bytesOut += text.length;
    try {
      this.socket.send(text);
    } catch {
      // A socket that cannot take more is closing; its close event ends the connection.
    }
  }

  /** Writes a binary FRAME (only ever called once binary frames are negotiated). */
  sendBinary(message: Buffer): void {
    this.send(message);
  }

  /** Handles one binary message: a SEND, on a connection that negotiated binary frames. Never throws. */
  receiveBinary(data: Buffer): void {
    if (this.state === "closed") return;
    try {
      this.handleBinary(data);
    } catch (err) {
      this.ctx.log.error(
        { err: err instanceof Error ? err.message : String(err), device: this.device },
        "unexpected error in connection",
      );
      this.close(CloseCode.UNKNOWN_ERROR, "internal error");
    }
  }

  private handleBinary(data: Buffer): void {
    const session = this.session;
    // Without the feature, a binary message is not a gateway message (docs/protocol.md section 5).
    if (!this.binary || this.state !== "ready" || session === null)
      return this.close(CloseCode.DECODE_ERROR, "binary message without binary frames negotiated");
    const { ctx } = this;
    if (data.length > ctx.settings.limits.maxMessageBytes)
      return this.close(CloseCode.PAYLOAD_TOO_LARGE, "message too large");
    ctx.metrics.bytesIn += data.length;
    // Checked and read in place: no decoded object, view or base64url per frame (routed-frame.ts).
    const envelopeAt = binarySendEnvelopeAt(data);
    if (typeof envelopeAt !== "number") return this.close(envelopeAt.closeCode, envelopeAt.reason);
    const ref = binarySendRef(data);
    if (ref === null) return this.close(CloseCode.DECODE_ERROR, "ref is not UTF-8");
    const qos = binarySendQos(data);
    const now = ctx.now();
    const ids = (this.binaryIds ??= new BinaryIds(session.device));
    const frame = RoutedFrame.ofBinarySend(data, envelopeAt, session.device, ids.fromBytes, qos, now);
    if (!this.admit(data.length, now, Op.SEND, ref, frame)) return;
    const to = ids.recipientOf(data);
    // Without a ref a success is silent: a stream of frames skips runOp's reply machinery, and a
    // qos 0 one is routed synchronously (no promise or closure per frame, the same order).
    if (ref === undefined && qos === 0) {
      try {
        sendQos0(ctx, to, frame);
      } catch (err) {
        replyError(ctx, session, { op: Op.SEND, ref: undefined, id: frame.id }, err);
      }
    } else if (ref === undefined)
      handleSend(ctx, to, frame).catch((err: unknown) =>
        replyError(ctx, session, { op: Op.SEND, ref: undefined, id: frame.id }, err),
      );
    else
      runOp(ctx, session, { op: Op.SEND, ref, id: frame.id }, async () => ({
        status: await handleSend(ctx, to, frame),
      }));
    this.throttle(now);
  }

  /** Handles one text message. Never throws. */
  receive(text: string): void {
    if (this.state === "closed") return;
    try {
      this.handle(text);
    } catch (err) {
      this.ctx.log.error(
        { err: err instanceof Error ? err.message : String(err), device: this.device },
        "unexpected error in connection",
      );
      this.close(CloseCode.UNKNOWN_ERROR, "internal error");
    }
  }

  private handle(text: string): void {
    const { limits } = this.ctx.settings;
    const size = text.length * 3 > limits.maxMessageBytes ? Buffer.byteLength(text) : text.length;
    if (size > limits.maxMessageBytes) return this.close(CloseCode.PAYLOAD_TOO_LARGE, "message too large");
    this.ctx.metrics.bytesIn += size;
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) return this.close(decoded.closeCode, decoded.reason);
    const message = decoded.message;
    const now = this.ctx.now();
    const isSend = message.op === Op.SEND;
    if (!this.admit(size, now, message.op, isSend ? message.d.ref : undefined, isSend ? message.d : undefined)) return;
    this.dispatch(message);
    this.throttle(now);
  }

  /**
   * Charges one message to the rate limits; false when it is refused. A SEND
   * over the op rate is refused first; a client that keeps pushing (more than
   * rateViolationsMax refusals without a quiet rateViolationWindowMs), any
   * other op over the rate, and anything over the byte rate close the
   * connection (docs/protocol.md section 2, limits).
   */
  private admit(
    size: number,
    now: number,
    op: number,
    ref: string | undefined,
    send: { readonly id: string } | undefined,
  ): boolean {
    const verdict = this.limiter.charge(size, now);
    if (verdict === "ok") return true;
    const { limits } = this.ctx.settings;
    if (now - this.lastStrike > limits.rateViolationWindowMs) this.strikes = 0;
    this.lastStrike = now;
    if (verdict === "ops" && op === Op.SEND && this.state === "ready" && ++this.strikes <= limits.rateViolationsMax) {
      replyError(this.ctx, this.session, { op, ref, id: send?.id }, new OpError("rate_limited", "slow down"));
      this.throttle(now);
      return false;
    }
    this.close(CloseCode.RATE_LIMITED, verdict === "bytes" ? "byte rate passed" : "op rate passed");
    return false;
  }

  /**
   * Stops reading the socket while the op bucket is empty, as Tailscale's DERP
   * does: a flood then waits in the sender's TCP buffers instead of costing
   * the relay a decode and a refusal per message. Messages already read in
   * the same chunk are still refused (and counted towards 4008).
   */
  private throttle(now: number): void {
    if (this.resumeTimer !== null || this.state === "closed" || this.socket.pause === undefined) return;
    const wait = this.limiter.pauseMs(now);
    if (wait <= 0) return;
    this.socket.pause();
    this.ctx.metrics.throttled += 1;
    // One millisecond more than the bucket asks: timers run on the monotonic clock, the bucket on Date.now(), and a
    // timer that fires a fraction of a millisecond early by Date.now() would find the token not there yet and
    // refuse the next SEND (a strike towards 4008) instead of passing it.
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = null;
      if (this.state !== "closed") this.socket.resume?.();
    }, wait + 1);
  }

  private dispatch(message: ClientMessage): void {
    if (message.op === Op.HEARTBEAT) {
      this.lastBeat = this.ctx.now();
      this.prompted = false;
      return this.send(JSON.stringify({ op: Op.HEARTBEAT_ACK, d: null }));
    }
    if (message.op === Op.AUTH) {
      if (this.state === "ready") return this.close(CloseCode.ALREADY_AUTHENTICATED, "already authenticated");
      return this.authenticate(message.d);
    }
    const session = this.session;
    if (this.state !== "ready" || session === null) return this.close(CloseCode.NOT_AUTHENTICATED, "AUTH first");
    dispatchOp(this.ctx, session, message);
  }

  private authenticate(d: AuthPayload): void {
    const { ctx } = this;
    if (d.shard !== undefined && (d.shard[0] !== 0 || d.shard[1] !== 1))
      return this.close(CloseCode.INVALID_SHARD, "shard must be [0, 1]");
    if (this.challenge === null) return this.close(CloseCode.ALREADY_AUTHENTICATED, "already authenticated");
    const check = verifyAuthSignature(d.device, d.sig, this.challenge, ctx.settings.relayId);
    if (!check.ok) return this.close(CloseCode.AUTHENTICATION_FAILED, check.reason);
    const now = ctx.now();
    // Binary frames when asked for (docs/protocol.md section 5); READY / RESUMED say so.
    const binary = d.features?.includes(BINARY_FRAMES_FEATURE) === true;
    const features = binary ? { features: [BINARY_FRAMES_FEATURE] } : {};
    // Cluster: fetch a session held elsewhere and tell every node first (docs/relay.md, "Running a cluster").
    if (ctx.cluster !== undefined && !this.joined) return this.joinCluster(d);
    if (d.resume !== undefined) {
      const session = ctx.registry.resumable(d.resume.session, d.device);
      const missed = session?.replayAfter(d.resume.seq) ?? null;
      if (session === undefined || missed === null) {
        // The client AUTHs again, fresh, on this connection and challenge.
        this.authDeadline = now + ctx.settings.authTimeoutMs;
        return this.send(JSON.stringify({ op: Op.INVALID_SESSION, d: false }));
      }
      this.binary = binary;
      this.takeOver(session);
      this.send(JSON.stringify({ op: Op.EVENT, t: EventName.RESUMED, d: { session: session.id, ...features } }));
      // A binary FRAME kept from a binary connection is replayed as JSON to one that is not.
      for (const message of missed)
        this.send(typeof message === "string" || binary ? message : frameTextOfBinary(message));
      ctx.presence.catchUp(d.device);
    } else {
      const previous = ctx.registry.liveSession(d.device);
      if (previous !== undefined) this.replaceOutlet(previous);
      const session = ctx.registry.create(d.device);
      this.binary = binary;
      this.takeOver(session);
      const peers = ctx.presence.peersOnline(d.device);
      for (const peer of peers) session.toldOnline.add(peer);
      session.emit(EventName.READY, {
        session: session.id,
        device: d.device,
        heartbeat_interval: ctx.settings.heartbeatMs,
        resume_ttl_s: ctx.settings.resumeTtlS,
        peers_online: peers,
        ...features,
      });
    }
    void deliverBacklog(ctx, this.session!);
  }

  /**
   * Cluster mode, before READY or RESUMED: fetches a session to resume from
   * the node holding it (cluster/session-transfer.ts) and, when the AUTH will
   * succeed, claims the device and waits until every node has applied the
   * claim, so that once the client reads READY or RESUMED a frame sent to it
   * from any node comes here. The socket is not read meanwhile (at most
   * twice confirmTimeoutMs); then the same AUTH is handled as on one relay.
   */
  private joinCluster(d: AuthPayload): void {
    const { ctx } = this;
    const cluster = ctx.cluster!;
    this.joined = true;
    this.socket.pause?.();
    const join = async () => {
      let session = d.resume === undefined ? undefined : ctx.registry.resumable(d.resume.session, d.device);
      if (
        d.resume !== undefined &&
        session === undefined &&
        (await cluster.takeSession(d.resume.session, d.device, ctx.registry))
      )
        session = ctx.registry.resumable(d.resume.session, d.device);
      const succeeds = d.resume === undefined || session?.replayAfter(d.resume.seq) != null;
      if (!succeeds || this.state !== "awaiting_auth") return;
      cluster.preclaim(d.device);
      await cluster.claimed(d.device);
    };
    const then = () => {
      if (this.resumeTimer === null && this.state !== "closed") this.socket.resume?.();
      if (this.state !== "awaiting_auth") {
        // Gone while the nodes were asked: a claim made for it must not leave it online elsewhere.
        if (!ctx.registry.isOnline(d.device)) cluster.release(d.device);
        return;
      }
      try {
        this.authenticate(d);
        // INVALID_SESSION: the fresh AUTH that follows on this connection joins again.
        if (this.state === "awaiting_auth") this.joined = false;
      } catch (err) {
        ctx.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          "AUTH after joining the cluster failed",
        );
        this.close(CloseCode.UNKNOWN_ERROR, "internal error");
      }
    };
    join().then(then, (err: unknown) => {
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, "cluster join of a connection failed");
      then();
    });
  }

  private takeOver(session: Session): void {
    if (session.outlet !== null) this.replaceOutlet(session);
    this.state = "ready";
    this.challenge = null;
    this.session = session;
    this.lastBeat = this.ctx.now();
    this.ctx.registry.attach(session, this);
  }

  /** Closes the connection a session had with 4006; the device stays online. */
  private replaceOutlet(session: Session): void {
    const old = session.outlet;
    this.ctx.registry.detach(session, true);
    if (old instanceof Connection) {
      old.session = null;
      old.close(CloseCode.SESSION_REPLACED, "session replaced by a newer connection");
    }
  }

  /** Called periodically: the AUTH deadline and missed heartbeats. */
  tick(now: number): void {
    const { heartbeatMs, heartbeatMissLimit } = this.ctx.settings;
    if (this.state === "awaiting_auth") {
      if (now > this.authDeadline) this.close(CloseCode.NOT_AUTHENTICATED, "no AUTH in time");
      return;
    }
    if (this.state !== "ready") return;
    // A reader that stopped reading: its frames wait in storage, and after a while it is let go.
    if (this.socket.bufferedAmount <= this.ctx.settings.limits.maxBufferedBytes) this.stalledSince = null;
    else if (this.stalledSince === null) this.stalledSince = now;
    else if (now - this.stalledSince > this.ctx.settings.limits.sendStallTimeoutMs)
      return this.close(CloseCode.SESSION_TIMED_OUT, "not reading");
    const quiet = now - this.lastBeat;
    if (quiet > heartbeatMs * heartbeatMissLimit) return this.close(CloseCode.SESSION_TIMED_OUT, "heartbeats missed");
    if (quiet > heartbeatMs * (heartbeatMissLimit - 1) && !this.prompted) {
      // Ask once before giving up: a client whose timer drifted gets a last chance.
      this.prompted = true;
      this.send(JSON.stringify({ op: Op.HEARTBEAT, d: null }));
    }
  }

  /** Closes with a code of docs/protocol.md section 12 (or 1001 when the relay goes away). */
  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.ctx.metrics.closedWith(code);
    this.release();
    try {
      this.socket.close(code, reason.slice(0, 120));
    } catch {
      this.socket.terminate();
    }
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** The socket is gone (closed by either side). */
  closed(): void {
    this.state = "closed";
    this.release();
  }

  private release(): void {
    if (this.resumeTimer !== null) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    const session = this.session;
    this.session = null;
    if (session !== null && session.outlet === this) this.ctx.registry.detach(session, false);
    this.onEnd(this);
  }
}
