import type { KeyValue } from "../storage/kv";

/** An upload begun and not finished: the picked file itself (IndexedDB keeps Blobs), and its transfer id. */
export interface PendingUpload {
  xfer: string;
  /** The desktop it goes to (its device id). */
  hub: string;
  file: File;
  startedAt: number;
}

/** As stored: the bytes as a Blob and the name beside it (not every structured clone keeps a File's name). */
interface Stored {
  xfer: string;
  hub: string;
  blob: Blob;
  name: string;
  startedAt: number;
}

/**
 * Uploads on their way, kept on the phone so that one cut off by a reload, or by the browser
 * closing the app in the background, goes on from the desktop's offset when the app opens again.
 * Keys: `upload:<hub>:<xfer>`.
 */
export interface PendingUploads {
  save(p: PendingUpload): Promise<void>;
  remove(hub: string, xfer: string): Promise<void>;
  /** This desktop's, oldest first. */
  list(hub: string): Promise<PendingUpload[]>;
  /** Forgets every upload to a desktop (the phone forgot the desktop): no copy of a file stays behind. */
  clear(hub: string): Promise<void>;
}

const key = (hub: string, xfer: string) => `upload:${hub}:${xfer}`;

export function pendingUploads(kv: KeyValue): PendingUploads {
  return {
    save: (p) =>
      kv.set(key(p.hub, p.xfer), {
        xfer: p.xfer,
        hub: p.hub,
        blob: p.file,
        name: p.file.name,
        startedAt: p.startedAt,
      } satisfies Stored),
    remove: (hub, xfer) => kv.del(key(hub, xfer)),
    async list(hub) {
      const found: PendingUpload[] = [];
      for (const k of await kv.keys(`upload:${hub}:`)) {
        const p = await kv.get<Partial<Stored>>(k);
        if (p && typeof p.xfer === "string" && typeof p.name === "string" && p.blob instanceof Blob)
          found.push({
            xfer: p.xfer,
            hub,
            file: new File([p.blob], p.name, { type: p.blob.type }),
            startedAt: Number(p.startedAt),
          });
        else await kv.del(k); // unreadable (an older app's, or a Blob the browser dropped): nothing to resume
      }
      return found.sort((a, b) => a.startedAt - b.startedAt);
    },
    async clear(hub) {
      for (const k of await kv.keys(`upload:${hub}:`)) await kv.del(k);
    },
  };
}
