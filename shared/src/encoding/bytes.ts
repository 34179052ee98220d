import { EncodingError } from "./errors";

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** How many bytes `utf8Encode(text)` would make, without making them (a lone surrogate counts 3, as U+FFFD). */
export function utf8Length(text: string): number {
  return countBytes(text, false);
}

/**
 * How many UTF-8 bytes `JSON.stringify(text)` would make, quotes included, without making them: escapes count
 * (`\u001b` is 6 bytes, `\n` 2) and a lone surrogate is written `\udxxx`.
 */
export function jsonStringBytes(text: string): number {
  return countBytes(text, true) + 2;
}

/** Control characters JSON writes in two bytes (\b \t \n \f \r); the others take six (\u00xx). */
const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/** The counting of `utf8Length` and, with `json`, of `jsonStringBytes` (without the quotes). */
function countBytes(text: string, json: boolean): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += !json || (c >= 0x20 && c !== 0x22 && c !== 0x5c) ? 1 : c >= 0x20 || SHORT_ESCAPES.has(c) ? 2 : 6;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair: one 4-byte character
      i++;
    } else n += json && c >= 0xd800 && c <= 0xdfff ? 6 : 3;
  }
  return n;
}

/** Decodes UTF-8, refusing malformed sequences instead of inventing U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new EncodingError("bytes are not valid UTF-8");
  }
}

/** `utf8("text\0")` of the protocol: a domain-separation label. */
export function label(text: string): Uint8Array {
  return concatBytes(encoder.encode(text), new Uint8Array([0]));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
