/**
 * The binary fast path for SEND and FRAME (docs/protocol.md section 5,
 * "Binary frames"): negotiated at AUTH with the feature below, after which
 * either side may carry these two ops as binary WebSocket messages with a
 * fixed header and the raw sealed envelope. Everything else stays JSON text.
 *
 * Pure byte functions, like y-protocols' sync.js: no socket, no base64. Ids
 * and device ids are raw bytes here; turning them into base64url text is the
 * caller's business (the relay does it with Node's native Buffer, clients
 * with `binarySendOf` / `frameOfBinary` in binary-frame-text.ts).
 */
import { utf8Decode, utf8Encode } from "../encoding/bytes";
import { CloseCode } from "./codes";
import type { DecodeResult } from "./decode";
import { PROTOCOL_DEFAULTS } from "./defaults";
import { Op } from "./ops";

/** Named in AUTH `features` by a client that wants binary frames; echoed in READY / RESUMED `features` when granted. */
export const BINARY_FRAMES_FEATURE = "binary-frames-1";

export const FRAME_ID_BYTES = 16;
export const DEVICE_ID_BYTES = 32;
/** op, flags, id, to, ref length: the SEND header before the ref. */
export const BINARY_SEND_HEADER_BYTES = 1 + 1 + FRAME_ID_BYTES + DEVICE_ID_BYTES + 1;
/** op, flags, s, ts, id, from: the whole FRAME header. */
export const BINARY_FRAME_HEADER_BYTES = 1 + 1 + 8 + 8 + FRAME_ID_BYTES + DEVICE_ID_BYTES;
/** Flag bit 0 of byte 1: the frame's qos. Other bits are reserved and must be 0. */
const QOS_FLAG = 0x01;

/** A binary SEND, ids as raw bytes (views into the message). */
export interface BinarySend {
  qos: 0 | 1;
  id: Uint8Array;
  to: Uint8Array;
  ref: string | undefined;
  envelope: Uint8Array;
}

/** A binary FRAME, ids as raw bytes (views into the message). */
export interface BinaryFrame {
  qos: 0 | 1;
  s: number;
  ts: number;
  id: Uint8Array;
  from: Uint8Array;
  envelope: Uint8Array;
}

const TWO_32 = 0x1_0000_0000;

function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, Math.floor(value / TWO_32));
  view.setUint32(offset + 4, value >>> 0);
}

/** A u64 that fits a JS number without loss (≤ 2^53 - 1), or -1. */
function readU64(view: DataView, offset: number): number {
  const hi = view.getUint32(offset);
  if (hi >= 0x20_0000) return -1;
  return hi * TWO_32 + view.getUint32(offset + 4);
}

const refused = (closeCode: number, reason: string) => ({ ok: false as const, closeCode, reason });

function checkFixed(bytes: Uint8Array, at: number, length: number, what: string): string | null {
  return bytes.length - at < length ? `binary message too short for ${what}` : null;
}

/**
 * Encodes a binary SEND.
 *
 * @example encodeBinarySend({ qos: 1, id, to, ref: "r1", envelope }) // Uint8Array starting 0x05 0x01
 */
export function encodeBinarySend(m: BinarySend): Uint8Array {
  const ref = m.ref === undefined ? new Uint8Array(0) : utf8Encode(m.ref);
  if (ref.length > PROTOCOL_DEFAULTS.refMaxLength) throw new RangeError("ref is over 64 bytes");
  if (m.id.length !== FRAME_ID_BYTES || m.to.length !== DEVICE_ID_BYTES)
    throw new RangeError("id must be 16 bytes and to 32 bytes");
  const out = new Uint8Array(BINARY_SEND_HEADER_BYTES + ref.length + m.envelope.length);
  out[0] = Op.SEND;
  out[1] = m.qos === 1 ? QOS_FLAG : 0;
  out.set(m.id, 2);
  out.set(m.to, 2 + FRAME_ID_BYTES);
  out[BINARY_SEND_HEADER_BYTES - 1] = ref.length;
  out.set(ref, BINARY_SEND_HEADER_BYTES);
  out.set(m.envelope, BINARY_SEND_HEADER_BYTES + ref.length);
  return out;
}

/** Where a binary SEND's fields start: the frame id, then `to` (docs/protocol.md section 5). */
export const BINARY_SEND_ID_OFFSET = 2;
export const BINARY_SEND_TO_OFFSET = BINARY_SEND_ID_OFFSET + FRAME_ID_BYTES;

/** Why a binary message is refused: the close code it earns. */
export interface BinaryRefusal {
  closeCode: number;
  reason: string;
}

/**
 * Checks a binary SEND in place, without copying or making views (the
 * relay's path for every frame): the offset where its envelope starts, or
 * the refusal decodeBinarySend would give. Everything is checked but the
 * ref's UTF-8, which `binarySendRef` checks when there is a ref.
 */
