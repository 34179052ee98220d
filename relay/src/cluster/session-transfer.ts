/**
 * Moving a resumable session between nodes of a cluster, so that a client
 * whose reconnection lands on another node still resumes (docs/protocol.md
 * section 4, resume: every event after `seq`, with its original `s`). The node
 * asked hands over the session's sequence, kept events, presence view and
 * unACKed frame ids, and forgets it (closing its connection with 4006 if it
 * still had one); the asking node adopts it and resumes as usual.
 */
import { frameTextOfBinary } from "../gateway/routed-frame";
import type { Session } from "../gateway/session";
import type { SessionRegistry } from "../gateway/session-registry";

export interface SessionTransfer {
  id: string;
  device: string;
  sequence: number;
  /** Kept events, oldest first, as JSON text (binary FRAMEs are transcoded; JSON stays valid on any connection). */
  events: string[];
  toldOnline: string[];
  inFlight: string[];
}

export function exportSession(session: Session): SessionTransfer {
  return {
    id: session.id,
    device: session.device,
    sequence: session.sequence,
    events: session.exportEvents().map((e) => (typeof e === "string" ? e : frameTextOfBinary(e))),
    toldOnline: [...session.toldOnline],
    inFlight: [...session.inFlight],
  };
}

export function importSession(registry: SessionRegistry, t: SessionTransfer): Session {
  const session = registry.adopt(t.id, t.device, t.sequence, t.events);
  for (const peer of t.toldOnline) session.toldOnline.add(peer);
  for (const id of t.inFlight) session.inFlight.add(id);
  return session;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Decodes a transfer; null for an empty reply (that node does not hold the session) or anything malformed. */
export function decodeTransfer(data: Uint8Array): SessionTransfer | null {
  if (data.length === 0) return null;
  try {
    const t = JSON.parse(
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"),
    ) as SessionTransfer;
    const ok =
      typeof t.id === "string" &&
      typeof t.device === "string" &&
      Number.isSafeInteger(t.sequence) &&
      isStrings(t.events) &&
      isStrings(t.toldOnline) &&
      isStrings(t.inFlight);
    return ok && t.events.length <= t.sequence ? t : null;
  } catch {
    return null;
  }
}
