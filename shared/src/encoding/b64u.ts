import { EncodingError } from "./errors";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * base64url without padding (RFC 4648 section 5), the only binary-to-text
 * encoding on the wire.
 *
 * @example b64uEncode(new Uint8Array([0xfb, 0xff])) // "-_8"
 */
export function b64uEncode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Strict decoder: refuses padding, characters outside the url-safe alphabet,
 * impossible lengths and non-canonical trailing bits, so that every byte
 * string has exactly one accepted text form (ids compare as text).
 */
export function b64uDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new EncodingError("base64url text has an impossible length");
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new EncodingError("base64url text holds a character outside its alphabet");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) throw new EncodingError("base64url text has non-zero trailing bits");
  return out;
}

/** True when `text` is canonical base64url, optionally of exactly `byteLength` bytes. */
export function isB64u(text: string, byteLength?: number): boolean {
  try {
    const bytes = b64uDecode(text);
    return byteLength === undefined || bytes.length === byteLength;
  } catch {
    return false;
  }
}
