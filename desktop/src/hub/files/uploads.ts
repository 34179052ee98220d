import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, stat, unlink, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FileAck } from "@neural-link/shared/app";
import { ChunkReceiver } from "@neural-link/shared/files";
import type { Logger } from "pino";
import type { FileTransferRecord, FileTransfersRepo } from "../store/file-transfers-repo";
import { FileError } from "./file-error";
import { PART_PREFIX, placeWithoutOverwrite, sanitizeName } from "./file-names";
import type { FileSettings } from "./file-settings";

/** The SHA-256 of a file on disk, lowercase hex (streamed: files may be gigabytes). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

export interface UploadDeps {
  repo: FileTransfersRepo;
  settings(): Promise<FileSettings>;
  /** Sends a `file.ack` to the device (qos 0). */
  ack(device: string, ack: FileAck): void;
  /** A `dest` outside the landing folder: checked, resolved, or refused (see FileService). */
  checkDest(dest: string, landing: string): Promise<string | null>;
  /** Asks, through the normal approval flow, to copy a landed file to `destDir`; returns the task id. */
  requestCopy?(device: string, file: string, destDir: string): Promise<string>;
  changed(t: FileTransferRecord): void;
  log: Logger;
}

interface Live {
  device: string;
  receiver: ChunkReceiver;
  fd: FileHandle;
}

