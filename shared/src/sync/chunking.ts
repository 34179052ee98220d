import { randomBytes } from "../crypto/bytes";
import { b64uEncode } from "../encoding/b64u";
import { DocSyncError } from "./errors";
import type { SyncSettings } from "./settings";

/** One piece of a message that is too large for one frame. */
export interface Chunk {
  id: string;
  i: number;
  n: number;
  bytes: Uint8Array;
}

/**
 * Splits `bytes` into pieces of at most `chunkBytes`, all sharing a fresh
 * random id. A message that fits one frame is returned as is (`null`): it
 * travels without chunk fields.
 */
export function splitIntoChunks(bytes: Uint8Array, chunkBytes: number): Chunk[] | null {
  if (bytes.length <= chunkBytes) return null;
  const id = b64uEncode(randomBytes(8));
  const n = Math.ceil(bytes.length / chunkBytes);
  const chunks: Chunk[] = [];
  for (let i = 0; i < n; i++) chunks.push({ id, i, n, bytes: bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes) });
  return chunks;
}

interface PartialMessage {
  n: number;
  parts: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
  startedAt: number;
}

/**
 * Puts chunked messages from one peer back together. Memory is bounded: at
 * most `maxPartialMessages` half-received messages, `maxMessageBytes` in all,
 * and pieces older than `chunkTimeoutMs` are thrown away (checked whenever a
 * piece arrives, so no timer is needed). Pieces may arrive in any order;
 * a repeated piece is ignored.
 */
export class ChunkAssembler {
  private readonly partials = new Map<string, PartialMessage>();
  private held = 0;

  constructor(
    private readonly settings: Pick<
      SyncSettings,
      "chunkBytes" | "maxMessageBytes" | "chunkTimeoutMs" | "maxPartialMessages"
    >,
    private readonly now: () => number,
  ) {}

  /** Bytes held in half-received messages (for tests and metrics). */
  get heldBytes(): number {
    return this.held;
  }

  /**
   * Adds a piece. Returns the whole message once its last piece is in, else null.
   * Throws `DocSyncError("bad_chunk" | "too_large")`; the message concerned is dropped.
   */
  add(chunk: Chunk): Uint8Array | null {
    this.expire();
    const { id, i, n, bytes } = chunk;
    if (bytes.length === 0 || bytes.length > this.settings.chunkBytes)
      throw this.fail(id, "bad_chunk", "chunk size out of range");
    // The smallest message of n pieces: n - 1 full ones and a last of one byte.
    if ((n - 1) * this.settings.chunkBytes + 1 > this.settings.maxMessageBytes) {
      throw this.fail(id, "too_large", "chunked message would exceed the message size limit");
    }
    let p = this.partials.get(id);
    if (!p) {
      if (this.partials.size >= this.settings.maxPartialMessages)
        throw this.fail(id, "bad_chunk", "too many chunked messages at once");
      p = { n, parts: new Array<Uint8Array | undefined>(n), received: 0, bytes: 0, startedAt: this.now() };
      this.partials.set(id, p);
    }
    if (p.n !== n) throw this.fail(id, "bad_chunk", "chunk count differs between pieces");
    if (p.parts[i]) return null;
    // Every piece but the last is full: anything else means the pieces do not belong together.
    if (i < n - 1 && bytes.length !== this.settings.chunkBytes)
      throw this.fail(id, "bad_chunk", "a middle chunk is short");
    if (this.held + bytes.length > this.settings.maxMessageBytes)
      throw this.fail(id, "too_large", "chunk buffer is full");
    p.parts[i] = bytes.slice(); // a copy: the caller's buffer may be reused
    p.received++;
    p.bytes += bytes.length;
    this.held += bytes.length;
    if (p.received < n) return null;
    this.drop(id);
    const out = new Uint8Array(p.bytes);
    let at = 0;
    for (const part of p.parts) {
      out.set(part!, at);
      at += part!.length;
    }
    return out;
  }

  /** Forgets everything half-received (the session closed). */
  clear(): void {
    this.partials.clear();
    this.held = 0;
  }

  private expire(): void {
    const limit = this.now() - this.settings.chunkTimeoutMs;
    for (const [id, p] of this.partials) if (p.startedAt < limit) this.drop(id);
  }

  private drop(id: string): void {
    const p = this.partials.get(id);
    if (!p) return;
    this.held -= p.bytes;
    this.partials.delete(id);
  }

  private fail(id: string, code: "bad_chunk" | "too_large", message: string): DocSyncError {
    this.drop(id);
    return new DocSyncError(code, message);
  }
}
