import { describe, expect, it } from "vitest";
import type { FileTransfer } from "../app/files";
import { AppType } from "../app/types";
import { b64uDecode } from "../encoding/b64u";
import { TransferCancelled } from "./chunk-sender";
import type { FilePort } from "./file-port";
import { uploadFile } from "./upload";

/** A hub that answers `files.put` (offering bytes or not) and records the first chunk sent. */
function recordingHub(offersBytes: boolean) {
  const chunks: unknown[] = [];
  const transfer = (xfer: string): FileTransfer => ({
    xfer,
    direction: "up",
    name: "a.bin",
    size: 3,
    received: 0,
    state: "receiving",
    created_at: 1,
    updated_at: 1,
  });
  const port: FilePort = {
    call: (async (method: string, params: { xfer: string }) =>
      method === "files.put"
        ? {
            transfer: transfer(params.xfer),
            offset: 0,
            chunk_bytes: 1024,
            window_bytes: 4096,
            ...(offersBytes ? { bytes: true } : {}),
          }
        : { transfer: { ...transfer(params.xfer), state: "cancelled" } }) as FilePort["call"],
    send: async (t, d) => void (t === AppType.FILE_CHUNK && chunks.push((d as { data: unknown }).data)),
    onPush: () => () => undefined,
  };
  return { port, chunks };
}

describe("uploadFile", () => {
  it("sends chunks as bytes to a hub that takes them, as base64url to one that does not say so", async () => {
    const source = { name: "a.bin", size: 3, read: async () => new Uint8Array([7, 8, 9]) };
    for (const offersBytes of [true, false]) {
      const hub = recordingHub(offersBytes);
      const page = new AbortController();
      const sending = uploadFile(hub.port, source, { signal: page.signal });
      await expect.poll(() => hub.chunks.length).toBe(1);
      page.abort();
      await expect(sending).rejects.toBeInstanceOf(TransferCancelled);
      const [data] = hub.chunks;
      if (offersBytes) expect(data).toEqual(new Uint8Array([7, 8, 9]));
      else expect(b64uDecode(data as string)).toEqual(new Uint8Array([7, 8, 9]));
    }
  });
});
