import { browserLog } from "@neural-link/ui/log";
import { FILES_SETTINGS } from "./files-settings";
import type { PendingDownload, PendingDownloads } from "./pending-downloads";

/**
 * Keeps one download's bytes in the phone's storage as they arrive, for a later page to go on from
 * (PendingDownloads): gathered into pieces of `downloadKeepPieceBytes`, written one after another. Keeping is best
 * effort: a write that fails, or a file over `resumableDownloadMaxBytes`, stops it, and the download itself goes on
 * (a reload would then start it again from an earlier byte, or from the first).
 */
export class DownloadKeeper {
  private keeping = false;
  private waiting: Uint8Array[] = [];
  private waitingBytes = 0;
  /** Offset of the first waiting byte: everything before it is written or being written. */
  private waitingFrom = 0;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PendingDownloads,
    private readonly hub: string,
    private readonly xfer: string,
  ) {}

  /** The hub described the file; `received` bytes are held already (a resumed download's). */
  start(download: Omit<PendingDownload, "hub" | "xfer">, received: number): void {
    if (download.size > FILES_SETTINGS.resumableDownloadMaxBytes) return;
    this.keeping = true;
    this.waitingFrom = received;
    this.write(async () => {
      await this.store.begin({ ...download, hub: this.hub, xfer: this.xfer });
      // A file that changed since comes again from its first byte: what was kept of it is no use.
      await this.store.dropFrom(this.hub, this.xfer, received);
    });
  }

  /** Bytes received in order, starting at `offset`. */
  add(offset: number, data: Uint8Array): void {
    if (!this.keeping) return;
    if (offset !== this.waitingFrom + this.waitingBytes) return this.stop("bytes out of order");
    this.waiting.push(data);
    this.waitingBytes += data.length;
    if (this.waitingBytes >= FILES_SETTINGS.downloadKeepPieceBytes) this.flush();
  }

  /** The download ended, whichever way: nothing is left to go on from. */
  async end(): Promise<void> {
    this.keeping = false;
    await this.writes;
    await this.store
      .remove(this.hub, this.xfer)
      .catch((err: unknown) => browserLog.warn({ err: String(err) }, "finished download not forgotten"));
  }

  private flush(): void {
    const piece = new Blob(this.waiting as BlobPart[]);
    const offset = this.waitingFrom;
    this.waitingFrom += this.waitingBytes;
    this.waiting = [];
    this.waitingBytes = 0;
    this.write(() => this.store.keep(this.hub, this.xfer, offset, piece));
  }

  private write(step: () => Promise<void>): void {
    this.writes = this.writes.then(() => (this.keeping ? step() : undefined)).catch((err: unknown) => this.stop(err));
  }

  private stop(why: unknown): void {
    if (this.keeping) browserLog.warn({ err: String(why) }, "download no longer kept for a resume");
    this.keeping = false;
    this.waiting = [];
    this.waitingBytes = 0;
  }
}