const sizeWords = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GiB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MiB`
      : `${n} bytes`;

/**
 * Files sent from a phone (docs/hub.md, "Files"). Bytes are written in order to
 * a hidden partial file in the landing folder (`.nlink-<xfer>.part`), whose
 * length is the resume point after anything: a dropped link, a relay restart,
 * a hub restart. `finish` checks the SHA-256 the phone sends against the bytes
 * on disk; a match is renamed into place without ever replacing a file
 * ("name (1).ext"), a mismatch is deleted and the transfer says why.
 */
export class Uploads {
  private readonly live = new Map<string, Live>();

  constructor(private readonly deps: UploadDeps) {}

  /** Begins a transfer, or (same `xfer`) tells where it stands. */
  async put(
    device: string,
    p: { xfer: string; name: string; size: number; dest?: string | undefined },
  ): Promise<{ record: FileTransferRecord; offset: number }> {
    const s = await this.deps.settings();
    const existing = await this.deps.repo.get(p.xfer);
    if (existing) {
      if (existing.device !== device || existing.direction !== "up")
        throw new FileError("not_found", "no such transfer");
      if (existing.state !== "receiving") return { record: existing, offset: existing.received };
      const live = await this.open(existing);
      return { record: { ...existing, received: live.receiver.received }, offset: live.receiver.received };
    }
    if (p.size > s.maxFileBytes) {
      throw new FileError(
        "too_large",
        `this file is ${sizeWords(p.size)}; the desktop takes files up to ${sizeWords(s.maxFileBytes)} (the size limit in its Settings)`,
      );
    }
    const name = sanitizeName(p.name);
    await mkdir(s.landingDir, { recursive: true });
    const destDir = p.dest !== undefined ? await this.deps.checkDest(p.dest, s.landingDir) : null;
    const partPath = join(s.landingDir, `${PART_PREFIX}${p.xfer}.part`);
    await (await open(partPath, "wx", 0o600)).close();
    const record = await this.deps.repo.create({
      id: p.xfer,
      device,
      direction: "up",
      name,
      size: p.size,
      received: 0,
      state: "receiving",
      path: null,
      partPath,
      destDir,
      sha256: null,
      error: null,
      taskId: null,
    });
    this.deps.changed(record);
    await this.open(record);
    return { record, offset: 0 };
  }

  /**
   * A `file.chunk` arrived from `device`. Unknown or foreign transfers are ignored: the sender recovers with
   * `files.put`.
   */
  async chunk(device: string, xfer: string, offset: number, data: Uint8Array): Promise<void> {
    const live = this.live.get(xfer);
    if (!live || live.device !== device) return;
    const verdict = live.receiver.offer(offset, data.length);
    if (verdict.kind === "gap") {
      if (verdict.ack) this.deps.ack(device, verdict.ack);
      return;
    }
    if (verdict.kind === "duplicate") return;
    await live.fd.write(data, 0, data.length, offset);
    const due = live.receiver.kept(data.length);
    if (due) this.deps.ack(device, due);
  }

  /** Bytes held now, for a live transfer (the UI's progress). */
  progress(xfer: string): number | undefined {
    return this.live.get(xfer)?.receiver.received;
  }

  async finish(device: string, xfer: string, sha256: string): Promise<FileTransferRecord> {
    const record = await this.deps.repo.get(xfer);
    if (!record || record.device !== device || record.direction !== "up")
      throw new FileError("not_found", "no such transfer");
    if (record.state !== "receiving") return record;
    const live = await this.open(record);
    if (!live.receiver.complete)
      throw new FileError(
        "conflict",
        `only ${live.receiver.received} of ${record.size} bytes have arrived; send the rest first`,
      );
    await this.close(xfer);
    const part = record.partPath!;
    const actual = await sha256File(part);
    if (actual !== sha256) {
      await unlink(part).catch((err: unknown) =>
        this.deps.log.warn({ xfer, err: String(err) }, "partial upload not deleted"),
      );
      const error = `the checksum did not match (the phone sent ${sha256.slice(0, 12)}…, the desktop received ${actual.slice(0, 12)}…), so the file was not kept; send it again`;
      this.deps.log.warn({ xfer }, "upload checksum mismatch; partial file deleted");
      return this.update(record.id, { state: "failed", error, received: record.size });
    }
    const dir = dirname(part);
    const name = await placeWithoutOverwrite(part, dir, record.name);
    const path = join(dir, name);
    let done = await this.update(record.id, {
      state: "done",
      name,
      path,
      sha256,
      partPath: null,
      received: record.size,
    });
    if (record.destDir && this.deps.requestCopy) {
      const taskId = await this.deps.requestCopy(device, path, record.destDir);
      done = await this.update(record.id, { taskId });
    }
    return done;
  }

  async cancel(device: string, xfer: string): Promise<FileTransferRecord> {
    const record = await this.deps.repo.get(xfer);
    if (!record || record.device !== device) throw new FileError("not_found", "no such transfer");
    if (record.state !== "receiving") return record;
    await this.close(xfer);
    if (record.partPath)
      await unlink(record.partPath).catch((err: unknown) =>
        this.deps.log.warn({ xfer, err: String(err) }, "cancelled upload's partial file not deleted"),
      );
    return this.update(record.id, { state: "cancelled", partPath: null });
  }

  /**
   * Uploads nobody resumed for `keepMs` (a phone that reloaded cannot: it keeps no
   * copy of the file) are cancelled and their partial files deleted, so the landing
   * folder does not fill with hidden leftovers. Returns how many went.
   */
  async sweep(now: number, keepMs: number): Promise<number> {
    let n = 0;
    for (const r of await this.deps.repo.open()) {
      if (r.direction !== "up" || this.live.has(r.id) || now - r.updatedAt < keepMs) continue;
      if (r.partPath)
        await unlink(r.partPath).catch((err: unknown) =>
          this.deps.log.warn({ xfer: r.id, err: String(err) }, "abandoned partial upload not deleted"),
        );
      await this.update(r.id, {
        state: "cancelled",
        partPath: null,
        error: "nobody resumed this upload; its partial file was deleted",
      });
      n++;
    }
    return n;
  }

  /** Closes every open partial file (the hub stops); they stay on disk to be resumed. */
  async stop(): Promise<void> {
    for (const xfer of [...this.live.keys()]) await this.close(xfer);
  }

  private async update(id: string, patch: Parameters<FileTransfersRepo["update"]>[1]): Promise<FileTransferRecord> {
    const r = await this.deps.repo.update(id, patch);
    this.deps.changed(r);
    return r;
  }

  /** The live state of a receiving transfer, from its partial file (whose length is what was kept). */
  private async open(record: FileTransferRecord): Promise<Live> {
    const had = this.live.get(record.id);
    if (had) return had;
    const s = await this.deps.settings();
    let held: number;
    try {
      held = Math.min((await stat(record.partPath!)).size, record.size);
    } catch {
      throw new FileError(
        "conflict",
        "the partial file of this transfer is gone from the landing folder; send the file again",
      );
    }
    const fd = await open(record.partPath!, "r+");
    const live: Live = {
      device: record.device,
      receiver: new ChunkReceiver(record.id, record.size, held, s.ackEveryBytes),
      fd,
    };
    this.live.set(record.id, live);
    if (held !== record.received) await this.deps.repo.update(record.id, { received: held });
    return live;
  }

  private async close(xfer: string): Promise<void> {
    const live = this.live.get(xfer);
    if (!live) return;
    this.live.delete(xfer);
    // Closing goes on either way: a lost offset only makes a resume start further back.
    await this.deps.repo
      .update(xfer, { received: live.receiver.received })
      .catch((err: unknown) => this.deps.log.warn({ xfer, err: String(err) }, "upload offset not stored"));
    await live.fd
      .close()
      .catch((err: unknown) => this.deps.log.warn({ xfer, err: String(err) }, "upload file not closed"));
  }
}
