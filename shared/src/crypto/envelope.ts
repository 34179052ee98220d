import nacl from "tweetnacl";
import { z } from "zod";
import { utf8Decode, utf8Encode } from "../encoding/bytes";
import { randomBytes } from "./bytes";
import { ENVELOPE_MAX_AGE_MS, ENVELOPE_MAX_SKEW_MS } from "../protocol/defaults";
import { deviceIdSchema, frameIdSchema } from "../protocol/primitives";
import { EnvelopeError } from "./errors";
import { openSecretbox, sealSecretbox } from "./secretbox";
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

const HEADER_BYTES = 1 + NONCE_BYTES;

/**
 * First byte of a plaintext in the byte-tail form (docs/protocol.md section 8, "Byte tail"); a JSON plaintext
 * starts with `{`.
 */
const BYTE_TAIL = 0x00;
/** The byte-tail marker and the header's length (4 bytes, big-endian). */
const BYTE_TAIL_PREFIX = 5;

/** `d.data` when it is bytes: such a message is sealed in the byte-tail form. */
function tailOf(d: unknown): Uint8Array | null {
  const data = typeof d === "object" && d !== null ? (d as { data?: unknown }).data : undefined;
  return data instanceof Uint8Array ? data : null;
}

/**
 * The plaintext of a message: its JSON, or, when `d.data` is bytes, `0x00 || n || header || d.data` where the
 * header is the JSON of the message without `d.data` (no base64, no escaping, no UTF-8 round trip of the bytes).
 */
function plaintextOf(inner: EnvelopeInner): Uint8Array {
  const tail = tailOf(inner.d);
  if (!tail) return utf8Encode(JSON.stringify(inner));
  const { data: _bytes, ...rest } = inner.d as { data: Uint8Array };
  const header = utf8Encode(JSON.stringify({ ...inner, d: rest }));
  const out = new Uint8Array(BYTE_TAIL_PREFIX + header.length + tail.length);
  out[0] = BYTE_TAIL;
  new DataView(out.buffer).setUint32(1, header.length);
  out.set(header, BYTE_TAIL_PREFIX);
  out.set(tail, BYTE_TAIL_PREFIX + header.length);
  return out;
}

/** The message in a plaintext of either form; a byte tail comes back as `d.data`, a view into `plaintext`. */
function messageOf(plaintext: Uint8Array): unknown {
  if (plaintext[0] !== BYTE_TAIL) return JSON.parse(utf8Decode(plaintext));
  if (plaintext.length < BYTE_TAIL_PREFIX) throw new EnvelopeError("malformed", "byte-tail plaintext is too short");
  const n = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).getUint32(1);
  if (n > plaintext.length - BYTE_TAIL_PREFIX) throw new EnvelopeError("malformed", "byte-tail header is cut short");
  const header: unknown = JSON.parse(utf8Decode(plaintext.subarray(BYTE_TAIL_PREFIX, BYTE_TAIL_PREFIX + n)));
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isObject(header) || !isObject(header.d) || "data" in header.d)
    throw new EnvelopeError("malformed", "a byte-tail message's d must be an object without data");
  return { ...header, d: { ...header.d, data: plaintext.subarray(BYTE_TAIL_PREFIX + n) } };
}

/** `nacl.box.after` is computed by sealSecretbox (the same bytes, faster), straight into the envelope's buffer. */
function seal(key: Uint8Array, inner: EnvelopeInner, nonce: Uint8Array): Uint8Array {
  const out = sealSecretbox(key, nonce, plaintextOf(inner), HEADER_BYTES);
  out[0] = ENVELOPE_VERSION;
  out.set(nonce, 1);
  return out;
}

/**
 * Seals an application message: `0x01 || nonce || nacl.box.after(plaintext, nonce, key)`. The plaintext is the
 * message's JSON; a message whose `d.data` is a Uint8Array goes in the byte-tail form, which only a peer that asked
 * for it may be sent (docs/protocol.md section 8, "Byte tail").
 */
export function sealEnvelope(key: Uint8Array, inner: EnvelopeInner): Uint8Array {
  return seal(key, inner, randomBytes(NONCE_BYTES));
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
 * decrypts (either plaintext form: a byte tail comes back as `d.data`, a Uint8Array), its
 * inner `from` and `id` equal the FRAME's, its `to` is `me`, and its `ts` is within 8 days
 * past and 10 minutes ahead of `now`.
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
  const plaintext = openSecretbox(key, nonce, bytes.subarray(HEADER_BYTES));
  if (!plaintext) throw new EnvelopeError("decrypt_failed", "envelope does not open with this pair's key");
  let json: unknown;
  try {
    json = messageOf(plaintext);
  } catch (err) {
    if (err instanceof EnvelopeError) throw err;
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
