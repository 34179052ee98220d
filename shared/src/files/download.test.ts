import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FileTransfer } from "../app/files";
import { AppType } from "../app/types";
import { b64uEncode } from "../encoding/b64u";
import { downloadFile } from "./download";
import type { FilePort } from "./file-port";

/** A hub that describes one file (in `state`) and sends the rest of it from where the phone's ack asks. */
function oneFileHub(bytes: Uint8Array, state: FileTransfer["state"] = "sending") {
  const listeners = new Set<(p: { t: string; d: unknown }) => void>();
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const port: FilePort = {
    call: (async (_method: string, params: { xfer: string }) => ({
      transfer: {
        xfer: params.xfer,
        direction: "down",
        name: "f.bin",
        size: bytes.length,
        received: 0,
        state,
        sha256,
        ...(state === "failed" ? { error: "the file changed on the desktop while it was being fetched" } : {}),
        created_at: 1,
        updated_at: 1,
      },
      chunk_bytes: 1024,
      window_bytes: 4096,
    })) as FilePort["call"],
    send: async (t, d) => {
      const ack = d as { xfer: string; received: number; resend?: true };
      if (t === AppType.FILE_ACK && ack.resend)
        queueMicrotask(() => {
          for (const l of listeners)
            l({
              t: AppType.FILE_CHUNK,
              d: { xfer: ack.xfer, offset: ack.received, data: b64uEncode(bytes.subarray(ack.received)) },
            });
        });
    },
    onPush: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return port;
}

describe("downloadFile", () => {
  it("keeps bytes held from before in order and checks them in the sum; held bytes under another sum are not used", async () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const port = oneFileHub(bytes);
    const sum = createHash("sha256").update(bytes).digest("hex");
    const seen: number[] = [];
    const resumed = await downloadFile(port, "/f.bin", {
      resume: { held: [bytes.subarray(0, 2)], sha256: sum },
      onStart: (t) => seen.push(t.received),
    });
    // The phone asked from byte 2: the hub sent only the rest.
    expect(seen).toEqual([2]);
    expect(Buffer.concat(resumed.parts)).toEqual(Buffer.from(bytes));
    const fresh = await downloadFile(port, "/f.bin", {
      resume: { held: [new Uint8Array([9, 9])], sha256: "0".repeat(64) },
    });
    expect(Buffer.concat(fresh.parts)).toEqual(Buffer.from(bytes));
  });

  it("a transfer the hub has ended is refused with its reason", async () => {
    await expect(downloadFile(oneFileHub(new Uint8Array([1]), "failed"), "/f.bin")).rejects.toThrow(
      "the file changed on the desktop while it was being fetched",
    );
  });
});
