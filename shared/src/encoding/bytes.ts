import { EncodingError } from "./errors";

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
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
