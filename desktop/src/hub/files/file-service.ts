import { mkdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { AppType, fileAckSchema, fileChunkSchema, type FileAck, type FileTransfer } from "@neural-link/shared/app";
import { b64uDecode, b64uEncode } from "@neural-link/shared/encoding";
import type { IncomingMessage, MessageHandler } from "@neural-link/shared/client";
import type { Logger } from "pino";
import { isWithin } from "../devices/workspace-path";
import type { FileTransferRecord, FileTransfersRepo } from "../store/file-transfers-repo";
import { listFolder, type ReadRules } from "./file-access";
import { FileError } from "./file-error";
import { FILE_DEFAULTS, type FileSettings } from "./file-settings";
import { Downloads } from "./downloads";
import { Uploads } from "./uploads";

/** The parts of the hub's link the file service uses (HubLink has them). */
export interface FileLink {
  send(to: string, t: string, d: unknown, qos: 0 | 1): Promise<{ outcome: string }>;
  handle(t: string, handler: MessageHandler): void;
}

export interface FileServiceDeps {
  repo: FileTransfersRepo;
  link: FileLink;
  rules: ReadRules;
  /** The person's settings (landing folder, size limit) over the defaults; read at each new transfer. */
  settings?(): Promise<Partial<FileSettings>>;
  /** A copy outside the landing folder goes through the normal task approval flow: returns the task id. */
  requestCopy?(device: string, file: string, destDir: string): Promise<string>;
  /** A transfer changed (the desktop UI's list of received files). */
  changed?(t: FileTransfer): void;
  log: Logger;
}

/** A record as the wire (and the UI) shows it; live progress filled in by the caller. */
export function toWireTransfer(r: FileTransferRecord, received = r.received): FileTransfer {
  return {
    xfer: r.id,
    direction: r.direction,
    name: r.name,
    size: r.size,
    received,
    state: r.state,
    ...(r.path ? { path: r.path } : {}),
    ...(r.sha256 ? { sha256: r.sha256 } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.taskId ? { task: r.taskId } : {}),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

/**
 * Files both ways (docs/hub.md, "Files"; wire in docs/protocol.md section 11):
 * uploads land in the landing folder, downloads read what a low-risk command
 * could read (never the hub's data folder). Chunks travel as qos 0 app messages
 * handled here; control is the `files.*` methods (rpc/file-handlers.ts).
 */
export class FileService {
  readonly uploads: Uploads;
  readonly downloads: Downloads;
  private readonly log: Logger;

  constructor(private readonly deps: FileServiceDeps) {
    this.log = deps.log.child({ mod: "hub/files" });
    const changed = (r: FileTransferRecord) => deps.changed?.(toWireTransfer(r));
    const settings = () => this.settings();
    this.uploads = new Uploads({
      repo: deps.repo,
      settings,
      ack: (device, ack) => this.sendAck(device, ack),
      checkDest: (dest, landing) => this.checkDest(dest, landing),
      ...(deps.requestCopy ? { requestCopy: deps.requestCopy } : {}),
      changed,
      log: this.log,
    });
    this.downloads = new Downloads({
      repo: deps.repo,
      rules: deps.rules,
      settings,
      sendChunk: async (device, xfer, offset, data, asBytes) => {
        try {
          const { outcome } = await deps.link.send(
            device,
            AppType.FILE_CHUNK,
            { xfer, offset, data: asBytes ? data : b64uEncode(data) },
            0,
          );
          return outcome !== "dropped";
        } catch {
          return false;
        }
      },
      changed,
      log: this.log,
    });
    // Once at start: leftovers of uploads that can no longer be resumed.
    void this.settings()
      .then((s) => this.uploads.sweep(Date.now(), s.partialKeepMs))
      .then(
        (n) => n > 0 && this.log.info({ n }, "abandoned partial uploads deleted"),
        (err: unknown) => this.log.warn({ err: String(err) }, "abandoned partial uploads not swept"),
      );
    deps.link.handle(AppType.FILE_CHUNK, (m) => this.onChunk(m));
    deps.link.handle(AppType.FILE_ACK, (m) => this.onAck(m));
  }

  async settings(): Promise<FileSettings> {
    return { ...FILE_DEFAULTS, ...(await this.deps.settings?.()) };
  }

  /** A folder's entries for a device (default: the landing folder). */
  async list(path: string | undefined) {
    const s = await this.settings();
    // The landing folder is made at the first upload; a phone looking at it before sees it empty, not missing.
    if (path === undefined || resolve(path) === resolve(s.landingDir)) await mkdir(s.landingDir, { recursive: true });
    return { ...(await listFolder(path ?? s.landingDir, this.deps.rules)), landing: s.landingDir };
  }

  /** Recent transfers (of one device, or all for the desktop UI), with live progress. */
  async recent(device: string | undefined, limit?: number): Promise<FileTransfer[]> {
    const s = await this.settings();
    const rows = await this.deps.repo.list({
      ...(device !== undefined ? { device } : {}),
      limit: limit ?? s.recentTransfers,
    });
    return rows.map((r) => toWireTransfer(r, this.uploads.progress(r.id) ?? r.received));
  }

  /**
   * Checks a landing folder the desktop user chose: absolute, not a file, and
   * neither inside nor around the hub's data folder. It need not exist yet
   * (it is created at the first upload). Returns it normalized.
   */
  async checkLanding(path: string): Promise<string> {
    const p = path.trim();
    if (!isAbsolute(p))
      throw new FileError("bad_params", `"${p}" is not an absolute path: give the full path of a folder`);
    const real = await realpath(p).catch(() => resolve(p));
    if ((await stat(real).catch(() => null))?.isFile())
      throw new FileError("bad_params", `${p} is a file, not a folder`);
    const data = await realpath(this.deps.rules.dataDir).catch(() => this.deps.rules.dataDir);
    if (isWithin(real, data) || isWithin(data, real))
      throw new FileError(
        "forbidden",
        `${p} ${isWithin(real, data) ? "is inside" : "contains"} the hub's own data folder; choose another folder`,
      );
    return resolve(p);
  }

  async stop(): Promise<void> {
    await this.uploads.stop();
    await this.downloads.stop();
  }

  private async onChunk(m: IncomingMessage): Promise<void> {
    const c = fileChunkSchema.safeParse(m.d);
    if (!c.success) return this.log.warn({ from: m.from }, "a malformed file.chunk was dropped");
    const raw = c.data.data;
    let data: Uint8Array;
    try {
      data = typeof raw === "string" ? b64uDecode(raw) : raw;
    } catch {
      return this.log.warn({ from: m.from }, "a file.chunk with bad base64url was dropped");
    }
    await this.uploads.chunk(m.from, c.data.xfer, c.data.offset, data);
  }

  private async onAck(m: IncomingMessage): Promise<void> {
    const a = fileAckSchema.safeParse(m.d);
    if (!a.success) return;
    await this.downloads.ack(m.from, a.data.xfer, a.data.received, a.data.resend === true);
  }

  private sendAck(device: string, ack: FileAck): void {
    this.deps.link
      .send(device, AppType.FILE_ACK, ack, 0)
      .catch((err: unknown) => this.log.debug({ err: String(err) }, "file.ack not sent (the sender recovers)"));
  }

  /**
   * A folder outside the landing folder to copy a sent file to: it must exist,
   * and never be the hub's data folder. Null when it is the landing folder itself.
   */
  private async checkDest(dest: string, landing: string): Promise<string | null> {
    let real: string;
    try {
      real = await realpath(dest);
    } catch {
      throw new FileError("not_found", `there is no folder at ${dest}`);
    }
    if (!(await stat(real)).isDirectory()) throw new FileError("bad_params", `${dest} is not a folder`);
    const data = await realpath(this.deps.rules.dataDir).catch(() => this.deps.rules.dataDir);
    if (isWithin(real, data)) throw new FileError("forbidden", "nothing may be written into the hub's own data folder");
    const land = await realpath(landing).catch(() => landing);
    return isWithin(real, land) ? null : real;
  }
}