export function binarySendEnvelopeAt(bytes: Uint8Array): number | BinaryRefusal {
  if (bytes.length === 0) return refused(CloseCode.DECODE_ERROR, "empty binary message");
  if (bytes[0] !== Op.SEND) return refused(CloseCode.UNKNOWN_OPCODE, `binary op ${bytes[0]} is not SEND`);
  const short = checkFixed(bytes, 0, BINARY_SEND_HEADER_BYTES, "a SEND header");
  if (short) return refused(CloseCode.DECODE_ERROR, short);
  if ((bytes[1]! & ~QOS_FLAG) !== 0) return refused(CloseCode.DECODE_ERROR, "reserved flag bits set");
  const refLength = bytes[BINARY_SEND_HEADER_BYTES - 1]!;
  if (refLength > PROTOCOL_DEFAULTS.refMaxLength) return refused(CloseCode.DECODE_ERROR, "ref is over 64 bytes");
  if (bytes.length < BINARY_SEND_HEADER_BYTES + refLength)
    return refused(CloseCode.DECODE_ERROR, "binary message too short for its ref");
  return BINARY_SEND_HEADER_BYTES + refLength;
}

/** The qos of a binary SEND that binarySendEnvelopeAt accepted. */
export function binarySendQos(bytes: Uint8Array): 0 | 1 {
  return (bytes[1]! & QOS_FLAG) === 1 ? 1 : 0;
}

/**
 * The ref of a binary SEND that binarySendEnvelopeAt accepted: undefined
 * without one, null when its bytes are not UTF-8 (refused with 4002).
 */
export function binarySendRef(bytes: Uint8Array): string | undefined | null {
  const refLength = bytes[BINARY_SEND_HEADER_BYTES - 1]!;
  if (refLength === 0) return undefined;
  try {
    return utf8Decode(bytes.subarray(BINARY_SEND_HEADER_BYTES, BINARY_SEND_HEADER_BYTES + refLength));
  } catch {
    return null;
  }
}

/**
 * Decodes a binary SEND (relay side). A first byte other than 5 earns 4001;
 * a short message, reserved flag bits, or a bad ref earn 4002. Never throws.
 */
export function decodeBinarySend(bytes: Uint8Array): DecodeResult<BinarySend> {
  const envelopeAt = binarySendEnvelopeAt(bytes);
  if (typeof envelopeAt !== "number") return refused(envelopeAt.closeCode, envelopeAt.reason);
  const ref = binarySendRef(bytes);
  if (ref === null) return refused(CloseCode.DECODE_ERROR, "ref is not UTF-8");
  return {
    ok: true,
    message: {
      qos: binarySendQos(bytes),
      id: bytes.subarray(BINARY_SEND_ID_OFFSET, BINARY_SEND_TO_OFFSET),
      to: bytes.subarray(BINARY_SEND_TO_OFFSET, BINARY_SEND_TO_OFFSET + DEVICE_ID_BYTES),
      ref,
      envelope: bytes.subarray(envelopeAt),
    },
  };
}

/** Writes a FRAME header into `out` at 0; the envelope follows at BINARY_FRAME_HEADER_BYTES. */
export function writeBinaryFrameHeader(out: Uint8Array, h: Omit<BinaryFrame, "envelope">): void {
  const view = new DataView(out.buffer, out.byteOffset, BINARY_FRAME_HEADER_BYTES);
  out[0] = Op.EVENT;
  out[1] = h.qos === 1 ? QOS_FLAG : 0;
  writeU64(view, 2, h.s);
  writeU64(view, 10, h.ts);
  out.set(h.id, 18);
  out.set(h.from, 18 + FRAME_ID_BYTES);
}

/** Encodes a binary FRAME (relay side; tests and vectors). */
export function encodeBinaryFrame(m: BinaryFrame): Uint8Array {
  if (m.id.length !== FRAME_ID_BYTES || m.from.length !== DEVICE_ID_BYTES)
    throw new RangeError("id must be 16 bytes and from 32 bytes");
  const out = new Uint8Array(BINARY_FRAME_HEADER_BYTES + m.envelope.length);
  writeBinaryFrameHeader(out, m);
  out.set(m.envelope, BINARY_FRAME_HEADER_BYTES);
  return out;
}

/** Decodes a binary FRAME (client side). Never throws; 4001 for another first byte, 4002 for the rest. */
export function decodeBinaryFrame(bytes: Uint8Array): DecodeResult<BinaryFrame> {
  if (bytes.length === 0) return refused(CloseCode.DECODE_ERROR, "empty binary message");
  if (bytes[0] !== Op.EVENT) return refused(CloseCode.UNKNOWN_OPCODE, `binary op ${bytes[0]} is not a FRAME`);
  const short = checkFixed(bytes, 0, BINARY_FRAME_HEADER_BYTES, "a FRAME header");
  if (short) return refused(CloseCode.DECODE_ERROR, short);
  const flags = bytes[1]!;
  if ((flags & ~QOS_FLAG) !== 0) return refused(CloseCode.DECODE_ERROR, "reserved flag bits set");
  const view = new DataView(bytes.buffer, bytes.byteOffset, BINARY_FRAME_HEADER_BYTES);
  const s = readU64(view, 2);
  const ts = readU64(view, 10);
  if (s < 1 || ts < 0) return refused(CloseCode.DECODE_ERROR, "s or ts out of range");
  return {
    ok: true,
    message: {
      qos: (flags & QOS_FLAG) === 1 ? 1 : 0,
      s,
      ts,
      id: bytes.subarray(18, 18 + FRAME_ID_BYTES),
      from: bytes.subarray(18 + FRAME_ID_BYTES, BINARY_FRAME_HEADER_BYTES),
      envelope: bytes.subarray(BINARY_FRAME_HEADER_BYTES),
    },
  };
}
