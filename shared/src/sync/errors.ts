import type { NOTES_ERROR_CODES } from "./messages";

/**
 * Why a document message was refused: `bad_message` (does not fit its schema,
 * or its bytes are no sync or awareness message), `bad_update` (the update
 * could not be applied), `too_large` (over a size limit of `SyncSettings`),
 * `bad_chunk` (pieces that do not fit together, came too late, or overflowed
 * the buffer), `unknown_doc`, `forbidden` (no `doc` capability), `internal` (the hub failed;
 * nothing of the message was kept).
 */
export type DocSyncErrorCode = (typeof NOTES_ERROR_CODES)[number];

/** The one error class of the sync boundary; the hub turns it into a `notes.error` message. */
export class DocSyncError extends Error {
  override readonly name = "DocSyncError";
  constructor(
    readonly code: DocSyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
