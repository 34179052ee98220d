import type { SeenIds } from "@neural-link/shared/crypto";
import type { KeyValue } from "../storage/kv";

const PREFIX = "seen/";

/**
 * Remembered frame ids (PROTOCOL.md section 6) in the phone's storage, so
 * that a frame replayed after the app was reopened is still refused.
 * Concurrent deliveries of one id are serialised in memory first, because
 * IndexedDB's get-then-set is not atomic. Entries are not swept: they are
 * small, and a phone receives few frames compared with the retention time.
 */
export function kvSeenIds(kv: KeyValue): SeenIds {
  const inFlight = new Set<string>();
  return {
    async markSeen(from, id, expiresAt) {
      const key = `${PREFIX}${from}/${id}`;
      if (inFlight.has(key)) return false;
      inFlight.add(key);
      try {
        const seenUntil = await kv.get<number>(key);
        if (seenUntil !== undefined && seenUntil > Date.now()) return false;
        await kv.set(key, expiresAt);
        return true;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}
