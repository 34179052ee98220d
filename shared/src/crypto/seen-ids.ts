import { SEEN_ID_RETENTION_MS } from "../protocol/defaults";
import { EnvelopeError } from "./errors";
import type { EnvelopeInner } from "./envelope";

/**
 * The remembered ids of accepted frames (docs/protocol.md section 8), and the
 * place where accepting a frame and handling it become one unit.
 *
 * `acceptOnce` records the id together with `effect`: a store with
 * transactions (the hub's SQLite) runs both in one transaction, so a crash
 * leaves either both or neither; a store without them runs the effect first
 * and records the id after it, so a crash in between repeats the effect on
 * redelivery rather than losing it. Either way the caller ACKs the frame only
 * after `acceptOnce` resolves, and an `effect` that throws leaves the id
 * unrecorded, so the relay offers the frame again.
 */
export interface SeenIds {
  /** Whether `id` from `from` was accepted before (and is still remembered). */
  has(from: string, id: string): boolean | Promise<boolean>;
  /**
   * Runs `effect` and records the id as one unit; false, without running `effect`, if the id was already recorded or is
   * being handled.
   */
  acceptOnce(from: string, id: string, expiresAt: number, effect: () => Promise<void>): Promise<boolean>;
  /**
   * Optional fast path for a qos 0 frame whose handling wrote nothing (a keystroke, an ack): records
   * the id at once, in memory, and durably soon after (the implementation says how soon). False if
   * the id was already recorded. Safe because no honest relay ever offers a qos 0 frame twice: only a
   * replay in the moment before a crash could pass, of a frame that stores nothing.
   */
  recordSoon?(from: string, id: string, expiresAt: number): boolean;
}

/** When an id accepted at `now` may be forgotten (see SEEN_ID_RETENTION_MS). */
export function seenIdExpiry(now: number): number {
  return now + SEEN_ID_RETENTION_MS;
}

/**
 * The last check of docs/protocol.md section 8: refuses a frame whose id this device already
 * accepted, and otherwise remembers it (with `effect`, see SeenIds) until
 * its envelope could no longer be accepted anyway.
 */
export async function acceptEnvelope(
  inner: EnvelopeInner,
  seen: SeenIds,
  now: number,
  effect: () => Promise<void> = async () => {},
): Promise<EnvelopeInner> {
  const fresh = await seen.acceptOnce(inner.from, inner.id, seenIdExpiry(now), effect);
  if (!fresh) throw new EnvelopeError("replayed", "frame id was already accepted");
  return inner;
}

/** Entries between automatic sweeps of a MemorySeenIds. */
const MEMORY_SWEEP_EVERY = 1024;

/** An in-memory SeenIds for short-lived clients and tests; sweeps itself as it goes. */
export class MemorySeenIds implements SeenIds {
  private readonly entries = new Map<string, number>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  has(from: string, id: string): boolean {
    return this.entries.has(`${from}/${id}`);
  }

  async acceptOnce(from: string, id: string, expiresAt: number, effect: () => Promise<void>): Promise<boolean> {
    const key = `${from}/${id}`;
    if (this.entries.has(key) || this.inFlight.has(key)) return false;
    this.inFlight.add(key);
    try {
      await effect();
      this.entries.set(key, expiresAt);
      if (this.entries.size % MEMORY_SWEEP_EVERY === 0) this.sweep(this.now());
      return true;
    } finally {
      this.inFlight.delete(key);
    }
  }

  recordSoon(from: string, id: string, expiresAt: number): boolean {
    const key = `${from}/${id}`;
    if (this.entries.has(key) || this.inFlight.has(key)) return false;
    this.entries.set(key, expiresAt);
    if (this.entries.size % MEMORY_SWEEP_EVERY === 0) this.sweep(this.now());
    return true;
  }

  /** Test-and-set without an effect. */
  markSeen(from: string, id: string, expiresAt: number): Promise<boolean> {
    return this.acceptOnce(from, id, expiresAt, async () => {});
  }

  sweep(now: number): void {
    for (const [key, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(key);
  }
}
