import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import { ChunkSender } from "@neural-link/shared/files";
import type { Logger } from "pino";
import type { FileTransferRecord, FileTransfersRepo } from "../store/file-transfers-repo";
import { readableFile, type ReadRules } from "./file-access";
import { FileError } from "./file-error";
import type { FileSettings } from "./file-settings";
import { sha256File } from "./uploads";

/** Why a download ends when its file changed under it (the phone shows it). */
const FILE_CHANGED = "the file changed on the desktop while it was being fetched; fetch it again";

/** The file got shorter while it was being read. */
class FileChangedError extends Error {
  override name = "FileChangedError";
}

export interface DownloadDeps {
  repo: FileTransfersRepo;
  rules: ReadRules;
  settings(): Promise<FileSettings>;
  /**
   * Sends a `file.chunk` to the device (qos 0), its data as bytes when `asBytes` (the phone asked, docs/protocol.md
   * section 11, "Files as bytes"), else as base64url; false when it could not go out.
   */
  sendChunk(device: string, xfer: string, offset: number, data: Uint8Array, asBytes: boolean): Promise<boolean>;
  changed(t: FileTransferRecord): void;
  log: Logger;
}

interface Live {
  device: string;
  sender: ChunkSender;
  fd: FileHandle;
  idle: ReturnType<typeof setTimeout>;
}

/**
 * Files a phone fetches from the desktop (docs/hub.md, "Files"). `files.get`
 * checks the path against the read rules, sums the file and records the
 * transfer; the stream starts at the phone's first `file.ack` and always goes
 * on from the offset the phone says it holds, so a dropped link, a relay
 * restart or a hub restart costs at most one window of bytes.
 */
export class Downloads {
  private readonly live = new Map<string, Live>();
  /** Transfers whose phone asked, at its latest `files.get`, for chunks as bytes (kept in memory: it asks again). */
  private readonly asBytes = new Set<string>();

  constructor(private readonly deps: DownloadDeps) {}

  async get(device: string, p: { xfer: string; path: string; bytes?: true | undefined }): Promise<FileTransferRecord> {
    const existing = await this.deps.repo.get(p.xfer);
    if (existing) {
      if (existing.device !== device || existing.direction !== "down")
        throw new FileError("not_found", "no such transfer");
      this.chunksAsBytes(p.xfer, p.bytes === true);
      return existing;
    }
    const s = await this.deps.settings();
    const file = await readableFile(p.path, this.deps.rules);
    if (file.size > s.maxFileBytes)
      throw new FileError(
        "too_large",
        `this file is ${file.size} bytes; the desktop sends files up to ${s.maxFileBytes} bytes (the size limit in its Settings)`,
      );
    const sha256 = await sha256File(file.path);
    const record = await this.deps.repo.create({
      id: p.xfer,
      device,
      direction: "down",
      name: basename(file.path),
      size: file.size,
      received: 0,
      state: "sending",
      path: file.path,
      partPath: null,
      destDir: null,
      sha256,
      error: null,
      taskId: null,
    });
    this.deps.changed(record);
    this.chunksAsBytes(p.xfer, p.bytes === true);
    return record;
  }

  private chunksAsBytes(xfer: string, yes: boolean): void {
    if (yes) this.asBytes.add(xfer);
    else this.asBytes.delete(xfer);
  }

  /** A `file.ack` from the phone: moves the window, or (re)starts the stream from `received`. */
  async ack(device: string, xfer: string, received: number, resend: boolean): Promise<void> {
    const live = this.live.get(xfer);
    if (live) {
      if (live.device !== device) return;
      this.touch(xfer, live);
      live.sender.ack(received, resend);
      return;
    }
    if (!resend) return;
    const record = await this.deps.repo.get(xfer);
    if (!record || record.device !== device || record.direction !== "down" || record.state !== "sending") return;
    await this.start(record, received);
  }

  async stop(): Promise<void> {
    for (const xfer of [...this.live.keys()]) await this.end(xfer);
  }

  private async start(record: FileTransferRecord, from: number): Promise<void> {
    const s = await this.deps.settings();
    // Read again through the rules: the path may have become a link into the data folder since `files.get`.
    const file = await readableFile(record.path!, this.deps.rules).catch(() => null);
    if (!file) {
      await this.fail(record, "the file is no longer there or may no longer be read");
      return;
    }
    // A file now shorter than `files.get` described would end before the size the phone waits for (a stream that
    // never finishes): the transfer ends here, saying why. A longer one (a log still being written) streams the size
    // described, whose bytes the sum covers; other changes fail that sum on the phone.
    if (file.size < record.size) {
      await this.fail(record, FILE_CHANGED);
      return;
    }
    const fd = await open(file.path, "r");
    const sender = new ChunkSender({
      size: record.size,
      start: Math.min(from, record.size),
      chunkBytes: s.chunkBytes,
      windowBytes: s.windowBytes,
      stallMs: s.senderIdleMs,
      read: async (offset, length) => {
        const buf = Buffer.allocUnsafe(length);
        const { bytesRead } = await fd.read(buf, 0, length, offset);
        if (bytesRead < length) throw new FileChangedError(FILE_CHANGED);
        return buf.subarray(0, bytesRead);
      },
      send: (offset, data) => this.deps.sendChunk(record.device, record.id, offset, data, this.asBytes.has(record.id)),
    });
    const live: Live = { device: record.device, sender, fd, idle: setTimeout(() => undefined, 0) };
    this.live.set(record.id, live);
    this.touch(record.id, live);
    sender.run().then(
      async () => {
        await this.end(record.id);
        this.deps.changed(await this.deps.repo.update(record.id, { state: "done", received: record.size }));
      },
      async (err: unknown) => {
        this.deps.log.info({ xfer: record.id, err: String(err) }, "a download stream stopped");
        await this.end(record.id);
        if (err instanceof FileChangedError) await this.fail(record, err.message);
      },
    );
  }

  /** Nobody acked for `senderIdleMs`: the stream stops (the phone may resume it with files.get and an ack). */
  private touch(xfer: string, live: Live): void {
    clearTimeout(live.idle);
    void this.deps.settings().then((s) => {
      if (this.live.get(xfer) !== live) return;
      clearTimeout(live.idle);
      live.idle = setTimeout(() => live.sender.cancel(), s.senderIdleMs);
      live.idle.unref?.();
    });
  }

  private async end(xfer: string): Promise<void> {
    const live = this.live.get(xfer);
    if (!live) return;
    this.live.delete(xfer);
    this.asBytes.delete(xfer);
    clearTimeout(live.idle);
    live.sender.cancel();
    await live.fd
      .close()
      .catch((err: unknown) => this.deps.log.warn({ xfer, err: String(err) }, "download file not closed"));
  }

  private async fail(record: FileTransferRecord, error: string): Promise<void> {
    this.deps.changed(await this.deps.repo.update(record.id, { state: "failed", error }));
  }
}
