import nacl from "tweetnacl";
import { z } from "zod";
import { concatBytes, utf8Decode, utf8Encode } from "../encoding/bytes";
import { ENVELOPE_MAX_AGE_MS, ENVELOPE_MAX_SKEW_MS } from "../protocol/defaults";
import { deviceIdSchema, frameIdSchema } from "../protocol/primitives";
import { EnvelopeError } from "./errors";
import { assertTestRuntime } from "./test-only";

export const ENVELOPE_VERSION = 0x01;
const NONCE_BYTES = nacl.box.nonceLength;
const OVERHEAD = 1 + NONCE_BYTES + nacl.box.overheadLength;

/** The plaintext inside an envelope (docs/protocol.md section 8). */
export const envelopeInnerSchema = z.object({
  v: z.literal(1),
  id: frameIdSchema,
  from: deviceIdSchema,
  to: deviceIdSchema,
  ts: z.number().int(),
  t: z.string().min(1).max(64),
  d: z.unknown(),
});
export type EnvelopeInner = z.infer<typeof envelopeInnerSchema>;

/**
 * The shared key of a pair: `nacl.box.before(peerBoxPublicKey, myBoxSecretKey)`.
 * Compute it once per peer and keep it: boxing without it is ~50x slower.
 */
export function sharedKey(peerBoxPublicKey: Uint8Array, myBoxSecretKey: Uint8Array): Uint8Array {
  return nacl.box.before(peerBoxPublicKey, myBoxSecretKey);
}

function seal(key: Uint8Array, inner: EnvelopeInner, nonce: Uint8Array): Uint8Array {
  const plaintext = utf8Encode(JSON.stringify(inner));
  return concatBytes(new Uint8Array([ENVELOPE_VERSION]), nonce, nacl.box.after(plaintext, nonce, key));
}

/** Seals an application message: `0x01 || nonce || nacl.box.after(json, nonce, key)`. */
export function sealEnvelope(key: Uint8Array, inner: EnvelopeInner): Uint8Array {
  return seal(key, inner, nacl.randomBytes(NONCE_BYTES));
}

/** Test vectors only: seals with a given nonce. Refuses to run outside tests. */
export function sealEnvelopeWithNonce(key: Uint8Array, inner: EnvelopeInner, nonce: Uint8Array): Uint8Array {
  assertTestRuntime("sealEnvelopeWithNonce");
  return seal(key, inner, nonce);
}

/** What the relay said about a FRAME, which the inner envelope must agree with. */
export interface FrameFacts {
  id: string;
  from: string;
}

/**
 * Opens an envelope and applies every stateless check of docs/protocol.md section 8: it
 * decrypts, its inner `from` and `id` equal the FRAME's, its `to` is `me`,
 * and its `ts` is within 8 days past and 10 minutes ahead of `now`.
 * Replay is checked by `acceptEnvelope`, which needs the remembered ids.
 */
export function openEnvelope(
  key: Uint8Array,
  bytes: Uint8Array,
  frame: FrameFacts,
  me: string,
  now: number,
): EnvelopeInner {
  if (bytes.length < OVERHEAD) throw new EnvelopeError("malformed", "envelope is too short");
  if (bytes[0] !== ENVELOPE_VERSION) throw new EnvelopeError("bad_version", "envelope version is not 1");
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const plaintext = nacl.box.open.after(bytes.subarray(1 + NONCE_BYTES), nonce, key);
  if (!plaintext) throw new EnvelopeError("decrypt_failed", "envelope does not open with this pair's key");
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(plaintext));
  } catch {
    throw new EnvelopeError("malformed", "envelope plaintext is not JSON");
  }
  const parsed = envelopeInnerSchema.safeParse(json);
  if (!parsed.success) throw new EnvelopeError("malformed", "envelope plaintext does not fit its schema");
  const inner = parsed.data;
  if (inner.from !== frame.from) throw new EnvelopeError("from_mismatch", "inner from differs from the frame's");
  if (inner.to !== me) throw new EnvelopeError("to_mismatch", "envelope is addressed to another device");
  if (inner.id !== frame.id) throw new EnvelopeError("id_mismatch", "inner id differs from the frame's");
  if (inner.ts < now - ENVELOPE_MAX_AGE_MS) throw new EnvelopeError("too_old", "envelope is older than 8 days");
  if (inner.ts > now + ENVELOPE_MAX_SKEW_MS)
    throw new EnvelopeError("from_future", "envelope is more than 10 minutes ahead");
  return inner;
}
