/**
 * Reads of a byte stream, re-cut so that each piece ends at a UTF-8 character boundary: the start of a
 * character split across two reads waits for the next read. Each piece then decodes on its own to what a
 * streaming decoder would give for it, and can be sent as it is to a viewer that decodes UTF-8 itself.
 */
export class Utf8Chunks {
  /** The start of a character whose rest has not been read yet. */
  private carry: Uint8Array | null = null;

  /** The next piece: what was carried, and `read` up to its last whole character (possibly empty). */
  push(read: Uint8Array): Uint8Array {
    const bytes = this.carry ? concat(this.carry, read) : read;
    const end = completeUpTo(bytes);
    // Copied: the caller's buffer may be reused once this returns.
    this.carry = end < bytes.length ? bytes.slice(end) : null;
    return bytes.subarray(0, end);
  }

  /** The stream ended: a character cut short for good (it decodes as U+FFFD, as a streaming decoder's end). */
  end(): Uint8Array {
    const rest = this.carry ?? new Uint8Array(0);
    this.carry = null;
    return rest;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * The length of the longest prefix of `bytes` that does not end inside a UTF-8 character: a lead byte at one of
 * the last three positions whose character needs more bytes than follow it starts the cut-off tail. Anything
 * else (ASCII, complete characters, bytes that are not UTF-8 at all) counts as complete: the decoder turns
 * invalid bytes into U+FFFD either way.
 */
export function completeUpTo(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
