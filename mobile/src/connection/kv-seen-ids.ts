import type { SeenIds } from "@neural-link/shared/crypto";
import type { KeyValue } from "../storage/kv";

const PREFIX = "seen/";

/** Remembered frame ids that can also forget the expired ones. */
export interface KvSeenIds extends SeenIds {
  /** Test-and-set of one id, without an effect: true when it was not remembered. */
  markSeen(from: string, id: string, expiresAt: number): Promise<boolean>;
  /**
   * Deletes every entry whose expiry has passed by `now`; resolves with how
   * many were deleted. Safe to run while frames arrive.
   */
  sweep(now?: number): Promise<number>;
}

/**
 * Remembered frame ids (docs/protocol.md section 8) in the phone's storage, so
 * that a frame replayed after the app was reopened is still refused.
 * Concurrent deliveries of one id are serialised in memory first, because
 * IndexedDB's get-then-set is not atomic. Expired entries are only dead
 * weight (markSeen ignores them), so `sweep` deletes them; the app runs it at
 * startup. IndexedDB cannot share a transaction with the app's effects, so
 * `acceptOnce` runs the effect first and records the id after it: a reload in
 * between handles the frame again (the stores dedupe by message and task id)
 * rather than losing it.
 */
export function kvSeenIds(kv: KeyValue): KvSeenIds {
  /** Keys a markSeen is deciding on; a sweep leaves them alone. */
  const inFlight = new Set<string>();
  /** Keys a sweep is deciding on; a markSeen of one waits for that decision. */
  const sweeping = new Map<string, Promise<void>>();

  async function sweepOne(key: string, now: number): Promise<boolean> {
    const seenUntil = await kv.get<unknown>(key);
    if (typeof seenUntil === "number" && seenUntil > now) return false;
    await kv.del(key);
    return true;
  }

  async function remembered(key: string): Promise<boolean> {
    const seenUntil = await kv.get<number>(key);
    return seenUntil !== undefined && seenUntil > Date.now();
  }

  return {
    async has(from, id) {
      const key = `${PREFIX}${from}/${id}`;
      return inFlight.has(key) || (await remembered(key));
    },

    async acceptOnce(from, id, expiresAt, effect) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key)) return false;
      inFlight.add(key);
      try {
        await sweeping.get(key);
        if (await remembered(key)) return false;
        await effect();
        await kv.set(key, expiresAt);
        return true;
      } finally {
        inFlight.delete(key);
      }
    },

    async markSeen(from, id, expiresAt) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key)) return false;
      inFlight.add(key);
      try {
        // Without this wait, a sweep that read an expired value could delete
        // the fresh expiry written here, and a replay would be accepted.
        await sweeping.get(key);
        if (await remembered(key)) return false;
        await kv.set(key, expiresAt);
        return true;
      } finally {
        inFlight.delete(key);
      }
    },

    async sweep(now = Date.now()) {
      let deleted = 0;
      for (const key of await kv.keys(PREFIX)) {
        if (inFlight.has(key) || sweeping.has(key)) continue;
        const done = sweepOne(key, now);
        sweeping.set(
          key,
          done.then(
            () => undefined,
            () => undefined,
          ),
        );
        try {
          if (await done) deleted += 1;
        } finally {
          sweeping.delete(key);
        }
      }
      return deleted;
    },
  };
}
