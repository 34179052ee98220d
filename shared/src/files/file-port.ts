import type { MethodName, MethodParams, MethodResult } from "../app/methods";

/**
 * What a transfer needs of a link to the hub (the phone's HubLink has exactly
 * this shape): rpc calls, sending an app message, hearing the hub's messages.
 */
export interface FilePort {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  send(t: string, d: unknown, qos: 0 | 1): Promise<void>;
  onPush(listener: (push: { t: string; d: unknown }) => void): () => void;
}

/** A file the phone (or the bench) sends: a name, a size, and random access to its bytes. */
export interface FileSource {
  name: string;
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Settings of the phone's side of transfers; every number named, with its default. */
export interface TransferSettings {
  /** No ack progress for this long: ask the hub where it stands (`files.put` again), ms. */
  stallMs: number;
  /** A download that received nothing for this long asks the hub to go on from what it holds, ms. */
  fetchStallMs: number;
}

export const TRANSFER_DEFAULTS: Readonly<TransferSettings> = Object.freeze({ stallMs: 4000, fetchStallMs: 4000 });

/** An AbortSignal, typed by its shape (shared sees no DOM): aborting cancels a transfer. */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
}

/** The hub ended the transfer (`failed` or `cancelled`); the message is its reason, in words. */
export class TransferEndedError extends Error {
  override name = "TransferEndedError";
}

/** The checksum on arrival did not match: nothing was kept. */
export class ChecksumMismatchError extends Error {
  override name = "ChecksumMismatchError";
}
