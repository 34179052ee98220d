/**
 * The end-to-end envelope (docs/protocol.md section 8): sealing, opening and the
 * receiver's drop rules.
 */
import { randomBytes } from "node:crypto";
import nacl from "tweetnacl";
import { concat, fromUtf8, utf8 } from "./b64u";

const VERSION = 0x01;
/** A frame older than this is dropped (docs/protocol.md section 8). */
export const MAX_AGE_MS = 8 * 24 * 3600 * 1000;
/** A frame further in the future than this is dropped (docs/protocol.md section 8). */
export const MAX_SKEW_MS = 10 * 60 * 1000;

export interface Inner {
  v: 1;
  id: string;
  from: string;
  to: string;
  ts: number;
  t: string;
  d: unknown;
}

export function pairKey(peerBoxPublicKey: Uint8Array, myBoxSecretKey: Uint8Array): Uint8Array {
  return nacl.box.before(peerBoxPublicKey, myBoxSecretKey);
}

/** `0x01 || nonce || box.after(json)`; the nonce is random unless given (test vectors only). */
export function sealEnvelope(
  key: Uint8Array,
  inner: Inner,
  nonce: Uint8Array = new Uint8Array(randomBytes(24)),
): Uint8Array {
  return concat(new Uint8Array([VERSION]), nonce, nacl.box.after(utf8(JSON.stringify(inner)), nonce, key));
}

export type DropReason =
  "undecryptable" | "malformed" | "wrong_from" | "wrong_to" | "wrong_id" | "replayed" | "too_old" | "too_new";

export type Opened = { ok: true; inner: Inner } | { ok: false; reason: DropReason };

/**
 * Ids a receiver has accepted; kept at least as long as the protocol asks (docs/protocol.md section 8) (storage expiry
 * plus one day).
 */
export type SeenIds = Set<string>;

/**
 * Opens a received envelope and applies every drop rule of docs/protocol.md section 8. A
 * drop is a value, not an exception: the caller still ACKs a dropped qos 1 frame.
 */
export function openEnvelope(
  key: Uint8Array,
  bytes: Uint8Array,
  frame: { id: string; from: string },
  me: string,
  now: number,
  seen: SeenIds,
): Opened {
  if (bytes.length < 1 + 24 + nacl.box.overheadLength || bytes[0] !== VERSION)
    return { ok: false, reason: "undecryptable" };
  const plain = nacl.box.open.after(bytes.subarray(25), bytes.subarray(1, 25), key);
  if (plain === null) return { ok: false, reason: "undecryptable" };
  let inner: Inner;
  try {
    inner = JSON.parse(fromUtf8(plain)) as Inner;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (
    typeof inner !== "object" ||
    inner === null ||
    inner.v !== 1 ||
    typeof inner.t !== "string" ||
    typeof inner.ts !== "number"
  ) {
    return { ok: false, reason: "malformed" };
  }
  if (inner.from !== frame.from) return { ok: false, reason: "wrong_from" };
  if (inner.to !== me) return { ok: false, reason: "wrong_to" };
  if (inner.id !== frame.id) return { ok: false, reason: "wrong_id" };
  if (inner.ts < now - MAX_AGE_MS) return { ok: false, reason: "too_old" };
  if (inner.ts > now + MAX_SKEW_MS) return { ok: false, reason: "too_new" };
  if (seen.has(inner.id)) return { ok: false, reason: "replayed" };
  seen.add(inner.id);
  return { ok: true, inner };
}
