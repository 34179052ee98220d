import nacl from "tweetnacl";
import { z } from "zod";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { concatBytes, utf8Decode, utf8Encode } from "../encoding/bytes";
import type { Card } from "../crypto/card";
import type { Identity } from "../crypto/identity";
import { assertTestRuntime } from "../crypto/test-only";
import { b64uBytes } from "../protocol/primitives";
import { PairingError } from "./errors";

const VERSION = 0x01;
const KEY = nacl.box.publicKeyLength;
const NONCE = nacl.box.nonceLength;

const plaintextSchema = z.object({ v: z.literal(1), token: b64uBytes(16), card: z.unknown() });

/** A PAIR_REQUEST body once opened by the desktop. The card is not yet verified. */
export interface OpenedPairRequest {
  phoneBoxPublicKey: Uint8Array;
  token: Uint8Array;
  card: unknown;
}

function seal(
  phone: Identity,
  desktopBoxPublicKey: Uint8Array,
  token: Uint8Array,
  card: Card,
  nonce: Uint8Array,
): string {
  const plaintext = utf8Encode(JSON.stringify({ v: 1, token: b64uEncode(token), card }));
  const boxed = nacl.box(plaintext, nonce, desktopBoxPublicKey, phone.boxSecretKey);
  return b64uEncode(concatBytes(new Uint8Array([VERSION]), phone.boxPublicKey, nonce, boxed));
}

/**
 * The phone's PAIR_REQUEST body:
 * `b64u(0x01 || phone box pk || nonce || nacl.box(json, nonce, desktopBoxPk, phoneBoxSk))`.
 */
export function sealPairRequest(
  phone: Identity,
  desktopBoxPublicKey: Uint8Array,
  token: Uint8Array,
  card: Card,
): string {
  return seal(phone, desktopBoxPublicKey, token, card, nacl.randomBytes(NONCE));
}

/** Test vectors only: seals with a given nonce. */
export function sealPairRequestWithNonce(
  phone: Identity,
  desktopBoxPublicKey: Uint8Array,
  token: Uint8Array,
  card: Card,
  nonce: Uint8Array,
): string {
  assertTestRuntime("sealPairRequestWithNonce");
  return seal(phone, desktopBoxPublicKey, token, card, nonce);
}

/** Opens a PAIR_REQUEST body with the desktop's box secret key. Throws PairingError("bad_body"). */
export function openPairRequest(body: string, desktopBoxSecretKey: Uint8Array): OpenedPairRequest {
  let bytes: Uint8Array;
  try {
    bytes = b64uDecode(body);
  } catch {
    throw new PairingError("bad_body", "pair request body is not base64url");
  }
  if (bytes.length < 1 + KEY + NONCE + nacl.box.overheadLength || bytes[0] !== VERSION) {
    throw new PairingError("bad_body", "pair request body is malformed");
  }
  const phoneBoxPublicKey = bytes.slice(1, 1 + KEY);
  const nonce = bytes.subarray(1 + KEY, 1 + KEY + NONCE);
  const plaintext = nacl.box.open(bytes.subarray(1 + KEY + NONCE), nonce, phoneBoxPublicKey, desktopBoxSecretKey);
  if (!plaintext) throw new PairingError("bad_body", "pair request does not open");
  let parsed: z.infer<typeof plaintextSchema>;
  try {
    parsed = plaintextSchema.parse(JSON.parse(utf8Decode(plaintext)));
  } catch {
    throw new PairingError("bad_body", "pair request plaintext is malformed");
  }
  return { phoneBoxPublicKey, token: b64uDecode(parsed.token), card: parsed.card };
}
