import { z } from "zod";
import { isB64u } from "../encoding/b64u";
import { PROTOCOL_DEFAULTS } from "./defaults";

const B64U_TEXT = /^[A-Za-z0-9_-]*$/;

/** base64url text of exactly `bytes` bytes, canonical form only. */
export const b64uBytes = (bytes: number) =>
  z
    .string()
    .length(Math.ceil((bytes * 4) / 3))
    .refine((s) => isB64u(s, bytes), `expected base64url of ${bytes} bytes`);

/**
 * base64url text of any length. Checked by alphabet and length only: bodies
 * are opaque to the relay and can be large, so the full canonical decode is
 * left to the end that opens them.
 */
export const b64uBody = z
  .string()
  .regex(B64U_TEXT, "expected base64url")
  .refine((s) => s.length % 4 !== 1, "impossible base64url length");

/** Device id: base64url of a 32-byte ed25519 public key, 43 characters. */
export const deviceIdSchema = b64uBytes(32);
/** Frame id: base64url of 16 random bytes, 22 characters. */
export const frameIdSchema = b64uBytes(16);
/** Rendezvous: base64url of 16 bytes. */
export const rendezvousSchema = b64uBytes(16);
export const refSchema = z.string().min(1).max(PROTOCOL_DEFAULTS.refMaxLength);
export const qosSchema = z.union([z.literal(0), z.literal(1)]);
export const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Bytes a base64url text of this length decodes to. */
export function b64uDecodedLength(text: string): number {
  return Math.floor((text.length * 3) / 4);
}

export type DeviceId = z.infer<typeof deviceIdSchema>;
export type FrameId = z.infer<typeof frameIdSchema>;
export type Qos = z.infer<typeof qosSchema>;
