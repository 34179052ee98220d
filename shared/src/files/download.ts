import { fileChunkSchema, type FileTransfer } from "../app/files";
import { AppType } from "../app/types";
import { Sha256, toHex } from "../crypto/sha256";
import type { ClientLog } from "../client/log";
import { b64uDecode } from "../encoding/b64u";
import { ChunkReceiver } from "./chunk-receiver";
import { TransferCancelled } from "./chunk-sender";
import {
  type CancelSignal,
  ChecksumMismatchError,
  type FilePort,
  TRANSFER_DEFAULTS,
  TransferEndedError,
  type TransferSettings,
} from "./file-port";
import { newXferId } from "./upload";

export interface DownloadOptions {
  settings?: Partial<TransferSettings>;
  onProgress?(received: number, size: number): void;
  /** Called with the transfer once the hub has described the file (name, size, sum). */
  onStart?(transfer: FileTransfer): void;
  /**
   * Aborting stops receiving and rejects with TransferCancelled; the hub, no longer asked for more, stops sending
   * once the window it was given is out.
   */
  signal?: CancelSignal;
  /** Where failures that the transfer recovers from by itself are reported (at debug). */
  log?: Pick<ClientLog, "debug">;
  /** The transfer id to use (a new one by default): a caller that keeps the download for a later page names it. */
  xfer?: string;
  /**
   * Goes on with a download an earlier page began under `xfer` (docs/protocol.md section 11, "Files": the same
   * transfer): `held` is what it kept, in order from the file's first byte, and `sha256` the sum the hub gave then.
   * If the hub's sum differs now (the file changed), the held bytes are dropped and the file comes from its start.
   * Held bytes count in the checksum and come first in `parts`.
   */
  resume?: { held: readonly Uint8Array[]; sha256: string };
  /** Each run of bytes kept, in order, with its offset in the file (for a caller that stores them as they come). */
  onData?(offset: number, data: Uint8Array): void;
}

/**
 * Fetches one desktop file (docs/protocol.md section 11, "Files"): `files.get`,
 * then the phone's `file.ack {received, resend}` starts the hub's stream of qos 0
 * `file.chunk`s and keeps it going; bytes are kept only in order. When nothing
 * arrives for `fetchStallMs` (a disconnect, a relay restart, a hub restart), it
 * calls `files.get` again with the same id and asks to go on from what it holds.
 * The SHA-256 of what arrived must equal the hub's, else ChecksumMismatchError.
 *
 * @example const { parts } = await downloadFile(link, "/home/me/a.pdf"); new Blob(parts)
 */
export async function downloadFile(
  port: FilePort,
  path: string,
  opts: DownloadOptions = {},
): Promise<{ transfer: FileTransfer; parts: Uint8Array[] }> {
  const settings = { ...TRANSFER_DEFAULTS, ...opts.settings };
  const xfer = opts.xfer ?? newXferId();
  // Chunks as bytes (docs/protocol.md section 11, "Files as bytes"); an older hub ignores the ask and sends base64url.
  const { transfer, window_bytes } = await port.call("files.get", { xfer, path, bytes: true });
  throwIfEnded(transfer);
  const hash = new Sha256();
  const parts: Uint8Array[] = [];
  let start = 0;
  const held = opts.resume && opts.resume.sha256 === transfer.sha256 ? opts.resume.held : [];
  for (const part of held) {
    hash.update(part);
    parts.push(part);
    start += part.length;
  }
  if (start > transfer.size) throw new ChecksumMismatchError("the bytes kept from before are more than the file holds");
  opts.onStart?.({ ...transfer, received: start });
  const receiver = new ChunkReceiver(xfer, transfer.size, start, Math.max(1, Math.floor(window_bytes / 4)));
  // qos 0: a lost ack is covered by the next one, or by the stall check below.
  const ack = (d: unknown) =>
    port
      .send(AppType.FILE_ACK, d, 0)
      .catch((err: unknown) => opts.log?.debug({ xfer, err: String(err) }, "file ack not sent"));
  let lastChunkAt = Date.now();
  let finish: (() => void) | null = null;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
    if (receiver.complete) resolve();
  });
  const off = port.onPush((p) => {
    if (p.t !== AppType.FILE_CHUNK) return;
    const parsed = fileChunkSchema.safeParse(p.d);
    if (!parsed.success || parsed.data.xfer !== xfer) return;
    lastChunkAt = Date.now();
    const raw = parsed.data.data;
    let data: Uint8Array;
    try {
      data = typeof raw === "string" ? b64uDecode(raw) : raw;
    } catch {
      return; // not base64url: as lost, and asked again
    }
    const verdict = receiver.offer(parsed.data.offset, data.length);
    if (verdict.kind === "gap" && verdict.ack) void ack(verdict.ack);
    if (verdict.kind !== "accept") return;
    hash.update(data);
    parts.push(data);
    opts.onData?.(parsed.data.offset, data);
    const due = receiver.kept(data.length);
    opts.onProgress?.(receiver.received, transfer.size);
    if (due) void ack(due);
    if (receiver.complete) finish?.();
  });
  // Ends the wait early: the person cancelled, or the hub ended the transfer (found by the stall check).
  let endedByHub: (err: TransferEndedError) => void = () => undefined;
  const stopped = new Promise<never>((_r, reject) => {
    endedByHub = reject;
    const cancel = () => reject(new TransferCancelled("cancelled"));
    if (opts.signal?.aborted) cancel();
    opts.signal?.addEventListener("abort", cancel, { once: true });
  });
  const stallCheck = setInterval(
    () => {
      if (receiver.complete || Date.now() - lastChunkAt < settings.fetchStallMs) return;
      lastChunkAt = Date.now();
      // The hub may have restarted and forgotten the stream: describe it again, then go on from here.
      void port
        .call("files.get", { xfer, path, bytes: true })
        .then((again) => (ended(again.transfer) ? endedByHub(endedError(again.transfer)) : ack(receiver.resend())))
        .catch((err: unknown) =>
          opts.log?.debug({ xfer, err: String(err) }, "files.get again failed; the next stall check retries"),
        );
    },
    Math.max(250, Math.floor(settings.fetchStallMs / 4)),
  );
  try {
    await ack(receiver.resend());
    await Promise.race([done, stopped]);
  } finally {
    clearInterval(stallCheck);
    off();
  }
  const sum = toHex(hash.digest());
  if (transfer.sha256 && sum !== transfer.sha256) {
    throw new ChecksumMismatchError(
      `the file that arrived does not match the desktop's checksum (${sum.slice(0, 12)}… instead of ${transfer.sha256.slice(0, 12)}…); it was not kept`,
    );
  }
  return { transfer: { ...transfer, received: receiver.received, state: "done" }, parts };
}

const ended = (t: FileTransfer) => t.state === "failed" || t.state === "cancelled";
const endedError = (t: FileTransfer) =>
  new TransferEndedError(t.error ?? `the desktop ended the transfer (${t.state})`);

/** A transfer the hub has ended (the file changed under it, say) cannot go on: its reason becomes the error. */
function throwIfEnded(t: FileTransfer): void {
  if (ended(t)) throw endedError(t);
}
