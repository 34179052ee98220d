import type { SeenIds } from "@neural-link/shared/crypto";
import type { Logger } from "pino";
import type { Store } from "../store";
import type { SeenFrame } from "../store/seen-frames-repo";

/** When ids recorded with `recordSoon` reach the disk. */
export interface SeenWriteBehind {
  /** At most this long after the first waiting id, ms. */
  flushAfterMs: number;
  /** Or as soon as this many wait. */
  flushAtCount: number;
}

export const SEEN_WRITE_BEHIND_DEFAULTS: Readonly<SeenWriteBehind> = Object.freeze({
  flushAfterMs: 50,
  flushAtCount: 500,
});

/**
 * The hub's remembered frame ids, with the handling of each frame in the
 * same SQLite transaction as its id (a store unit): after a crash either
 * both are on disk, and a redelivered copy is dropped as a replay (and
 * ACKed), or neither is, and the redelivered copy is handled as new. The
 * Endpoint ACKs only after the commit (docs/hub.md, "What survives what").
 *
 * Keystrokes and acks (qos 0, no store effect) take `recordSoon`: their ids
 * wait in memory, where `has` and `acceptOnce` see them at once, and reach
 * the disk in one statement per batch (a transaction per keystroke cost
 * ~0.2 ms of the echo's path). A crash loses at most the last batch; a relay
 * could then replay those few frames once, which after a restart find no
 * terminal to type into (terminals end with the hub).
 */
export class StoreSeenIds implements SeenIds {
  private readonly waiting = new Map<string, SeenFrame>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<Store, "seenFrames" | "unit">,
    private readonly log: Pick<Logger, "warn">,
    private readonly writeBehind: SeenWriteBehind = SEEN_WRITE_BEHIND_DEFAULTS,
  ) {}

  has(from: string, id: string): boolean {
    return this.waiting.has(keyOf(from, id)) || this.store.seenFrames.has(from, id);
  }

  acceptOnce(from: string, id: string, expiresAt: number, effect: () => Promise<void>): Promise<boolean> {
    if (this.waiting.has(keyOf(from, id))) return Promise.resolve(false);
    return this.store.unit.run(async () => {
      if (!(await this.store.seenFrames.markSeen(from, id, expiresAt))) return false;
      await effect();
      return true;
    });
  }

  recordSoon(from: string, id: string, expiresAt: number): boolean {
    const key = keyOf(from, id);
    if (this.waiting.has(key)) return false;
    this.waiting.set(key, { from, id, expiresAt });
    if (this.waiting.size >= this.writeBehind.flushAtCount) void this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.writeBehind.flushAfterMs);
      this.timer.unref();
    }
    return true;
  }

  /** Writes every waiting id; resolves once they are on disk (or the write failed and was logged). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.size === 0) return this.flushing;
    const batch = [...this.waiting];
    this.flushing = this.flushing
      .then(() => this.store.seenFrames.markSeenMany(batch.map(([, frame]) => frame)))
      .then(
        // Forgotten in memory only once on disk, so that `has` never has a gap.
        () => batch.forEach(([key]) => this.waiting.delete(key)),
        (err: unknown) => {
          // They stay in memory (still refused as replays) and are tried again with the next batch.
          this.log.warn({ err: String(err), ids: batch.length }, "could not write remembered frame ids");
        },
      );
    return this.flushing;
  }
}

const keyOf = (from: string, id: string) => `${from}/${id}`;
