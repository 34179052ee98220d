import type { SeenIds } from "@neural-link/shared/crypto";
import type { KeyValue } from "../storage/kv";

const PREFIX = "seen/";
/** How long ids recorded with `recordSoon` wait before they are written together, ms. */
export const SEEN_WRITE_BEHIND_MS = 50;

/** Remembered frame ids that can also forget the expired ones. */
export interface KvSeenIds extends SeenIds {
  /** Test-and-set of one id, without an effect: true when it was not remembered. */
  markSeen(from: string, id: string, expiresAt: number): Promise<boolean>;
  /**
   * Deletes every entry whose expiry has passed by `now`; resolves with how
   * many were deleted. Safe to run while frames arrive.
   */
  sweep(now?: number): Promise<number>;
  /**
   * Reads which ids are stored, once, at the app's start: from then on `has` answers from memory, without an
   * IndexedDB read per received frame (0.2 ms at the median, 1.5 ms at p99 in Chromium). Resolves with the count.
   */
  warm(): Promise<number>;
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
 *
 * Terminal output and acks (qos 0, nothing stored) take `recordSoon`: the id is
 * refused at once from memory and written with the others of the last 50 ms in
 * one transaction, instead of a read and a write per frame. A reload in those
 * 50 ms forgets them; a relay could then show that output once more.
 *
 * Once `warm` has read the stored keys, `has` (the check before a frame is shown)
 * answers from memory: the keys stored at the start, plus every one written or
 * recorded since, less those swept. An expired key still counts as seen there:
 * an envelope old enough for its id to have expired is refused by its age first
 * (docs/protocol.md section 8). `acceptOnce` and `markSeen` keep reading storage,
 * so a qos 1 frame stays refused even if another tab of the app stored its id.
 * The cost is memory: about 100 bytes per id of the retention window.
 */
export function kvSeenIds(kv: KeyValue): KvSeenIds {
  /** Keys a markSeen is deciding on; a sweep leaves them alone. */
  const inFlight = new Set<string>();
  /** Keys a sweep is deciding on; a markSeen of one waits for that decision. */
  const sweeping = new Map<string, Promise<void>>();
  /** Ids recorded with `recordSoon`, not yet written. */
  const waiting = new Map<string, number>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Keys stored, once `warm` has read them (null before): `has` answers from here. */
  let stored: Set<string> | null = null;
  /** Keys written before `warm` finished, which its read of the keys may have missed. */
  const early = new Set<string>();
  const wrote = (key: string) => (stored ?? early).add(key);

  function flush(): void {
    flushTimer = undefined;
    const batch = [...waiting];
    kv.setMany(batch).then(
      () =>
        batch.forEach(([key]) => {
          wrote(key);
          waiting.delete(key);
        }),
      // They stay in memory, still refused, and go with the next batch.
      () => undefined,
    );
  }

  async function sweepOne(key: string, now: number): Promise<boolean> {
    const seenUntil = await kv.get<unknown>(key);
    if (typeof seenUntil === "number" && seenUntil > now) return false;
    await kv.del(key);
    stored?.delete(key);
    return true;
  }

  async function remembered(key: string): Promise<boolean> {
    const seenUntil = await kv.get<number>(key);
    return seenUntil !== undefined && seenUntil > Date.now();
  }

  return {
    has(from, id) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key) || waiting.has(key)) return true;
      return stored ? stored.has(key) : remembered(key);
    },

    async warm() {
      const keys = await kv.keys(PREFIX);
      // Writes that landed while the keys were read are kept: merged, not replaced.
      stored = new Set([...keys, ...early]);
      early.clear();
      return stored.size;
    },

    recordSoon(from, id, expiresAt) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key) || waiting.has(key)) return false;
      waiting.set(key, expiresAt);
      flushTimer ??= setTimeout(flush, SEEN_WRITE_BEHIND_MS);
      return true;
    },

    async acceptOnce(from, id, expiresAt, effect) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key) || waiting.has(key)) return false;
      inFlight.add(key);
      try {
        await sweeping.get(key);
        if (await remembered(key)) return false;
        await effect();
        await kv.set(key, expiresAt);
        wrote(key);
        return true;
      } finally {
        inFlight.delete(key);
      }
    },

    async markSeen(from, id, expiresAt) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key) || waiting.has(key)) return false;
      inFlight.add(key);
      try {
        // Without this wait, a sweep that read an expired value could delete
        // the fresh expiry written here, and a replay would be accepted.
        await sweeping.get(key);
        if (await remembered(key)) return false;
        await kv.set(key, expiresAt);
        wrote(key);
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
