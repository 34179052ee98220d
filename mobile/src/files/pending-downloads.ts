import type { KeyValue } from "../storage/kv";

/** A download begun and not finished: what it fetches, and the hub's description of it then. */
export interface PendingDownload {
  xfer: string;
  /** The desktop it comes from (its device id). */
  hub: string;
  path: string;
  name: string;
  size: number;
  /** The hub's SHA-256 of the file when the download began: a changed file starts again from its first byte. */
  sha256: string;
  startedAt: number;
}

/** A pending download with the bytes kept so far, in order from the file's first byte. */
export interface HeldDownload {
  download: PendingDownload;
  held: Blob[];
  /** Bytes in `held`. */
  bytes: number;
}

/**
 * Downloads on their way, kept on the phone so that one cut off by a reload, or by the browser
 * closing the app in the background, goes on from the bytes kept when the app opens again
 * (docs/mobile.md, "Files"). The bytes are kept in pieces as they arrive, each under its own key
 * named by its offset, so keeping more never rewrites what is kept already.
 * Keys: `download:<hub>:<xfer>` for the description, `download-part:<hub>:<xfer>:<offset>` for the bytes.
 */
export interface PendingDownloads {
  begin(d: PendingDownload): Promise<void>;
  /** Keeps the next bytes, which start at `offset` (the bytes kept so far). */
  keep(hub: string, xfer: string, offset: number, bytes: Blob): Promise<void>;
  /** Drops the bytes kept from `offset` on (all of them for 0): the download goes on from there. */
  dropFrom(hub: string, xfer: string, offset: number): Promise<void>;
  remove(hub: string, xfer: string): Promise<void>;
  /** This desktop's, oldest first, each with its bytes up to the first gap (the pieces after a gap are dropped). */
  list(hub: string): Promise<HeldDownload[]>;
  /** Forgets every download from a desktop (the phone forgot the desktop): none of its bytes stay behind. */
  clear(hub: string): Promise<void>;
}

/** Offsets fixed-width in keys, so that the keys of one download sort in file order. */
const OFFSET_DIGITS = 16;
const key = (hub: string, xfer: string) => `download:${hub}:${xfer}`;
const partPrefix = (hub: string, xfer: string) => `download-part:${hub}:${xfer}:`;
const partKey = (hub: string, xfer: string, offset: number) =>
  partPrefix(hub, xfer) + String(offset).padStart(OFFSET_DIGITS, "0");
const offsetOf = (k: string) => Number(k.slice(k.lastIndexOf(":") + 1));

function readable(d: Partial<PendingDownload> | undefined): d is PendingDownload {
  return (
    d !== undefined &&
    typeof d.xfer === "string" &&
    typeof d.path === "string" &&
    typeof d.name === "string" &&
    typeof d.sha256 === "string" &&
    Number.isSafeInteger(d.size) &&
    Number.isFinite(d.startedAt)
  );
}

export function pendingDownloads(kv: KeyValue): PendingDownloads {
  const partKeys = async (hub: string, xfer: string) =>
    (await kv.keys(partPrefix(hub, xfer))).sort((a, b) => offsetOf(a) - offsetOf(b));
  const dropFrom = async (hub: string, xfer: string, offset: number) => {
    for (const k of await partKeys(hub, xfer)) if (offsetOf(k) >= offset) await kv.del(k);
  };
  const remove = async (hub: string, xfer: string) => {
    await kv.del(key(hub, xfer));
    await dropFrom(hub, xfer, 0);
  };
  return {
    begin: (d) => kv.set(key(d.hub, d.xfer), { ...d } satisfies PendingDownload),
    keep: (hub, xfer, offset, bytes) => kv.set(partKey(hub, xfer, offset), bytes),
    dropFrom,
    remove,
    async list(hub) {
      const found: HeldDownload[] = [];
      for (const k of await kv.keys(`download:${hub}:`)) {
        const download = await kv.get<Partial<PendingDownload>>(k);
        if (!readable(download)) {
          // An older app's, or damaged: nothing to resume from.
          await remove(hub, k.slice(`download:${hub}:`.length));
          continue;
        }
        const held: Blob[] = [];
        let bytes = 0;
        for (const pk of await partKeys(hub, download.xfer)) {
          const part = await kv.get<unknown>(pk);
          if (offsetOf(pk) !== bytes || !(part instanceof Blob) || bytes + part.size > download.size) break;
          held.push(part);
          bytes += part.size;
        }
        // Pieces past a gap (a write the browser lost) could never join the rest.
        await dropFrom(hub, download.xfer, bytes);
        found.push({ download: { ...download, hub }, held, bytes });
      }
      // Pieces whose description is gone (its write was lost) belong to no download.
      const xfers = new Set(found.map((f) => f.download.xfer));
      for (const k of await kv.keys(`download-part:${hub}:`)) {
        const xfer = k.slice(`download-part:${hub}:`.length, k.lastIndexOf(":"));
        if (!xfers.has(xfer)) await kv.del(k);
      }
      return found.sort((a, b) => a.download.startedAt - b.download.startedAt);
    },
    async clear(hub) {
      for (const k of await kv.keys(`download:${hub}:`)) await remove(hub, k.slice(`download:${hub}:`.length));
      for (const k of await kv.keys(`download-part:${hub}:`)) await kv.del(k);
    },
  };
}
