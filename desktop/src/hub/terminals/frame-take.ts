import { jsonStringBytes } from "@neural-link/shared/encoding";

/** What a stream has waiting: text, or (for a viewer that takes bytes) the pty's UTF-8, each piece whole characters. */
export interface Waiting {
  pending: (string | Uint8Array)[];
  /** Characters of the text pieces, or bytes of the byte pieces. */
  pendingUnits: number;
}

/**
 * Takes up to `max` characters off the front of a text stream's pending pieces, fewer when their JSON would pass
 * `limit` bytes. Escapes (`\u001b` is 6 bytes in JSON) and multi-byte characters can make a frame larger than its
 * characters: counted only when the worst case (6 bytes each) could pass the limit, and without building the JSON.
 */
export function takeText(s: Waiting, max: number, limit: number): { data: string; units: number } {
  const pieces = takeFront<string>(s, max, splitAt);
  let out = pieces.length === 1 ? pieces[0]! : pieces.join("");
  while (out.length > 1 && out.length * 6 + 2 > limit && jsonStringBytes(out) > limit) {
    const cut = splitAt(out, Math.floor(out.length / 2));
    s.pending.unshift(out.slice(cut));
    out = out.slice(0, cut);
  }
  s.pendingUnits -= out.length;
  return { data: out, units: out.length };
}

/**
 * Takes up to `max` bytes (and at most `limit`) off the front of a bytes stream's pending pieces, cut between
 * characters: the pty's own bytes, copied once into the frame, never decoded or encoded here.
 */
export function takeBytes(s: Waiting, max: number, limit: number): { data: Uint8Array; units: number } {
  const pieces = takeFront<Uint8Array>(s, Math.min(max, limit), (head, room) => charStartAt(head, room));
  const taken = pieces.reduce((n, p) => n + p.length, 0);
  s.pendingUnits -= taken;
  return { data: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, taken), units: taken };
}

/**
 * Whole pieces off the front while they fit in `most`, then the part of the next one before `cut(head, room)`, a
 * character boundary at or before `room`. A frame never starts empty: when not even the first character fits, it
 * takes that character whole.
 */
function takeFront<T extends string | Uint8Array>(
  s: Waiting,
  most: number,
  cut: (head: T, room: number) => number,
): T[] {
  const pieces: T[] = [];
  let taken = 0;
  while (s.pending.length > 0 && taken < most) {
    const head = s.pending[0] as T;
    const room = most - taken;
    if (head.length <= room) {
      pieces.push(head);
      s.pending.shift();
      taken += head.length;
      continue;
    }
    const at = cut(head, room) || (taken === 0 ? firstCharEnd(head) : 0);
    if (at > 0) {
      pieces.push(part(head, 0, at));
      s.pending[0] = part(head, at, head.length);
    }
    break;
  }
  return pieces;
}

function part<T extends string | Uint8Array>(piece: T, from: number, to: number): T {
  return (typeof piece === "string" ? piece.slice(from, to) : piece.subarray(from, to)) as T;
}

/** The length of a piece's first character: UTF-16 code units of text, or UTF-8 bytes. */
function firstCharEnd(piece: string | Uint8Array): number {
  if (typeof piece !== "string") return charEndAfter(piece, 0);
  const code = piece.charCodeAt(0);
  return code >= 0xd800 && code <= 0xdbff && piece.length > 1 ? 2 : 1;
}

/** The start of the UTF-8 character that holds byte `at` (`at` itself unless it is a continuation byte). */
function charStartAt(bytes: Uint8Array, at: number): number {
  while (at > 0 && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}

/** The end of the UTF-8 character that starts at `at`. */
function charEndAfter(bytes: Uint8Array, at: number): number {
  let end = at + 1;
  while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end++;
  return end;
}

/** A cut point at or before `at` that does not split a surrogate pair (0 when the pair starts the text). */
function splitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}
