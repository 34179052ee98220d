/**
 * A frame on its way through the relay. It arrives as base64url text (JSON
 * SEND) or as a binary SEND (docs/protocol.md section 5, "Binary frames") and
 * leaves in whichever form each recipient's connection speaks; the other
 * form is made only if someone needs it, once. The relay never opens the
 * envelope: these are copies and header writes, nothing more.
 *
 * A frame that came as a binary SEND keeps that message and reads its id and
 * envelope there: a binary FRAME is written by copying bytes, with no
 * base64url and no view made per frame (the relay's CPU per forwarded frame,
 * issue 12). The id's text is made only when asked for (a JSON recipient, an
 * error reply, storage, qos 1 bookkeeping).
 */
import {
  BINARY_FRAME_HEADER_BYTES,
  BINARY_SEND_ID_OFFSET,
  BINARY_SEND_TO_OFFSET,
  decodeBinaryFrame,
  Op,
} from "@neural-link/shared/protocol";

const TWO_32 = 0x1_0000_0000;

export class RoutedFrame {
  private idText: string | null;
  private bodyText: string | null;
  private envelopeBytes: Buffer | null;

  private constructor(
    readonly from: string,
    readonly qos: 0 | 1,
    /** The relay's accept time. */
    readonly ts: number,
    id: string | null,
    body: string | null,
    envelope: Buffer | null,
    /** The binary SEND this frame came in (its raw id and envelope are read there), or null. */
    private readonly sent: Buffer | null,
    /** Where the envelope starts in `sent`. */
    private readonly envelopeAt: number,
    /** The sender's device id as raw bytes (binary FRAMEs carry it), or null to decode `from` when needed. */
    private readonly fromBytes: Buffer | null,
  ) {
    this.idText = id;
    this.bodyText = body;
    this.envelopeBytes = envelope;
  }

  /** A frame whose envelope is base64url text: a JSON SEND, a stored frame, one forwarded by another node. */
  static ofText(f: { id: string; from: string; body: string; qos: 0 | 1; ts: number }): RoutedFrame {
    return new RoutedFrame(f.from, f.qos, f.ts, f.id, f.body, null, null, 0, null);
  }

  /** A frame whose envelope is bytes (tests, and any caller holding raw bytes). */
  static ofBytes(f: { id: string; from: string; envelope: Buffer; qos: 0 | 1; ts: number }): RoutedFrame {
    return new RoutedFrame(f.from, f.qos, f.ts, f.id, null, f.envelope, null, 0, null);
  }

  /**
   * A frame that came as a binary SEND `message` (already checked, its
   * envelope starting at `envelopeAt`), from the device `from` whose raw id
   * is `fromBytes`. The message is kept as it is, so it must not be changed.
   */
  static ofBinarySend(
    message: Buffer,
    envelopeAt: number,
    from: string,
    fromBytes: Buffer,
    qos: 0 | 1,
    ts: number,
  ): RoutedFrame {
    return new RoutedFrame(from, qos, ts, null, null, null, message, envelopeAt, fromBytes);
  }

  /** The frame id, base64url (made from the raw id on first use). */
  get id(): string {
    return (this.idText ??= this.sent!.toString("base64url", BINARY_SEND_ID_OFFSET, BINARY_SEND_TO_OFFSET));
  }

  /** The envelope as base64url text (made from the bytes on first use). */
  get body(): string {
    return (this.bodyText ??= this.envelope.toString("base64url"));
  }

  /** The envelope bytes (decoded from the text, or viewed in the SEND, on first use). */
  get envelope(): Buffer {
    if (this.envelopeBytes === null)
      this.envelopeBytes =
        this.sent !== null ? this.sent.subarray(this.envelopeAt) : Buffer.from(this.bodyText!, "base64url");
    return this.envelopeBytes;
  }

  /** Bytes of the envelope, without making them. */
  get envelopeSize(): number {
    if (this.sent !== null) return this.sent.length - this.envelopeAt;
    if (this.envelopeBytes !== null) return this.envelopeBytes.length;
    return Math.floor((this.bodyText!.length * 3) / 4);
  }

  /**
   * Length of this frame as a binary FRAME message. From the envelope's
   * bytes themselves when it came as text (they are needed to write it
   * anyway): the length estimated from the text would leave unwritten bytes
   * at the end for a text that does not decode to exactly that many.
   */
  get binaryLength(): number {
    return BINARY_FRAME_HEADER_BYTES + (this.sent !== null ? this.sent.length - this.envelopeAt : this.envelope.length);
  }

  /**
   * FRAME as JSON text. Assembled by hand rather than JSON.stringify'd, which
   * would scan the whole body for characters to escape: every field is already
   * validated (base64url text, a device id, integers), so none needs escaping.
   */
  text(s: number): string {
    return `{"op":0,"t":"FRAME","s":${s},"d":{"id":"${this.id}","from":"${this.from}","body":"${this.body}","qos":${this.qos},"ts":${this.ts}}}`;
  }

  /**
   * Writes the binary FRAME with sequence `s` into `out`, exactly
   * `binaryLength` bytes. Written with Buffer's native copies rather than
   * shared's `encodeBinaryFrame` (same bytes, checked by routed-frame.test.ts):
   * this runs once per forwarded frame.
   */
  writeBinary(s: number, out: Buffer): void {
    out[0] = Op.EVENT;
    out[1] = this.qos;
    out.writeUInt32BE(Math.floor(s / TWO_32), 2);
    out.writeUInt32BE(s >>> 0, 6);
    out.writeUInt32BE(Math.floor(this.ts / TWO_32), 10);
    out.writeUInt32BE(this.ts >>> 0, 14);
    if (this.sent !== null) this.sent.copy(out, 18, BINARY_SEND_ID_OFFSET, BINARY_SEND_TO_OFFSET);
    else out.write(this.id, 18, 16, "base64url");
    if (this.fromBytes !== null) this.fromBytes.copy(out, 34);
    else out.write(this.from, 34, 32, "base64url");
    if (this.sent !== null) this.sent.copy(out, BINARY_FRAME_HEADER_BYTES, this.envelopeAt);
    else this.envelope.copy(out, BINARY_FRAME_HEADER_BYTES);
  }

  /** The binary FRAME with sequence `s`, in a Buffer of its own. */
  binary(s: number): Buffer {
    const out = Buffer.allocUnsafe(this.binaryLength);
    this.writeBinary(s, out);
    return out;
  }
}

/** A Buffer over the same memory (decoders hand out Uint8Array views of a Buffer). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A binary FRAME this relay wrote, as JSON text with the same `s` (resume onto a JSON connection). */
export function frameTextOfBinary(message: Buffer): string {
  const decoded = decodeBinaryFrame(message);
  if (!decoded.ok) throw new Error(`not a binary FRAME: ${decoded.reason}`);
  const m = decoded.message;
  const frame = RoutedFrame.ofBytes({
    id: asBuffer(m.id).toString("base64url"),
    from: asBuffer(m.from).toString("base64url"),
    qos: m.qos,
    ts: m.ts,
    envelope: asBuffer(m.envelope),
  });
  return frame.text(m.s);
}
