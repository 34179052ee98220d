import { SEEN_ID_RETENTION_MS } from "../protocol/defaults";
import { EnvelopeError } from "./errors";
import type { EnvelopeInner } from "./envelope";

/**
 * The remembered ids of accepted frames. `markSeen` records the id and
 * answers false when it was already there, atomically: two deliveries of the
 * same frame racing each other must not both be accepted.
 */
export interface SeenIds {
  markSeen(from: string, id: string, expiresAt: number): boolean | Promise<boolean>;
}

/**
 * The last check of section 6: refuses a frame whose id this device already
 * accepted, and otherwise remembers it for frame expiry plus one day.
 */
export async function acceptEnvelope(inner: EnvelopeInner, seen: SeenIds, now: number): Promise<EnvelopeInner> {
  const fresh = await seen.markSeen(inner.from, inner.id, now + SEEN_ID_RETENTION_MS);
  if (!fresh) throw new EnvelopeError("replayed", "frame id was already accepted");
  return inner;
}

/** An in-memory SeenIds for short-lived clients and tests; sweeps itself as it goes. */
export class MemorySeenIds implements SeenIds {
  private readonly entries = new Map<string, number>();

  markSeen(from: string, id: string, expiresAt: number): boolean {
    const key = `${from}/${id}`;
    if (this.entries.has(key)) return false;
    this.entries.set(key, expiresAt);
    if (this.entries.size % 1024 === 0) this.sweep(Date.now());
    return true;
  }

  sweep(now: number): void {
    for (const [key, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(key);
  }
}
