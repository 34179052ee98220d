import { fileAckSchema, type FileTransfer } from "../app/files";
import type { MethodParams, MethodResult } from "../app/methods";
import { RPC_ERROR_CODES } from "../app/rpc";
import type { ClientLog } from "../client/log";
import { AppType } from "../app/types";
import { randomBytes } from "../crypto/bytes";
import { Sha256, toHex } from "../crypto/sha256";
import { b64uEncode } from "../encoding/b64u";
import { ChunkSender, TransferCancelled } from "./chunk-sender";
import {
  type CancelSignal,
  type FilePort,
  type FileSource,
  TRANSFER_DEFAULTS,
  type TransferSettings,
} from "./file-port";

export interface UploadOptions {
  /** Resume a transfer begun earlier (same file): the hub answers its offset. */
  xfer?: string;
  /** A folder outside the landing folder: the file lands, then a copy there waits for approval. */
  dest?: string;
  settings?: Partial<TransferSettings>;
  onProgress?(sent: number, size: number): void;
  /** Called once the transfer id is known, so a caller can cancel or resume it. */
  onStart?(xfer: string): void;
  /** Aborting stops sending, asks the hub to drop what it received (`files.cancel`) and rejects with TransferCancelled. */
  signal?: CancelSignal;
  /** Where failures that do not stop the transfer are reported (at debug). */
  log?: Pick<ClientLog, "debug">;
}

/** A fresh transfer id (base64url of 16 random bytes). */
export function newXferId(): string {
  return b64uEncode(randomBytes(16));
}

/**
 * Sends one file to the hub (docs/protocol.md section 11, "Files"): `files.put`,
 * then qos 0 `file.chunk`s in a window clocked by the hub's `file.ack`, then
 * `files.finish` with the SHA-256 computed while reading. A disconnect or a relay
 * restart only stalls it: after `stallMs` without progress it asks `files.put`
 * again (which waits for the link) and goes on from the hub's offset. Cancelled
 * through `signal`, it tells the hub, which deletes the part it holds.
 *
 * @example const t = await uploadFile(link, { name: "a.jpg", size, read }, { onProgress: (n) => bar(n) }); t.state // "done"
 */
export async function uploadFile(port: FilePort, source: FileSource, opts: UploadOptions = {}): Promise<FileTransfer> {
  const settings = { ...TRANSFER_DEFAULTS, ...opts.settings };
  const xfer = opts.xfer ?? newXferId();
  opts.onStart?.(xfer);
  const params = { xfer, name: source.name, size: source.size, ...(opts.dest ? { dest: opts.dest } : {}) };
  const begun = await port.call("files.put", params);
  if (begun.transfer.state !== "receiving") return begun.transfer;
  try {
    return await sendAndFinish(port, source, xfer, params, begun, settings, opts);
  } catch (err) {
    if (!(err instanceof TransferCancelled)) throw err;
    // Best effort: a hub that does not hear it drops the part when nobody resumed it for a while.
    await port
      .call("files.cancel", { xfer })
      .catch((e: unknown) =>
        opts.log?.debug({ xfer, err: String(e) }, "files.cancel not answered; the hub drops the part later"),
      );
    throw err;
  }
}

/** What `files.put` answered for a transfer it is receiving. */
type Begun = MethodResult<"files.put">;

async function sendAndFinish(
  port: FilePort,
  source: FileSource,
  xfer: string,
  params: MethodParams<"files.put">,
  begun: Begun,
  settings: TransferSettings,
  opts: UploadOptions,
): Promise<FileTransfer> {
  const hash = new Sha256();
  // Resuming a transfer the hub already holds part of: the sum covers those bytes too.
  for (let at = 0; at < begun.offset; at += begun.chunk_bytes)
    hash.update(await source.read(at, Math.min(begun.chunk_bytes, begun.offset - at)));
  const sender: ChunkSender = new ChunkSender({
    size: source.size,
    start: begun.offset,
    chunkBytes: begun.chunk_bytes,
    windowBytes: begun.window_bytes,
    stallMs: settings.stallMs,
    read: (offset, length) => source.read(offset, length),
    send: async (offset, data) => {
      try {
        // As bytes when the desktop said it takes them (docs/protocol.md section 11, "Files as bytes").
        await port.send(AppType.FILE_CHUNK, { xfer, offset, data: begun.bytes ? data : b64uEncode(data) }, 0);
        return true;
      } catch {
        return false;
      }
    },
    // Offline for longer than a call waits: keep the position and ask again at the next stall.
    recover: async (): Promise<number> =>
      port.call("files.put", params).then(
        (r) => r.offset,
        () => sender.ackedBytes,
      ),
    onFirstRead: (_offset, data) => hash.update(data),
    onProgress: (acked) => opts.onProgress?.(acked, source.size),
  });
  const off = port.onPush((p) => {
    if (p.t !== AppType.FILE_ACK) return;
    const ack = fileAckSchema.safeParse(p.d);
    if (ack.success && ack.data.xfer === xfer) sender.ack(ack.data.received, ack.data.resend === true);
  });
  const cancel = () => sender.cancel(new TransferCancelled("cancelled"));
  if (opts.signal?.aborted) cancel();
  opts.signal?.addEventListener("abort", cancel, { once: true });
  try {
    opts.onProgress?.(begun.offset, source.size);
    await sender.run();
  } finally {
    off();
  }
  const sha256 = toHex(hash.digest());
  // `files.finish` is idempotent: a call lost to a disconnect is simply made again.
  for (let attempt = 1; ; attempt++) {
    try {
      return (await port.call("files.finish", { xfer, sha256 })).transfer;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (
        attempt >= FINISH_ATTEMPTS ||
        (typeof code === "string" && (RPC_ERROR_CODES as readonly string[]).includes(code))
      )
        throw err;
    }
  }
}

/** Times `files.finish` is tried when its answer does not come (a disconnect), before the upload fails. */
const FINISH_ATTEMPTS = 5;
