import type { SeenIds } from "@neural-link/shared/crypto";
import type { Store } from "../store";

/**
 * The hub's remembered frame ids, with the handling of each frame in the
 * same SQLite transaction as its id (a store unit): after a crash either
 * both are on disk, and a redelivered copy is dropped as a replay (and
 * ACKed), or neither is, and the redelivered copy is handled as new. The
 * Endpoint ACKs only after the commit (docs/hub.md, "What survives what").
 */
export class StoreSeenIds implements SeenIds {
  constructor(private readonly store: Pick<Store, "seenFrames" | "unit">) {}

  has(from: string, id: string): Promise<boolean> {
    return this.store.seenFrames.has(from, id);
  }

  acceptOnce(from: string, id: string, expiresAt: number, effect: () => Promise<void>): Promise<boolean> {
    return this.store.unit.run(async () => {
      if (!(await this.store.seenFrames.markSeen(from, id, expiresAt))) return false;
      await effect();
      return true;
    });
  }
}
