/**
 * base64url without padding (docs/protocol.md section 1, RFC 4648 section 5).
 * Decoding is strict: a conformance client must not accept a text form the
 * protocol does not allow, or it would hide a sloppy peer.
 */

export class B64uError extends Error {
  override readonly name = "B64uError";
}

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** Decodes strictly: no padding, no foreign characters, no impossible length, no stray trailing bits. */
export function unb64u(text: string): Uint8Array {
  if (!ALPHABET.test(text)) throw new B64uError("not base64url (or padded)");
  if (text.length % 4 === 1) throw new B64uError("impossible base64url length");
  const bytes = new Uint8Array(Buffer.from(text, "base64url"));
  // Re-encoding must give the same text, else the input had non-zero trailing bits.
  if (b64u(bytes) !== text) throw new B64uError("non-canonical base64url");
  return bytes;
}

/** Decodes and checks the byte length (ids, keys, tokens). */
export function unb64uSized(text: string, length: number): Uint8Array {
  const bytes = unb64u(text);
  if (bytes.length !== length) throw new B64uError(`expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `utf8("...\0")` of docs/protocol.md section 1: a domain-separation label. */
export function label(text: string): Uint8Array {
  return concat(utf8(text), new Uint8Array([0]));
}
