import { homedir } from "node:os";
import { join } from "node:path";

/** Tuning of files both ways (docs/hub.md, "Files"); every value a named setting with its default. */
export interface FileSettings {
  /** Where files sent from a phone land; the desktop user changes it in Settings (stored as `fileLandingDir`). */
  landingDir: string;
  /** Largest file sent or fetched, bytes (stored as `fileMaxBytes`; default 2 GiB). */
  maxFileBytes: number;
  /** Bytes per `file.chunk`, before base64url: 256 KiB keeps a chunk frame near 350 KiB, under the relay's 512 KiB. */
  chunkBytes: number;
  /**
   * Bytes a sender may have in flight beyond the last ack. The relay holds qos 0
   * frames only in the receiver's socket buffer and drops them past 8 MiB there
   * (relay `maxBufferedBytes`); a chunk frame in JSON is ~1.36 times its data, so
   * 3 MiB in flight stays under 4.1 MB buffered, with room for other traffic.
   */
  windowBytes: number;
  /** The receiver acks after this many new bytes (and at the end). */
  ackEveryBytes: number;
  /** A download nobody acked for this long is forgotten (the phone can resume it with `files.get`), ms. */
  senderIdleMs: number;
  /** An upload nobody resumed for this long is cancelled at the next hub start, its partial file deleted, ms. */
  partialKeepMs: number;
  /** Transfers shown in the desktop's list and answered by `files.transfers` by default. */
  recentTransfers: number;
}

export const FILE_DEFAULTS: Readonly<FileSettings> = Object.freeze({
  landingDir: join(homedir(), "Downloads", "Neural Link"),
  maxFileBytes: 2 * 1024 ** 3,
  chunkBytes: 256 * 1024,
  windowBytes: 3 * 1024 * 1024,
  ackEveryBytes: 512 * 1024,
  senderIdleMs: 10 * 60_000,
  partialKeepMs: 7 * 24 * 60 * 60_000,
  recentTransfers: 20,
});
