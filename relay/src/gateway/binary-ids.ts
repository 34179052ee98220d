/**
 * The raw device ids a connection's binary SENDs need (docs/protocol.md
 * section 5, "Binary frames"): its own, which every binary FRAME it sends
 * carries as `from`, and its last recipient's, kept with the text form the
 * relay's maps are keyed by. A stream of frames to one peer, the common case,
 * then turns `to` into text once rather than once per frame: the 32 bytes
 * are compared in place with the last ones, and only a new recipient is
 * encoded (and its text hashed) again.
 */
import { BINARY_SEND_TO_OFFSET, DEVICE_ID_BYTES } from "@neural-link/shared/protocol";

export class BinaryIds {
  /** The sending device's id as raw bytes. */
  readonly fromBytes: Buffer;
  /** The last recipient's raw id (a copy: the message it came in is not kept), and its base64url text. */
  private toBytes: Buffer | null = null;
  private toText = "";

  constructor(device: string) {
    this.fromBytes = Buffer.from(device, "base64url");
  }

  /** The recipient of a checked binary SEND, as a device id (base64url). */
  recipientOf(send: Buffer): string {
    const last = this.toBytes;
    if (last !== null && sameId(send, last)) return this.toText;
    const end = BINARY_SEND_TO_OFFSET + DEVICE_ID_BYTES;
    this.toBytes = Buffer.from(send.subarray(BINARY_SEND_TO_OFFSET, end));
    this.toText = send.toString("base64url", BINARY_SEND_TO_OFFSET, end);
    return this.toText;
  }
}

/** Whether the SEND's `to` equals `id`, byte for byte (32 bytes: a loop beats a native call here). */
function sameId(send: Buffer, id: Buffer): boolean {
  for (let i = 0; i < DEVICE_ID_BYTES; i++) if (send[BINARY_SEND_TO_OFFSET + i] !== id[i]) return false;
  return true;
}
