/**
 * Reading a device's stored frames (docs/protocol.md section 4) without guessing
 * when the backlog ends. The protocol orders the backlog (oldest first) but
 * does not order it against replies to ops sent after READY, so a round-trip
 * barrier proves nothing here. Instead a sentinel frame is stored last, just
 * before connecting: once it arrives, every older stored frame has.
 */
import { b64u } from "./client/b64u";
import type { Device } from "./client/identity";
import { Session } from "./client/session";
import { type Frame, Op } from "./client/wire";

export interface Backlog {
  session: Session;
  /** The stored frames delivered before the sentinel, oldest first (the sentinel excluded and ACKed). */
  frames: Frame[];
}

/** Stores a sentinel from `via` (which `device` must have granted), connects `device`, and collects its backlog. */
export async function connectWithBacklog(url: string, device: Device, via: Session): Promise<Backlog> {
  const sentinel = await via.sendFrame({ to: device.id, body: b64u(new TextEncoder().encode("sentinel")), qos: 1 });
  if (!sentinel.ok || sentinel.status !== "stored") throw new Error(`sentinel not stored: ${JSON.stringify(sentinel)}`);
  const session = await Session.connect(url, device);
  await session.frame(sentinel.frameId);
  session.ack([sentinel.frameId]);
  const all = session.conn.log.filter((m) => m.op === Op.EVENT && m.t === "FRAME").map((m) => m.d as Frame);
  const frames = all.slice(
    0,
    all.findIndex((f) => f.id === sentinel.frameId),
  );
  session.conn.inbox.length = 0;
  return { session, frames };
}
