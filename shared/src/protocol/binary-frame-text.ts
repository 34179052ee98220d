/**
 * The binary SEND and FRAME of binary-frames.ts with their ids as the
 * base64url text the JSON ops use: what a client needs to swap one form for
 * the other. The relay does the same with Node's Buffer (faster), not this.
 */
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { type BinarySend, decodeBinaryFrame, encodeBinarySend } from "./binary-frames";
import type { DecodeResult } from "./decode";
import type { FrameEvent } from "./events";

/** A FRAME event whose envelope arrived as bytes; `body` is its base64url text, computed on first use. */
export type BinaryFrameEvent = FrameEvent & { s: number; envelope: Uint8Array };

/**
 * Encodes a SEND as a binary message: ids are base64url text as in JSON,
 * the envelope raw bytes.
 *
 * @example binarySendOf({ id, to, qos: 0 }, sealed) // Uint8Array
 */
export function binarySendOf(
  frame: { id: string; to: string; qos: 0 | 1; ref?: string },
  envelope: Uint8Array,
): Uint8Array {
  const m: BinarySend = {
    qos: frame.qos,
    id: b64uDecode(frame.id),
    to: b64uDecode(frame.to),
    ref: frame.ref,
    envelope,
  };
  return encodeBinarySend(m);
}

/** Decodes a binary FRAME into a FRAME event with text ids and the raw envelope. Never throws. */
export function frameOfBinary(bytes: Uint8Array): DecodeResult<BinaryFrameEvent> {
  const r = decodeBinaryFrame(bytes);
  if (!r.ok) return r;
  const { qos, s, ts, envelope } = r.message;
  let body: string | undefined;
  const event = {
    id: b64uEncode(r.message.id),
    from: b64uEncode(r.message.from),
    qos,
    ts,
    s,
    envelope,
    get body(): string {
      return (body ??= b64uEncode(envelope));
    },
  };
  return { ok: true, message: event };
}
