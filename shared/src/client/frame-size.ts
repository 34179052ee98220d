import { utf8Length } from "../encoding/bytes";

/** The limits a frame must fit before it is written (GatewayClient.limits). */
export interface FrameLimits {
  /** Largest sealed envelope, in bytes (the SEND body after base64url decoding). */
  maxBodyBytes: number;
  /** Largest gateway message, in bytes of UTF-8 JSON. */
  maxMessageBytes: number;
}

/** What a SEND message adds around its body: op, keys, the frame id, the recipient, qos and a ref. */
const SEND_ENVELOPE_BYTES = 192;

/** A frame's envelope: base64url text (`body`), or the bytes themselves (`envelope`), or both. */
export type FrameBody = { body: string; envelope?: Uint8Array } | { body?: undefined; envelope: Uint8Array };

/** Bytes of the envelope that a base64url body (no padding) carries. */
export function bodyBytes(body: string): number {
  return Math.floor((body.length * 3) / 4);
}

/** Bytes of a frame's envelope, whichever form it is in. */
export function envelopeBytes(frame: FrameBody): number {
  return frame.envelope !== undefined ? frame.envelope.length : bodyBytes(frame.body ?? "");
}

/** An upper bound of the gateway message that sends this frame (as JSON: the larger form). */
export function sendMessageBytes(frame: { id: string; to: string } & FrameBody): number {
  const text = frame.body !== undefined ? frame.body.length : Math.ceil((frame.envelope.length * 4) / 3);
  return text + utf8Length(frame.id) + utf8Length(frame.to) + SEND_ENVELOPE_BYTES;
}

/** Null when the frame fits both limits; otherwise its size and the limit it passes. */
export function frameOverLimit(
  frame: { id: string; to: string } & FrameBody,
  limits: FrameLimits,
): { bytes: number; limit: number } | null {
  const body = envelopeBytes(frame);
  if (body > limits.maxBodyBytes) return { bytes: body, limit: limits.maxBodyBytes };
  const message = sendMessageBytes(frame);
  if (message > limits.maxMessageBytes) return { bytes: message, limit: limits.maxMessageBytes };
  return null;
}
