import nacl from "tweetnacl";
import { b64uEncode } from "../encoding/b64u";
import { concatBytes, label } from "../encoding/bytes";

export const PAIR_TOKEN_BYTES = 16;

/** A fresh one-time pairing token: 16 random bytes. */
export function newPairToken(): Uint8Array {
  return nacl.randomBytes(PAIR_TOKEN_BYTES);
}

/**
 * The rendezvous the relay knows a pairing by:
 * `b64u(first 16 bytes of nacl.hash(utf8("nlink-rdv-v1\0") || token))`.
 * It reveals nothing of the token, which only the QR code carries.
 */
export function rendezvousOf(token: Uint8Array): string {
  return b64uEncode(nacl.hash(concatBytes(label("nlink-rdv-v1"), token)).subarray(0, 16));
}
