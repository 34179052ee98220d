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
 * Why `text` is not canonical base64url, or null when it is: padding, characters outside the url-safe
 * alphabet, an impossible length and non-zero trailing bits are all refused, so that every byte string has
 * exactly one accepted text form (ids compare as text). It allocates nothing and makes no closure: every
 * received frame's ids pass through it (isB64u, in the schemas), cold, on the path of a keystroke.
 */
function problemOf(text: string): string | null {
  const rest = text.length % 4;
  if (rest === 1) return "base64url text has an impossible length";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || LOOKUP[c]! < 0) return "base64url text holds a character outside its alphabet";
  }
  // The last character's low bits beyond the last whole byte: 4 of them after 2 characters, 2 after 3.
  const trailingMask = rest === 2 ? 0b1111 : rest === 3 ? 0b11 : 0;
  if (rest !== 0 && (LOOKUP[text.charCodeAt(text.length - 1)]! & trailingMask) !== 0)
    return "base64url text has non-zero trailing bits";
  return null;
}

/** The 6-bit value of a character problemOf accepted. */
const valueAt = (text: string, i: number) => LOOKUP[text.charCodeAt(i)]!;

/** Bytes that canonical base64url text of this length decodes to. */
const decodedLength = (textLength: number) => Math.floor((textLength * 3) / 4);

/**
 * Strict decoder: throws EncodingError for anything but canonical base64url (see problemOf).
 *
 * @example b64uDecode("-_8") // Uint8Array [0xfb, 0xff]
 */
export function b64uDecode(text: string): Uint8Array {
  const problem = problemOf(text);
  if (problem !== null) throw new EncodingError(problem);
  const out = new Uint8Array(decodedLength(text.length));
  let o = 0;
  let i = 0;
  // Four characters to three bytes at a time, then the 2 or 3 characters of a tail (1 or 2 bytes).
  for (const whole = text.length - (text.length % 4); i < whole; i += 4) {
    const n =
      (valueAt(text, i) << 18) | (valueAt(text, i + 1) << 12) | (valueAt(text, i + 2) << 6) | valueAt(text, i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (i < text.length) {
    const n =
      (valueAt(text, i) << 18) | (valueAt(text, i + 1) << 12) | (i + 2 < text.length ? valueAt(text, i + 2) << 6 : 0);
    out[o++] = n >> 16;
    if (i + 2 < text.length) out[o++] = (n >> 8) & 0xff;
  }
  return out;
}

/** True when `text` is canonical base64url, optionally of exactly `byteLength` bytes. Decodes nothing. */
export function isB64u(text: string, byteLength?: number): boolean {
  if (byteLength !== undefined && decodedLength(text.length) !== byteLength) return false;
  return problemOf(text) === null;
}
