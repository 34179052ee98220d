import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import {
  messageYjsSyncStep1,
  messageYjsSyncStep2,
  messageYjsUpdate,
  writeSyncStep1,
  writeSyncStep2,
  writeUpdate,
} from "y-protocols/sync";
import type * as Y from "yjs";
import { DocSyncError } from "./errors";

/** A decoded y-protocols sync message. */
export type SyncMessage =
  | { kind: "step1"; stateVector: Uint8Array }
  | { kind: "step2"; update: Uint8Array }
  | { kind: "update"; update: Uint8Array };

/** Sync step 1: "here is what I have" (my state vector). */
export function encodeStep1(doc: Y.Doc): Uint8Array {
  const enc = encoding.createEncoder();
  writeSyncStep1(enc, doc);
  return encoding.toUint8Array(enc);
}

/** Sync step 2: everything in `doc` that a peer with `stateVector` lacks. */
export function encodeStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  writeSyncStep2(enc, doc, stateVector);
  return encoding.toUint8Array(enc);
}

/** An incremental update, as emitted by `doc.on("update")`. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

/**
 * Reads a sync message without applying it (y-protocols' `readSyncMessage`
 * applies at once and only logs failures; we check first, see `update-check.ts`).
 * Refuses unknown types, truncated payloads and trailing bytes.
 */
export function decodeSyncMessage(bytes: Uint8Array): SyncMessage {
  const dec = decoding.createDecoder(bytes);
  let type: number;
  let payload: Uint8Array;
  try {
    type = decoding.readVarUint(dec);
    payload = decoding.readVarUint8Array(dec);
  } catch (err) {
    throw new DocSyncError("bad_message", "sync message is truncated", { cause: err });
  }
  // lib0 reads a view without a bounds check of its own: a length past the
  // end either throws above or, when `bytes` views a larger buffer, overruns.
  if (dec.pos > bytes.length) throw new DocSyncError("bad_message", "sync message is truncated");
  if (decoding.hasContent(dec)) throw new DocSyncError("bad_message", "sync message has trailing bytes");
  switch (type) {
    case messageYjsSyncStep1:
      return { kind: "step1", stateVector: payload };
    case messageYjsSyncStep2:
      return { kind: "step2", update: payload };
    case messageYjsUpdate:
      return { kind: "update", update: payload };
    default:
      throw new DocSyncError("bad_message", `unknown sync message type ${type}`);
  }
}
