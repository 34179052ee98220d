/**
 * SEND, ACK and backlog delivery (docs/protocol.md section 5). qos 0 never
 * touches the database; qos 1 is delivered live at once (keeping the accept
 * order it shares with qos 0) and answered `stored` after the group commit.
 */
import type { SendStatus } from "@neural-link/shared/protocol";
import { OpError } from "../errors";
import type { LaneTicket } from "../cluster/forward-lanes";
import type { GatewayContext } from "./context";
import { RoutedFrame } from "./routed-frame";
import type { Session } from "./session";

/** A validated JSON SEND, as the decoder gives it. */
export interface SendInput {
  id: string;
  to: string;
  qos: 0 | 1;
  body: string;
}

/** The frame of a JSON SEND from `from`, accepted at `ts`. */
export function frameOfSend(d: SendInput, from: string, ts: number): RoutedFrame {
  return RoutedFrame.ofText({ id: d.id, from, body: d.body, qos: d.qos, ts });
}

/** Checks a SEND's frame against the size limit and the recipient's grants (throws OpError), and counts it. */
function accept(ctx: GatewayContext, to: string, frame: RoutedFrame): void {
  const { limits } = ctx.settings;
  if (frame.envelopeSize > limits.maxBodyBytes)
    throw new OpError("too_large", `body is over ${limits.maxBodyBytes} bytes`);
  if (!ctx.grants.has(to, frame.from)) throw new OpError("not_granted", "the recipient has not granted you");
  ctx.metrics.frameIn(frame.qos);
}

/**
 * A qos 0 SEND, synchronously: the hot path of a frame stream (no promise per
 * frame). Throws OpError. The frame is written (or queued behind held and
 * reserved frames: Session.deliver, cluster lanes) at the same point as
 * handleSend would, so the order shared with qos 1 frames is the same.
 */
export function sendQos0(ctx: GatewayContext, to: string, frame: RoutedFrame): SendStatus {
  accept(ctx, to, frame);
  const target = ctx.registry.liveSession(to);
  if (target !== undefined) return target.deliver(frame, ctx.settings.limits.maxBufferedBytes) ? "sent" : "dropped";
  // Cluster: one bus hop to the node holding the recipient ("sent" = handed to that node).
  return ctx.cluster?.forward(to, frame) === true ? "sent" : "dropped";
}

export async function handleSend(ctx: GatewayContext, to: string, frame: RoutedFrame): Promise<SendStatus> {
  if (frame.qos === 0) return sendQos0(ctx, to, frame);
  const { limits } = ctx.settings;
  accept(ctx, to, frame);
  const { ts } = frame;
  // Storage keeps base64url text: a binary-sent frame is encoded once here.
  const stored = {
    recipient: to,
    sender: frame.from,
    id: frame.id,
    body: frame.body,
    size: frame.envelopeSize,
    ts,
    expiresAt: ts + limits.frameExpiryMs,
  };
  const remote: { ticket?: LaneTicket } = {};
  try {
    await ctx.queue.store(stored, () => {
      const target = ctx.registry.liveSession(to);
      if (target !== undefined) {
        if (!target.deliver(frame, limits.maxBufferedBytes)) void catchUp(ctx, target);
      } else if (ctx.cluster !== undefined) {
        // Forwarded only once committed: the recipient's ACK, on its node, must find the row.
        remote.ticket = ctx.cluster.reserve(to, frame);
      }
    });
  } catch (err) {
    remote.ticket?.cancel();
    throw err;
  }
  remote.ticket?.release();
  return "stored";
}

/**
 * A frame forwarded from another node of the cluster for a device connected
 * here: delivered as a local SEND would be. False when the device has no live
 * session here (it left or moved on).
 */
export function deliverLive(ctx: GatewayContext, to: string, frame: RoutedFrame): boolean {
  const target = ctx.registry.liveSession(to);
  if (target === undefined) return false;
  if (!target.deliver(frame, ctx.settings.limits.maxBufferedBytes) && frame.qos === 1) void catchUp(ctx, target);
  return true;
}

/**
 * A session whose send buffer was full got no live qos 1 frames; once the
 * buffer drains they come from storage, in order. A reader that never drains
 * is closed 4009 by its connection (sendStallTimeoutMs), ending the wait.
 */
async function catchUp(ctx: GatewayContext, session: Session): Promise<void> {
  if (session.catchingUp) return;
  session.catchingUp = true;
  try {
    // A backlog that ended with its held frames over the buffer limit leaves the session behind again.
    while (session.behind && (await writable(ctx, session))) await deliverBacklog(ctx, session);
  } finally {
    session.catchingUp = false;
  }
}

export async function handleAck(ctx: GatewayContext, session: Session, ids: readonly string[]): Promise<void> {
  session.acked(ids);
  if (ids.length > 0) await ctx.queue.ack(session.device, ids);
}

/** How often a backlog delivery checks whether a slow reader's send buffer has drained. */
const DRAIN_POLL_MS = 10;

/** True without waiting when the session's send buffer is under the limit (the common case). */
function roomNow(ctx: GatewayContext, session: Session): boolean {
  return (
    session.outlet !== null &&
    session.outlet.bufferedAmount <= ctx.settings.limits.maxBufferedBytes &&
    ctx.registry.liveSession(session.device) === session
  );
}

/** Waits while the session's send buffer is over the limit; false once the session is no longer live. */
async function writable(ctx: GatewayContext, session: Session): Promise<boolean> {
  for (;;) {
    if (ctx.registry.liveSession(session.device) !== session || session.outlet === null) return false;
    if (session.outlet.bufferedAmount <= ctx.settings.limits.maxBufferedBytes) return true;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
}

/**
 * Delivers a device's stored frames, oldest first, then the live frames held
 * meanwhile. Frames this session already has are skipped.
 */
export async function deliverBacklog(ctx: GatewayContext, session: Session): Promise<void> {
  session.beginBacklog();
  try {
    // Cluster: read only once every node knows the device is here (cluster.ts, `claimed`).
    if (ctx.cluster !== undefined) await ctx.cluster.claimed(session.device);
    for await (const page of ctx.queue.pending(session.device, ctx.now)) {
      for (const f of page) {
        // Frame by frame: a page of large frames written at once could pass hardMaxBufferedBytes.
        if (!roomNow(ctx, session) && !(await writable(ctx, session))) return;
        session.deliverStored(RoutedFrame.ofText({ id: f.id, from: f.sender, body: f.body, qos: 1, ts: f.ts }));
      }
    }
  } catch (err) {
    // The frames stay stored; the next session gets them.
    ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, "backlog delivery failed");
  } finally {
    session.endBacklog(ctx.settings.limits.maxBufferedBytes);
  }
  if (session.behind) void catchUp(ctx, session);
}
