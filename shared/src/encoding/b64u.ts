import { EncodingError } from "./errors";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int16Array(128).fill(-1);
const CODES = new Uint8Array(64);
for (let i = 0; i < ALPHABET.length; i++) {
  LOOKUP[ALPHABET.charCodeAt(i)] = i;
  CODES[i] = ALPHABET.charCodeAt(i);
}
/** Every output byte is ASCII, which latin1 maps one to one. */
const ASCII = new TextDecoder("latin1");

/**
 * base64url without padding (RFC 4648 section 5), the only binary-to-text
 * encoding on the wire.
 *
 * @example b64uEncode(new Uint8Array([0xfb, 0xff])) // "-_8"
 */
export function b64uEncode(bytes: Uint8Array): string {
  // Character codes into a byte array, turned into text in one call: string
  // concatenation per character is several times slower on large inputs (file chunks).
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
  }
  return ASCII.decode(out.subarray(0, o));
}

/**
 * Strict decoder: refuses padding, characters outside the url-safe alphabet,
 * impossible lengths and non-canonical trailing bits, so that every byte
 * string has exactly one accepted text form (ids compare as text).
 */
export function b64uDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new EncodingError("base64url text has an impossible length");
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  const bad = () => new EncodingError("base64url text holds a character outside its alphabet");
  const at = (i: number) => {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw bad();
    return v;
  };
  let o = 0;
  let i = 0;
  // Four characters to three bytes at a time; the tail below keeps the trailing-bits check.
  for (const whole = text.length - (text.length % 4); i < whole; i += 4) {
    const n = (at(i) << 18) | (at(i + 1) << 12) | (at(i + 2) << 6) | at(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  let acc = 0;
  let bits = 0;
  for (; i < text.length; i++) {
    acc = (acc << 6) | at(i);
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
