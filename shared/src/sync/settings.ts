import { PROTOCOL_DEFAULTS } from "../protocol/defaults";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Room kept free in every SEND body for what wraps a chunk: the envelope
 * (version byte, nonce, MAC: 41 bytes) and the envelope's JSON (`v`, `id`,
 * `from`, `to`, `ts`, `t`, and the `notes.sync` fields around `data`: about
 * 300 bytes). 4 KiB is generous on purpose: a chunk that is a little small
 * costs nothing, one that is too large is refused by the relay.
 */
export const ENVELOPE_HEADROOM_BYTES = 4 * KiB;

/**
 * The largest raw chunk that, base64url-encoded (4 characters per 3 bytes) and
 * sealed, still fits the relay's SEND body limit. With the protocol default
 * of 512 KiB this is 390,144 bytes (381 KiB).
 */
export function maxChunkBytesFor(maxBodyBytes: number): number {
  return Math.floor(((maxBodyBytes - ENVELOPE_HEADROOM_BYTES) * 3) / 4 / 3) * 3;
}

/** Tuning of document sync; every value is a named setting with its default (docs/notes.md). */
export interface SyncSettings {
  /** Largest raw piece of a sync message per frame; larger messages are split into chunks. */
  chunkBytes: number;
  /**
   * Largest sync message (a whole document's state, reassembled) a peer accepts.
   * Also bounds the memory a peer's half-received chunks may hold.
   */
  maxMessageBytes: number;
  /** How long the pieces of a chunked message may take to arrive before they are thrown away. */
  chunkTimeoutMs: number;
  /** How many chunked messages may be half-received at once from one peer. */
  maxPartialMessages: number;
  /** Largest awareness update (names, colours, cursors of the editors of one document). */
  maxAwarenessBytes: number;
}

export const SYNC_DEFAULTS: Readonly<SyncSettings> = Object.freeze({
  chunkBytes: maxChunkBytesFor(PROTOCOL_DEFAULTS.maxBodyBytes),
  maxMessageBytes: 64 * MiB,
  chunkTimeoutMs: 120_000,
  maxPartialMessages: 2,
  maxAwarenessBytes: 64 * KiB,
});
