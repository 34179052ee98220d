/**
 * A frame on its way through the relay. It arrives as base64url text (JSON
 * SEND) or as raw envelope bytes (binary SEND, docs/protocol.md section 5,
 * "Binary frames") and leaves in whichever form each recipient's connection
 * speaks; the other form is made only if someone needs it, once. The relay
 * never opens the envelope: these are copies and header writes, nothing more.
 */
import { BINARY_FRAME_HEADER_BYTES, decodeBinaryFrame, Op } from "@neural-link/shared/protocol";

export interface RoutedFrame {
  id: string;
  from: string;
  qos: 0 | 1;
  /** The relay's accept time. */
  ts: number;
  /** base64url of the envelope, or null until asked for. */
  body: string | null;
  /** The envelope bytes, or null until asked for. */
  envelope: Buffer | null;
  /**
   * `id` and `from` as raw bytes when the frame came as a binary SEND: a binary FRAME copies them (no base64url decode
   * per frame).
   */
  idBytes?: Buffer | undefined;
  fromBytes?: Buffer | undefined;
}

/** The envelope as base64url text (made from the bytes on first use). */
export function bodyText(frame: RoutedFrame): string {
  return (frame.body ??= frame.envelope!.toString("base64url"));
}

/** The envelope bytes (decoded from the text on first use). */
export function envelopeBytes(frame: RoutedFrame): Buffer {
  return (frame.envelope ??= Buffer.from(frame.body!, "base64url"));
}

/** Bytes of the envelope, without making them. */
export function envelopeSize(frame: { body: string | null; envelope: Buffer | null }): number {
  return frame.envelope !== null ? frame.envelope.length : Math.floor((frame.body!.length * 3) / 4);
}

/**
 * FRAME as JSON text. Assembled by hand rather than JSON.stringify'd, which
 * would scan the whole body for characters to escape: every field is already
 * validated (base64url text, a device id, integers), so none needs escaping.
 */
export function frameText(frame: RoutedFrame, s: number): string {
  return `{"op":0,"t":"FRAME","s":${s},"d":{"id":"${frame.id}","from":"${frame.from}","body":"${bodyText(frame)}","qos":${frame.qos},"ts":${frame.ts}}}`;
}

const TWO_32 = 0x1_0000_0000;

/**
 * FRAME as a binary message. Written with Buffer's native base64url rather
 * than shared's `encodeBinaryFrame` (same bytes, checked by
 * routed-frame.test.ts): this runs once per forwarded frame.
 */
export function frameBinary(frame: RoutedFrame, s: number): Buffer {
  const envelope = envelopeBytes(frame);
  const out = Buffer.allocUnsafe(BINARY_FRAME_HEADER_BYTES + envelope.length);
  out[0] = Op.EVENT;
  out[1] = frame.qos;
  out.writeUInt32BE(Math.floor(s / TWO_32), 2);
  out.writeUInt32BE(s >>> 0, 6);
  out.writeUInt32BE(Math.floor(frame.ts / TWO_32), 10);
  out.writeUInt32BE(frame.ts >>> 0, 14);
  if (frame.idBytes !== undefined) frame.idBytes.copy(out, 18);
  else out.write(frame.id, 18, 16, "base64url");
  if (frame.fromBytes !== undefined) frame.fromBytes.copy(out, 34);
  else out.write(frame.from, 34, 32, "base64url");
  envelope.copy(out, BINARY_FRAME_HEADER_BYTES);
  return out;
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
  const frame: RoutedFrame = {
    id: asBuffer(m.id).toString("base64url"),
    from: asBuffer(m.from).toString("base64url"),
    qos: m.qos,
    ts: m.ts,
    body: null,
    envelope: asBuffer(m.envelope),
  };
  return frameText(frame, m.s);
}
